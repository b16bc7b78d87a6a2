using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web;

/// <summary>How long something took or is left, in the short words a card, an alert or a ticket note uses, in the reader's language.</summary>
public static class Durations
{
    /// <summary>"just now", "4 min", "1 h 20", "2 d 3 h": short enough for a card on a phone.</summary>
    public static string Short(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return L["just now"];
        }
        if (span < TimeSpan.FromHours(1))
        {
            return L["{0} min", (int)span.TotalMinutes];
        }
        if (span < TimeSpan.FromDays(1))
        {
            return span.Minutes == 0 ? L["{0} h", (int)span.TotalHours] : L["{0} h {1:00}", (int)span.TotalHours, span.Minutes];
        }
        return span.Hours == 0 ? L["{0} d", (int)span.TotalDays] : L["{0} d {1} h", (int)span.TotalDays, span.Hours];
    }

    /// <summary>"just now", "4 min ago".</summary>
    public static string Ago(TimeSpan age) => age < TimeSpan.FromMinutes(1) ? L["just now"] : L["{0} ago", Short(age)];
}
