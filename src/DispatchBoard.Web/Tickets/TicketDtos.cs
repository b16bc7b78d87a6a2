namespace DispatchBoard.Web.Tickets;

/// <summary>A ticket as staff see it: on the board, in the staff API and in the hub's TicketChanged.</summary>
public sealed record TicketDto(
    int Id,
    string TrackingCode,
    TicketStatus Status,
    int Version,
    int AreaId,
    string AreaCode,
    string AreaName,
    string AreaPath,
    TicketCategory Category,
    TicketPriority Priority,
    string Description,
    string? LocationDetail,
    string? ReporterName,
    string? ReporterContact,
    TicketChannel Channel,
    int? ClaimedById,
    string? ClaimedBy,
    DateTimeOffset ReportedAt,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? OnSiteAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    string? ResolutionNote,
    int? RoutedToId,
    string? RoutedTo,
    DateTimeOffset QueuedAt,
    DateTimeOffset ResponseDueAt,
    int EscalationLevel,
    int ReopenCount,
    int? Rating,
    int PhotoCount,
    bool InTeachingRoom = false,
    DateTimeOffset? PlannedFor = null,
    int ReportCount = 1,
    int? MergedIntoId = null,
    IReadOnlyList<TicketHelperDto>? Helpers = null)
{
    /// <summary>The colleagues helping the lead (<see cref="ClaimedById"/>); empty when nobody helps.</summary>
    public IReadOnlyList<TicketHelperDto> Helpers { get; init; } = Helpers ?? [];
}

/// <summary>A helper on a ticket, as the card and /my show them.</summary>
public sealed record TicketHelperDto(int StaffId, string Name, bool Done);

public sealed record TicketEventDto(DateTimeOffset At, TicketEventKind Kind, TicketStatus? FromStatus, TicketStatus ToStatus, string ActorName, string? Note, int Version);

public sealed record TicketDetail(TicketDto Ticket, IReadOnlyList<TicketEventDto> Events, IReadOnlyList<PhotoDto> Photos);

/// <param name="ThumbnailUrl">A small JPEG for cards and lists; the full photo for photos stored before thumbnails existed.</param>
/// <param name="EventVersion">For a note's photo: the version of the note's step in the timeline.</param>
public sealed record PhotoDto(int Id, Photos.PhotoKind Kind, int Width, int Height, string Url, string ThumbnailUrl, int? EventVersion = null);

/// <summary>What the reporter sees: no names or contacts of anyone.</summary>
/// <param name="Joined">
/// Set when the code's report was merged into another one, or added to one ("me too"): the sentence that says so. The
/// state and timeline are then the surviving ticket's (its code is never shown); confirming and reopening are for its own
/// reporter.
/// </param>
public sealed record TrackingView(
    string TrackingCode,
    TicketStatus Status,
    int Version,
    string AreaName,
    TicketCategory Category,
    TicketPriority Priority,
    string Description,
    DateTimeOffset ReportedAt,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? OnSiteAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    int? Rating,
    IReadOnlyList<TrackingStep> Timeline,
    IReadOnlyList<PhotoDto> Photos,
    string? Joined = null);

public sealed record TrackingStep(DateTimeOffset At, TicketEventKind Kind, string Label, TicketStatus Status, string? Note);

public sealed record ReportTicket(
    string? AreaCode,
    string? Category,
    string? Description,
    bool Urgent,
    string? ReporterName,
    string? ReporterContact,
    string? LocationDetail = null,
    TicketPriority? Priority = null,
    IReadOnlyList<Photos.PhotoUpload>? Photos = null);

/// <param name="PhotosNotKept">Why the report's photos (some or all) were not kept, when a quota left them out.</param>
/// <param name="OfficeHours">Out of hours, when the report will be looked at and whom to call (<see cref="ResponseClock.OutOfHoursNotice"/>).</param>
public sealed record ReportedTicket(int Id, string TrackingCode, TicketStatus Status, string? PhotosNotKept = null, string? OfficeHours = null);
