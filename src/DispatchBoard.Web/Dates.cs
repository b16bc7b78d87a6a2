using System.Globalization;
using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web;

/// <summary>
/// Dates as a reader of the current culture writes them: the patterns are translated texts, so each language has its
/// own word order ("Monday 30 November", "11月30日 星期一"). Give them school-local times (SchoolClock.ToLocal).
/// </summary>
public static class Dates
{
    /// <summary>"Monday 30 November".</summary>
    public static string Day(DateTimeOffset local) => local.ToString(L["dddd d MMMM"], CultureInfo.CurrentCulture);

    /// <summary>"Mon 30 Nov".</summary>
    public static string ShortDay(DateOnly day) => day.ToString(L["ddd d MMM"], CultureInfo.CurrentCulture);

    /// <summary>"Monday 30 November, 14:00".</summary>
    public static string DayAndTime(DateTimeOffset local) => local.ToString(L["dddd d MMMM, HH:mm"], CultureInfo.CurrentCulture);

    /// <summary>"Mon 30 Nov 14:00".</summary>
    public static string ShortDayAndTime(DateTimeOffset local) => local.ToString(L["ddd d MMM HH:mm"], CultureInfo.CurrentCulture);

    /// <summary>"Monday 30 November 2026, 14:00".</summary>
    public static string FullDayAndTime(DateTimeOffset local) => local.ToString(L["dddd d MMMM yyyy, HH:mm"], CultureInfo.CurrentCulture);

    /// <summary>"Monday".</summary>
    public static string WeekDay(DateTimeOffset local) => local.ToString("dddd", CultureInfo.CurrentCulture);

    /// <summary>"14:00".</summary>
    public static string Time(DateTimeOffset local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);
}
