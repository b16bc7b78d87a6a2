using DispatchBoard.Web.Calendar;

// Not DispatchBoard.Tests.Calendar: that namespace would hide Ical.Net's Calendar from the other tests.
namespace DispatchBoard.Tests.WorkingTime;

/// <summary>Where rounds, meetings and planning meetings land on the school calendar: the pure rules, with known answers.</summary>
public class HolidayMovesTests
{
    // Autumn 2026 (28 September is a Monday); Mon–Fri 07:30–17:30, skeleton days 08:00–12:00, make-up days 07:30–17:30.
    private static readonly CalendarDay[] Autumn2026 =
    [
        .. Days(new DateOnly(2026, 10, 1), 7, CalendarDayKind.Closure, "National Day"),         // Thu 1 – Wed 7 October
        new(new DateOnly(2026, 10, 10), CalendarDayKind.MakeUpDay, "Make-up Saturday"),
        new(new DateOnly(2026, 10, 19), CalendarDayKind.Closure, "Staff training day"),       // a Monday
        .. Days(new DateOnly(2026, 10, 26), 2, CalendarDayKind.SkeletonDay, "Sports days"),  // Mon 26, Tue 27
        .. Days(new DateOnly(2026, 11, 2), 5, CalendarDayKind.SkeletonDay, "Marking week"),  // Mon 2 – Fri 6: skeleton only
        .. Days(new DateOnly(2026, 11, 9), 5, CalendarDayKind.Closure, "Autumn break"),      // Mon 9 – Fri 13
        new(new DateOnly(2026, 11, 14), CalendarDayKind.MakeUpDay, "Make-up Saturday"),
    ];

    private static IEnumerable<CalendarDay> Days(DateOnly from, int count, CalendarDayKind kind, string name) =>
        Enumerable.Range(0, count).Select(i => new CalendarDay(from.AddDays(i), kind, name));

    private static readonly WorkingCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
        new WorkingHoursOptions { Holiday = ["08:00-12:00"] }, Autumn2026);

    private static DateOnly? Date(string? text) => text is null ? null : DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    //          date          holiday teaching  why
    [InlineData("2026-09-28", false,  true)]    // a usual Monday
    [InlineData("2026-10-01", true,   false)]   // a closure
    [InlineData("2026-10-10", false,  true)]    // a make-up Saturday is a school day
    [InlineData("2026-10-11", false,  false)]   // a usual Sunday: no school, not a holiday
    [InlineData("2026-10-26", true,   false)]   // a skeleton day has hours, but it is a holiday
    [InlineData("2026-10-24", false,  false)]   // a usual Saturday
    public void IsHoliday_IsTeachingDay(string date, bool holiday, bool teaching)
    {
        var day = Date(date)!.Value;

        Assert.Equal((holiday, teaching), (Calendar.IsHoliday(day), Calendar.IsTeachingDay(day)));
        Assert.Equal(day == new DateOnly(2026, 10, 26) || teaching, Calendar.IsSchoolDay(day));
    }

    [Theory]
    //          scheduled     round day     why
    [InlineData("2026-09-28", "2026-09-28")]   // a usual Monday: that day
    [InlineData("2026-10-05", "2026-10-08")]   // Monday inside National Day: Thursday, the week's first school day
    [InlineData("2026-10-19", "2026-10-20")]   // a Monday closure: Tuesday
    [InlineData("2026-10-26", "2026-10-28")]   // skeleton Monday and Tuesday: Wednesday
    [InlineData("2026-11-02", null)]           // a week of skeleton days only: no round
    [InlineData("2026-11-09", "2026-11-14")]   // a closed week with a make-up Saturday: the Saturday
    [InlineData("2026-09-30", "2026-09-30")]   // a Wednesday schedule on a usual Wednesday
    [InlineData("2026-10-07", "2026-10-08")]   // a Wednesday schedule on a closure: Thursday
    [InlineData("2026-10-02", null)]           // a Friday closure with no school day left in its week: no round
    [InlineData("2026-10-17", "2026-10-17")]   // a Saturday schedule on a usual Saturday: not a holiday, kept
    public void RoundDay(string scheduled, string? expected) =>
        Assert.Equal(Date(expected), HolidayMoves.RoundDay(Calendar, Date(scheduled)!.Value));

    [Theory]
    //          planned       policy            within  meeting day   why
    [InlineData("2026-09-28", OnHoliday.Move,   7,      "2026-09-28")]   // not a holiday: that day
    [InlineData("2026-09-28", OnHoliday.Skip,   7,      "2026-09-28")]
    [InlineData("2026-10-05", OnHoliday.Move,   7,      "2026-10-08")]   // National Day Monday: Thursday
    [InlineData("2026-10-05", OnHoliday.Skip,   7,      null)]
    [InlineData("2026-10-03", OnHoliday.Move,   7,      "2026-10-08")]   // a Saturday inside the closure
    [InlineData("2026-10-19", OnHoliday.Move,   7,      "2026-10-20")]   // a Monday closure: Tuesday
    [InlineData("2026-10-19", OnHoliday.Move,   1,      "2026-10-20")]
    [InlineData("2026-10-26", OnHoliday.Move,   7,      "2026-10-28")]   // skeleton days are holidays too
    [InlineData("2026-10-26", OnHoliday.Move,   1,      null)]           // no school day that near
    [InlineData("2026-11-02", OnHoliday.Move,   7,      null)]           // in a break: no meeting piles up after it
    [InlineData("2026-11-02", OnHoliday.Move,   14,     "2026-11-14")]   // allowed further: the make-up Saturday
    public void MeetingDay(string planned, OnHoliday policy, int within, string? expected) =>
        Assert.Equal(Date(expected), HolidayMoves.MeetingDay(Calendar, Date(planned)!.Value, policy, within));

    [Theory]
    //          planned       before start  not before    planning day  why
    [InlineData("2026-09-28", "2026-10-05", "2026-09-01", "2026-09-28")]   // a school day: that day
    [InlineData("2026-10-05", null,         "2026-09-01", "2026-10-08")]   // after the start: the next school day
    [InlineData("2026-10-11", null,         "2026-09-01", "2026-10-12")]   // a Sunday: Monday
    [InlineData("2026-10-05", "2026-10-12", "2026-09-01", "2026-10-08")]   // before the start: the next school day, still before it
    [InlineData("2026-10-05", "2026-10-08", "2026-09-01", "2026-09-30")]   // the next is the start: the school day before the closure
    [InlineData("2026-10-05", "2026-10-08", "2026-09-30", "2026-10-08")]   // ... unless that is not ahead: the next one after all
    [InlineData("2026-10-11", "2026-10-12", "2026-09-01", "2026-10-10")]   // a Sunday before a Monday start: the make-up Saturday
    [InlineData("2026-11-02", null,         "2026-09-01", "2026-11-14")]   // skeleton week then a closure: the make-up Saturday
    public void PlanningDay(string planned, string? beforeStart, string notBefore, string? expected) =>
        Assert.Equal(Date(expected), HolidayMoves.PlanningDay(Calendar, Date(planned)!.Value, Date(beforeStart), Date(notBefore)!.Value));
}
