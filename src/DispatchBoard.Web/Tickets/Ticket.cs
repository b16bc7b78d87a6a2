using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Tickets;

public enum TicketStatus
{
    New,
    Claimed,
    OnSite,
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

    /// <summary>Bumped on every change; the concurrency token that decides races and orders live events.</summary>
    public int Version { get; set; }

    public List<TicketEvent> Events { get; } = [];
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
