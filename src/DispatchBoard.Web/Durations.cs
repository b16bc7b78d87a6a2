namespace DispatchBoard.Web;

/// <summary>How long something took or is left, in the short words a card, an alert or a ticket note uses.</summary>
public static class Durations
{
    /// <summary>"just now", "4 min", "1 h 20", "2 d 3 h": short enough for a card on a phone.</summary>
    public static string Short(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }
        if (span < TimeSpan.FromHours(1))
        {
            return $"{(int)span.TotalMinutes} min";
        }
        if (span < TimeSpan.FromDays(1))
        {
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes:00}";
        }
        return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    /// <summary>"just now", "4 min ago".</summary>
    public static string Ago(TimeSpan age) => age < TimeSpan.FromMinutes(1) ? "just now" : $"{Short(age)} ago";
}
