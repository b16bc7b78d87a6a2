namespace DispatchBoard.Testing;

/// <summary>
/// Working hours for suites that run on the real clock or test something other than the calendar: every day
/// 00:00–24:00, so response targets count wall time whatever the hour the suite runs. Calendar tests set their own.
/// </summary>
public static class TestHours
{
    /// <remarks>No lessons either, so no card shows a lesson line whatever the hour; a lessons test sets its bells.</remarks>
    public static IEnumerable<KeyValuePair<string, string?>> AlwaysOpen() =>
        Enum.GetValues<DayOfWeek>().Select(day => new KeyValuePair<string, string?>($"Calendar:WorkingHours:{day}:0", "00:00-24:00"))
            .Concat(NoLessons());

    /// <summary>No lessons on any day (Calendar:Bells).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> NoLessons() =>
        Enum.GetValues<DayOfWeek>().Select(day => new KeyValuePair<string, string?>($"Calendar:Bells:{day}:0", "closed"));

    /// <summary>The default bells written out for every weekday (Monday–Friday), none at the weekend.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> SchoolBells() =>
        Enum.GetValues<DayOfWeek>().SelectMany(day => day is DayOfWeek.Saturday or DayOfWeek.Sunday
            ? [new KeyValuePair<string, string?>($"Calendar:Bells:{day}:0", "closed")]
            : DispatchBoard.Web.Calendar.BellOptions.SchoolDayDefault.Select((period, i) => new KeyValuePair<string, string?>($"Calendar:Bells:{day}:{i}", period)));

    /// <summary>The default school week written out (Monday–Friday 07:30–17:30, weekends closed), over <see cref="AlwaysOpen"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> SchoolWeek() =>
        Enum.GetValues<DayOfWeek>().Select(day => new KeyValuePair<string, string?>($"Calendar:WorkingHours:{day}:0",
            day is DayOfWeek.Saturday or DayOfWeek.Sunday ? "closed" : "07:30-17:30"));
}
