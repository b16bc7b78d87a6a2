using DispatchBoard.Web.Tickets;
using MudBlazor;

namespace DispatchBoard.Web.Components.Shared;

public static class Format
{
    public static Color StatusColor(TicketStatus status) => status switch
    {
        TicketStatus.New => Color.Warning,
        TicketStatus.Claimed => Color.Info,
        TicketStatus.OnSite => Color.Secondary,
        TicketStatus.Escalated => Color.Tertiary,
        TicketStatus.Resolved => Color.Success,
        TicketStatus.Closed => Color.Success,
        TicketStatus.Cancelled => Color.Default,
        _ => Color.Default,
    };

    public static string StatusCss(TicketStatus status) => status switch
    {
        TicketStatus.New => "var(--mud-palette-warning)",
        TicketStatus.Claimed => "var(--mud-palette-info)",
        TicketStatus.OnSite => "var(--mud-palette-secondary)",
        TicketStatus.Escalated => "var(--mud-palette-tertiary)",
        _ => "var(--mud-palette-success)",
    };

    public static string Initials(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "?";
        }
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 1 ? parts[0][..1].ToUpperInvariant() : $"{parts[0][0]}{parts[^1][0]}".ToUpperInvariant();
    }
}
