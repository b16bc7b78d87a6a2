using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>The words people see for the ticket enums, in the reader's language (the API uses the enum names).</summary>
public static class TicketText
{
    public static string Label(this TicketStatus status) => status switch
    {
        TicketStatus.New => L["New"],
        TicketStatus.Claimed => L["Claimed"],
        TicketStatus.OnSite => L["On site"],
        TicketStatus.Escalated => L["With the principal"],
        TicketStatus.Resolved => L["Resolved"],
        TicketStatus.Closed => L["Closed"],
        TicketStatus.Cancelled => L["Cancelled"],
        _ => status.ToString(),
    };

    public static string Label(this TicketCategory category) => category switch
    {
        TicketCategory.Lighting => L["Lighting & electrical"],
        TicketCategory.DoorsWindows => L["Doors & windows"],
        TicketCategory.Furniture => L["Furniture"],
        TicketCategory.Plumbing => L["Plumbing & water"],
        TicketCategory.SafetyHazard => L["Safety hazard"],
        TicketCategory.Cleaning => L["Cleaning"],
        TicketCategory.Other => L["Other"],
        _ => category.ToString(),
    };

    public static string Label(this TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => L["Urgent"],
        TicketPriority.Normal => L["Normal"],
        TicketPriority.Low => L["Low"],
        _ => priority.ToString(),
    };

    public static string Label(this TicketChannel channel) => channel switch
    {
        TicketChannel.Web => L["Web form"],
        TicketChannel.Qr => L["QR code"],
        TicketChannel.Phone => L["Phone call"],
        TicketChannel.Api => L["API"],
        TicketChannel.Inspection => L["Safety round"],
        _ => channel.ToString(),
    };

    public static string Label(this TicketEventKind kind) => kind switch
    {
        TicketEventKind.Reported => L["Reported"],
        TicketEventKind.Claimed => L["Claimed"],
        TicketEventKind.Assigned => L["Assigned"],
        TicketEventKind.Resolved => L["Resolved"],
        TicketEventKind.Released => L["Released"],
        TicketEventKind.Reopened => L["Reopened"],
        TicketEventKind.Closed => L["Closed"],
        TicketEventKind.Cancelled => L["Cancelled"],
        TicketEventKind.Overdue => L["Overdue"],
        TicketEventKind.Approved => L["Approved"],
        TicketEventKind.Rejected => L["Rejected"],
        TicketEventKind.Deferred => L["Deferred"],
        TicketEventKind.RoutedAtOpening => L["Routed when the office opened"],
        TicketEventKind.Edited => L["Corrected"],
        TicketEventKind.Note => L["Note"],
        TicketEventKind.Merged => L["Merged"],
        TicketEventKind.Unmerged => L["Separated"],
        TicketEventKind.OnSite => L["On site"],
        TicketEventKind.EscalatedToPrincipal => L["To the principal"],
        TicketEventKind.Confirmed => L["Confirmed by the reporter"],
        TicketEventKind.Planned => L["Planned"],
        TicketEventKind.MeToo => L["Reported again"],
        TicketEventKind.HelperAdded => L["Helper added"],
        TicketEventKind.HelperRemoved => L["Helper removed"],
        TicketEventKind.HelperDone => L["Helper done"],
        _ => kind.ToString(),
    };

    /// <summary>What the reporter reads on the tracking page for each step.</summary>
    public static string PublicLabel(this TicketEventKind kind) => kind switch
    {
        TicketEventKind.Reported => L["Report received"],
        TicketEventKind.Claimed => L["A caretaker took the job"],
        TicketEventKind.Assigned => L["The office assigned a caretaker"],
        TicketEventKind.OnSite => L["Caretaker on site"],
        TicketEventKind.Resolved => L["Fixed"],
        TicketEventKind.Released => L["Back in the queue for the next caretaker"],
        TicketEventKind.Reopened => L["Reopened"],
        TicketEventKind.Closed => L["Closed"],
        TicketEventKind.Cancelled => L["Cancelled by the office"],
        TicketEventKind.Overdue => L["Still waiting: more caretakers were alerted"],
        TicketEventKind.EscalatedToPrincipal => L["Passed to the principal's office for a decision"],
        TicketEventKind.Approved => L["Approved by the principal's office"],
        TicketEventKind.Rejected => L["Not approved by the principal's office"],
        TicketEventKind.Deferred => L["The principal's office will decide later"],
        TicketEventKind.Confirmed => L["You confirmed the fix"],
        TicketEventKind.RoutedAtOpening => L["The office opened: the caretakers have your report"],
        TicketEventKind.Planned => L["Planned around the lessons"],
        TicketEventKind.Edited => L["The office corrected the details"],
        TicketEventKind.Merged => L["Joined with another report of the same problem"],
        TicketEventKind.Unmerged => L["Followed on its own again"],
        TicketEventKind.MeToo => L["Someone else reported it too"],
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
