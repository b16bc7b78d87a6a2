using DispatchBoard.Web.Tickets;
using MudBlazor;

namespace DispatchBoard.Web.Components.Shared;

public static class Format
{
    /// <summary>"just now", "4 min", "1 h 20", "2 d 3 h": short enough for a card on a phone.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }
        if (age < TimeSpan.FromHours(1))
        {
            return $"{(int)age.TotalMinutes} min";
        }
        if (age < TimeSpan.FromDays(1))
        {
            return age.Minutes == 0 ? $"{(int)age.TotalHours} h" : $"{(int)age.TotalHours} h {age.Minutes:00}";
        }
        return age.Hours == 0 ? $"{(int)age.TotalDays} d" : $"{(int)age.TotalDays} d {age.Hours} h";
    }

    /// <summary>"just now", "4 min ago".</summary>
    public static string Ago(TimeSpan age) => age < TimeSpan.FromMinutes(1) ? "just now" : $"{Age(age)} ago";

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
