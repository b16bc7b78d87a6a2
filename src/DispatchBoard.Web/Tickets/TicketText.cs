namespace DispatchBoard.Web.Tickets;

/// <summary>The words people see for the ticket enums (the API uses the enum names).</summary>
public static class TicketText
{
    public static string Label(this TicketStatus status) => status switch
    {
        TicketStatus.New => "New",
        TicketStatus.Claimed => "Claimed",
        TicketStatus.OnSite => "On site",
        TicketStatus.Escalated => "With the principal",
        TicketStatus.Resolved => "Resolved",
        TicketStatus.Closed => "Closed",
        TicketStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static string Label(this TicketCategory category) => category switch
    {
        TicketCategory.Lighting => "Lighting & electrical",
        TicketCategory.DoorsWindows => "Doors & windows",
        TicketCategory.Furniture => "Furniture",
        TicketCategory.Plumbing => "Plumbing & water",
        TicketCategory.SafetyHazard => "Safety hazard",
        TicketCategory.Cleaning => "Cleaning",
        TicketCategory.Other => "Other",
        _ => category.ToString(),
    };

    public static string Label(this TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => "Urgent",
        TicketPriority.Normal => "Normal",
        TicketPriority.Low => "Low",
        _ => priority.ToString(),
    };

    public static string Label(this TicketChannel channel) => channel switch
    {
        TicketChannel.Web => "Web form",
        TicketChannel.Qr => "QR code",
        TicketChannel.Phone => "Phone call",
        TicketChannel.Api => "API",
        TicketChannel.Inspection => "Safety round",
        _ => channel.ToString(),
    };

    public static string Label(this TicketEventKind kind) => kind switch
    {
        TicketEventKind.OnSite => "On site",
        TicketEventKind.EscalatedToPrincipal => "To the principal",
        TicketEventKind.Confirmed => "Confirmed by the reporter",
        TicketEventKind.Planned => "Planned",
        TicketEventKind.MeToo => "Reported again",
        TicketEventKind.HelperAdded => "Helper added",
        TicketEventKind.HelperRemoved => "Helper removed",
        TicketEventKind.HelperDone => "Helper done",
        _ => kind.ToString(),
    };

    /// <summary>What the reporter reads on the tracking page for each step.</summary>
    public static string PublicLabel(this TicketEventKind kind) => kind switch
    {
        TicketEventKind.Reported => "Report received",
        TicketEventKind.Claimed => "A caretaker took the job",
        TicketEventKind.Assigned => "The office assigned a caretaker",
        TicketEventKind.OnSite => "Caretaker on site",
        TicketEventKind.Resolved => "Fixed",
        TicketEventKind.Released => "Back in the queue for the next caretaker",
        TicketEventKind.Reopened => "Reopened",
        TicketEventKind.Closed => "Closed",
        TicketEventKind.Cancelled => "Cancelled by the office",
        TicketEventKind.Overdue => "Still waiting: more caretakers were alerted",
        TicketEventKind.EscalatedToPrincipal => "Passed to the principal's office for a decision",
        TicketEventKind.Approved => "Approved by the principal's office",
        TicketEventKind.Rejected => "Not approved by the principal's office",
        TicketEventKind.Deferred => "The principal's office will decide later",
        TicketEventKind.Confirmed => "You confirmed the fix",
        TicketEventKind.RoutedAtOpening => "The office opened: the caretakers have your report",
        TicketEventKind.Planned => "Planned around the lessons",
        TicketEventKind.Edited => "The office corrected the details",
        TicketEventKind.Merged => "Joined with another report of the same problem",
        TicketEventKind.Unmerged => "Followed on its own again",
        TicketEventKind.MeToo => "Someone else reported it too",
        _ => kind.ToString(),
    };

    /// <summary>Steps only staff see: never on the tracking page, never in a reporter's e-mail.</summary>
    public static bool IsStaffOnly(this TicketEventKind kind) =>
        kind is TicketEventKind.Overdue or TicketEventKind.Note or TicketEventKind.HelperAdded
            or TicketEventKind.HelperRemoved or TicketEventKind.HelperDone;

    public static string Icon(this TicketCategory category) => category switch
    {
        TicketCategory.Lighting => MudBlazor.Icons.Material.Filled.Lightbulb,
        TicketCategory.DoorsWindows => MudBlazor.Icons.Material.Filled.SensorDoor,
        TicketCategory.Furniture => MudBlazor.Icons.Material.Filled.Chair,
        TicketCategory.Plumbing => MudBlazor.Icons.Material.Filled.WaterDrop,
        TicketCategory.SafetyHazard => MudBlazor.Icons.Material.Filled.ReportProblem,
        TicketCategory.Cleaning => MudBlazor.Icons.Material.Filled.CleaningServices,
        _ => MudBlazor.Icons.Material.Filled.Build,
    };

    public static bool IsOpen(this TicketStatus status) =>
        status is TicketStatus.New or TicketStatus.Claimed or TicketStatus.OnSite or TicketStatus.Escalated;
}
