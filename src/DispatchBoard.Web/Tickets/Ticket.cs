using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Tickets;

public enum TicketStatus
{
    New,
    Claimed,
    OnSite,
    /// <summary>Waiting for the principal's office: beyond the staff member's authority.</summary>
    Escalated,
    Resolved,
    Closed,
    Cancelled,
}

public enum TicketCategory
{
    Lighting,
    DoorsWindows,
    Furniture,
    Plumbing,
    SafetyHazard,
    Cleaning,
    Other,
}

public enum TicketPriority
{
    Urgent,
    Normal,
    Low,
}

public enum TicketChannel
{
    Web,
    Qr,
    Phone,
    Api,
    /// <summary>Found on a weekly safety round.</summary>
    Inspection,
}

public sealed class Ticket
{
    public const int DescriptionMaxLength = 2000;
    public const int LocationDetailMaxLength = 200;
    public const int ReporterNameMaxLength = 100;
    public const int ReporterContactMaxLength = 100;
    public const int NoteMaxLength = 2000;

    public int Id { get; set; }
    public required string TrackingCode { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }
    public TicketCategory Category { get; set; }
    public TicketPriority Priority { get; set; }
    public required string Description { get; set; }
    public string? LocationDetail { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterContact { get; set; }
    public TicketChannel Channel { get; set; }
    public TicketStatus Status { get; set; }

    public DateTimeOffset ReportedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? OnSiteAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public int? ClaimedById { get; set; }
    public StaffMember? ClaimedBy { get; set; }
    public string? ResolutionNote { get; set; }

    /// <summary>Who the ticket was sent to first (area owner, backup, or nobody when everyone on duty was alerted).</summary>
    public int? RoutedToId { get; set; }
    public StaffMember? RoutedTo { get; set; }

    /// <summary>When the ticket last entered the queue (report, release, reopen); the response target counts from here.</summary>
    public DateTimeOffset QueuedAt { get; set; }

    /// <summary>Claim it by then: <see cref="QueuedAt"/> plus the priority's response target, on the ticket's own time (<see cref="ResponseClock"/>).</summary>
    public DateTimeOffset ResponseDueAt { get; set; }

    /// <summary>
    /// The steps' durations from the report, on the ticket's own time (<see cref="ResponseClock"/>: working time for
    /// normal and low reports, wall time for urgent ones and hazards); stamped on every save, read by the reports.
    /// </summary>
    public TimeSpan? TimeToClaim { get; set; }
    public TimeSpan? TimeToOnSite { get; set; }
    public TimeSpan? TimeToResolve { get; set; }

    /// <summary>
    /// Queued out of hours with nobody told (<see cref="RouteReason.OutOfHours"/>): the sweep routes it when the office
    /// opens and someone is on duty.
    /// </summary>
    public bool WaitingForOpening { get; set; }

    /// <summary>0 none; 1 all on-duty staff alerted; 2 the dispatcher alerted. Stored so each level happens once.</summary>
    public int EscalationLevel { get; set; }

    public int ReopenCount { get; set; }

    /// <summary>
    /// When the repair is planned for (a break or after school, for a non-urgent job in a teaching room); the person
    /// on it is reminded then. Set and cleared through <see cref="TicketPlans"/>.
    /// </summary>
    public DateTimeOffset? PlannedFor { get; set; }

    /// <summary>
    /// The reporter's e-mail address when they gave one (as the contact, or in the e-mail field): the ticket's steps are
    /// e-mailed to it until <see cref="ReporterEmailsStopped"/>. Never a phone number.
    /// </summary>
    public string? ReporterEmail { get; set; }

    /// <summary>The reporter pressed "stop e-mails for this report".</summary>
    public bool ReporterEmailsStopped { get; set; }

    public const int ReporterCultureMaxLength = 16;

    /// <summary>
    /// The language the reporter reported in (their page's, e.g. <c>zh-Hans</c>): their e-mails are written in it. Null for
    /// a report taken down by the office (a phone call), which is written to in the school's language.
    /// </summary>
    public string? ReporterCulture { get; set; }

    /// <summary>
    /// Set when the dispatcher merged this report into another one (a duplicate): it is closed, and its tracking page
    /// follows the surviving ticket. Cleared when the merge is undone.
    /// </summary>
    public int? MergedIntoId { get; set; }
    public Ticket? MergedInto { get; set; }

    /// <summary>The status the duplicate had when it was merged, so undoing the merge puts it back as it was.</summary>
    public TicketStatus? StatusBeforeMerge { get; set; }

    /// <summary>
    /// How many reports this ticket stands for: 1 for its own, plus each "me too" (<see cref="TicketReport"/>), plus
    /// the report counts of the tickets merged into it. Kept by the merge, the unmerge and the "me too".
    /// </summary>
    public int ReportCount { get; set; } = 1;

    /// <summary>The reporter's 1–5 rating when they confirmed the fix.</summary>
    public int? Rating { get; set; }
    public string? RatingComment { get; set; }

    public const int RatingCommentMaxLength = 1000;

    /// <summary>Bumped on every change; the concurrency token that decides races and orders live events.</summary>
    public int Version { get; set; }

    public List<TicketEvent> Events { get; } = [];
    public List<TicketHelper> Helpers { get; } = [];
}

/// <summary>
/// A colleague helping the lead (the claimer or assignee) with a job: sees it on /my under "helping", hears its alerts,
/// adds notes and photos, and marks their own part done. Only the lead resolves the ticket.
/// </summary>
public sealed class TicketHelper
{
    public int Id { get; set; }
    public int TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public int StaffId { get; set; }
    public StaffMember? Staff { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public required string AddedByName { get; set; }

    /// <summary>When the helper marked their part done; null while they are still on it.</summary>
    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>
/// Another person reporting a problem that is already on the board ("me too" on the report form): it counts as a report
/// on that ticket, has its own tracking code that follows the ticket, and its own e-mail address for the steps.
/// </summary>
public sealed class TicketReport
{
    public int Id { get; set; }
    public int TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public required string TrackingCode { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterContact { get; set; }
    public string? ReporterEmail { get; set; }
    public bool ReporterEmailsStopped { get; set; }

    /// <summary>The language of the "me too" (see <see cref="Ticket.ReporterCulture"/>).</summary>
    public string? ReporterCulture { get; set; }

    public TicketChannel Channel { get; set; }
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>The anonymous reporter's <see cref="Hosting.ClientNetwork"/> key, for the intake limits; null for staff.</summary>
    public string? ClientNetwork { get; set; }
}

public enum TicketEventKind
{
    Reported,
    Claimed,
    Assigned,
    OnSite,
    Resolved,
    Released,
    Reopened,
    Closed,
    Cancelled,
    /// <summary>Not claimed within the response target: the sweep alerted more people (note says whom).</summary>
    Overdue,
    EscalatedToPrincipal,
    Approved,
    Rejected,
    Deferred,
    /// <summary>The reporter confirmed the fix (with a rating).</summary>
    Confirmed,
    /// <summary>Received out of hours, routed when the office opened (note says to whom).</summary>
    RoutedAtOpening,
    /// <summary>Planned for a break, after school or a time (note says when), or the plan cleared.</summary>
    Planned,
    /// <summary>The dispatcher corrected the report (note lists each field, old → new).</summary>
    Edited,
    /// <summary>An internal note (staff only; never on the tracking page), maybe with photos.</summary>
    Note,
    /// <summary>On a duplicate: merged into another ticket (note names it). On the survivor: another report merged in.</summary>
    Merged,
    /// <summary>A merge undone (on both tickets).</summary>
    Unmerged,
    /// <summary>Someone else reported the same problem ("me too").</summary>
    MeToo,
    HelperAdded,
    HelperRemoved,
    /// <summary>A helper marked their part done.</summary>
    HelperDone,
}

public sealed class TicketEvent
{
    public const int ActorNameMaxLength = 100;

    public long Id { get; set; }
    public int TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public DateTimeOffset At { get; set; }
    public TicketEventKind Kind { get; set; }
    public TicketStatus? FromStatus { get; set; }
    public TicketStatus ToStatus { get; set; }
    public required string ActorName { get; set; }
    public string? ActorUserId { get; set; }
    public int? ActorStaffId { get; set; }
    public string? Note { get; set; }
    public int Version { get; set; }
}
