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

    /// <summary>"24 Nov 2026 at 10:00".</summary>
    public static string DayYearAndTime(DateTimeOffset local) => local.ToString(L["d MMM yyyy 'at' HH:mm"], CultureInfo.CurrentCulture);

    /// <summary>"Monday".</summary>
    public static string WeekDay(DateTimeOffset local) => local.ToString("dddd", CultureInfo.CurrentCulture);

    /// <summary>"14:00".</summary>
    public static string Time(DateTimeOffset local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    // The patterns themselves, for a date the functions above do not cover (a month title, a day in a list): written
    // once here, translated once in AppText, formatted with CultureInfo.CurrentCulture where they are used.

    /// <summary>"November 2026".</summary>
    public static string MonthYearPattern => L["MMMM yyyy"];

    /// <summary>"30 Nov".</summary>
    public static string DayMonthPattern => L["d MMM"];

    /// <summary>"30 November".</summary>
    public static string LongDayMonthPattern => L["d MMMM"];

    /// <summary>"30 Nov 2026".</summary>
    public static string DayMonthYearPattern => L["d MMM yyyy"];

    /// <summary>"30 November 2026".</summary>
    public static string LongDayMonthYearPattern => L["d MMMM yyyy"];

    /// <summary>"Mon 30 Nov 2026".</summary>
    public static string WeekDayMonthYearPattern => L["ddd d MMM yyyy"];

    /// <summary>"Monday 30 November 2026".</summary>
    public static string LongWeekDayMonthYearPattern => L["dddd d MMMM yyyy"];

    /// <summary>"Monday 30 November".</summary>
    public static string LongWeekDayMonthPattern => L["dddd d MMMM"];

    /// <summary>"Mon 30" (a column of a week).</summary>
    public static string WeekDayAndDayPattern => L["ddd d"];

    /// <summary>"Mon 14:00".</summary>
    public static string WeekDayTimePattern => L["ddd HH:mm"];

    /// <summary>"30 Nov 2026 14:00".</summary>
    public static string DayMonthYearTimePattern => L["d MMM yyyy HH:mm"];

    /// <summary>"30 November 2026, 14:00".</summary>
    public static string LongDayMonthYearTimePattern => L["d MMMM yyyy, HH:mm"];
}
