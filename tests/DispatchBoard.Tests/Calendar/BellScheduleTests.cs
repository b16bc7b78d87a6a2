using System.Globalization;
using DispatchBoard.Web.Calendar;

// Not DispatchBoard.Tests.Calendar: that namespace would hide Ical.Net's Calendar from the other tests.
namespace DispatchBoard.Tests.WorkingTime;

public class BellScheduleTests
{
    private const string Shanghai = "Asia/Shanghai";
    private const string London = "Europe/London";

    // Spring 2026 (2 March is a Monday); default bells Mon–Fri 08:00-08:45, 08:55-09:40, 10:00-10:45, 10:55-11:40,
    // 14:00-14:45, 14:55-15:40, 15:50-16:35.
    private static readonly CalendarDay[] Spring2026 =
    [
        new(new DateOnly(2026, 3, 16), CalendarDayKind.Closure, "Staff training day"),
        new(new DateOnly(2026, 3, 18), CalendarDayKind.SkeletonDay, "Sports day"),
        new(new DateOnly(2026, 3, 21), CalendarDayKind.MakeUpDay, "Make-up Saturday"),
        new(new DateOnly(2026, 3, 29), CalendarDayKind.MakeUpDay, "Make-up Sunday, clocks go forward"),
        new(new DateOnly(2026, 10, 25), CalendarDayKind.MakeUpDay, "Make-up Sunday, clocks go back"),
    ];

    private static BellSchedule Bells(string zone, BellOptions? bells = null)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return new BellSchedule(tz, bells ?? new BellOptions(), new WorkingCalendar(tz, new WorkingHoursOptions(), Spring2026));
    }

    private static DateTimeOffset Local(string zone, string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string Text(string zone, BellPeriod? period) => period is null ? "" : $"{Time(zone, period.Start)}-{Time(zone, period.End)}";

    private static string Time(string zone, DateTimeOffset? instant) => instant is { } i
        ? TimeZoneInfo.ConvertTime(i, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("HH:mm", CultureInfo.InvariantCulture)
        : "";

    [Theory]
    //          zone      instant (local)        lesson         next break     after school  why
    [InlineData(Shanghai, "2026-03-02 07:00", "",            "08:45-08:55", "16:35")]   // before the first bell
    [InlineData(Shanghai, "2026-03-02 08:00", "08:00-08:45", "08:45-08:55", "16:35")]   // a lesson includes its start
    [InlineData(Shanghai, "2026-03-02 09:00", "08:55-09:40", "09:40-10:00", "16:35")]   // the big break after the second
    [InlineData(Shanghai, "2026-03-02 09:40", "",            "10:45-10:55", "16:35")]   // not its end: the break has begun
    [InlineData(Shanghai, "2026-03-02 09:50", "",            "10:45-10:55", "16:35")]   // in a break: the next one is later
    [InlineData(Shanghai, "2026-03-02 11:00", "10:55-11:40", "11:40-14:00", "16:35")]   // lunch is a break
    [InlineData(Shanghai, "2026-03-02 16:00", "15:50-16:35", "",            "16:35")]   // the last lesson: no break left
    [InlineData(Shanghai, "2026-03-02 16:35", "",            "",            "16:35")]   // the bell for the end of school
    [InlineData(Shanghai, "2026-03-02 17:00", "",            "",            "")]        // lessons over
    [InlineData(Shanghai, "2026-03-07 09:00", "",            "",            "")]        // Saturday
    [InlineData(Shanghai, "2026-03-16 09:00", "",            "",            "")]        // a closure: no lessons
    [InlineData(Shanghai, "2026-03-18 09:00", "",            "",            "")]        // a skeleton day: no lessons
    [InlineData(Shanghai, "2026-03-21 09:00", "08:55-09:40", "09:40-10:00", "16:35")]   // a make-up Saturday rings Monday's bells
    [InlineData(London,   "2026-03-02 09:00", "08:55-09:40", "09:40-10:00", "16:35")]
    [InlineData(London,   "2026-03-30 09:00", "08:55-09:40", "09:40-10:00", "16:35")]   // the Monday after the clocks went forward
    [InlineData(London,   "2026-10-26 16:00", "15:50-16:35", "",            "16:35")]   // the Monday after they went back
    public void LessonBreakAndAfterSchool_FollowTheBellsInSchoolTime(string zone, string instant, string lesson, string nextBreak, string afterSchool)
    {
        var bells = Bells(zone);
        var at = Local(zone, instant);

        Assert.Equal(lesson, Text(zone, bells.LessonAt(at)));
        Assert.Equal(lesson != "", bells.IsLesson(at));
        Assert.Equal(nextBreak, Text(zone, bells.NextBreak(at)));
        Assert.Equal(afterSchool, Time(zone, bells.AfterSchool(at)));
    }

    [Fact]
    public void MakeUpDay_WithItsOwnWeekdayBells_RingsThose()
    {
        var bells = Bells(Shanghai, new BellOptions { Saturday = ["08:30-09:15", "09:30-10:15"] });

        Assert.Equal("08:30-09:15", Text(Shanghai, bells.LessonAt(Local(Shanghai, "2026-03-21 09:00"))));
        Assert.Equal("09:15-09:30", Text(Shanghai, bells.NextBreak(Local(Shanghai, "2026-03-21 09:00"))));
        Assert.Equal("10:15", Time(Shanghai, bells.AfterSchool(Local(Shanghai, "2026-03-21 09:00"))));
        // Saturday bells ring on every Saturday, make-up day or not.
        Assert.Equal("08:30-09:15", Text(Shanghai, bells.LessonAt(Local(Shanghai, "2026-03-14 09:00"))));
    }

    [Fact]
    public void SpringForward_ALessonLastsItsRealLength_AndOneTheGapSwallowsIsLeftOut()
    {
        // London, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST. Sunday bells on a make-up Sunday.
        var bells = Bells(London, new BellOptions { Sunday = ["00:00-00:30", "00:40-01:30", "01:35-01:50", "02:30-03:00"] });
        var lessons = bells.LessonsOn(new DateOnly(2026, 3, 29));

        // 00:40 GMT to 01:30 (skipped, moved on to 02:00 BST = 01:00 UTC): 20 real minutes; 01:35–01:50 is swallowed whole.
        Assert.Equal(3, lessons.Count);
        Assert.Equal(TimeSpan.FromMinutes(20), lessons[1].End - lessons[1].Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), lessons[1].End);
        Assert.Equal("02:00-02:30", Text(London, bells.NextBreak(Local(London, "2026-03-29 00:45"))));
        Assert.Equal("03:00", Time(London, bells.AfterSchool(Local(London, "2026-03-29 00:45"))));
    }

    [Fact]
    public void FallBack_ARepeatedHourTakesItsFirstOccurrence_AndNoInstantIsInTwoLessons()
    {
        // London, Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00–02:00 happens twice.
        var bells = Bells(London, new BellOptions { Sunday = ["00:00-01:30", "01:40-02:30"] });
        var lessons = bells.LessonsOn(new DateOnly(2026, 10, 25));

        Assert.Equal(2, lessons.Count);
        Assert.Equal(TimeSpan.FromMinutes(90), lessons[0].End - lessons[0].Start);      // 23:00Z–00:30Z
        Assert.Equal(TimeSpan.FromMinutes(110), lessons[1].End - lessons[1].Start);     // 00:40Z (first 01:40) – 02:30Z
        var inSecondOne = new DateTimeOffset(2026, 10, 25, 1, 35, 0, TimeSpan.Zero);  // 01:35 GMT, the repeated hour
        Assert.Equal(lessons[1], bells.LessonAt(inSecondOne));
        Assert.Equal(new BellPeriod(lessons[0].End, lessons[1].Start), bells.NextBreak(new DateTimeOffset(2026, 10, 25, 0, 10, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void BadBells_AreRefused_NamingTheSetting()
    {
        var options = new BellOptions { Tuesday = ["08:00-08:45", "08:40-09:30"], Friday = ["8 to 9"] };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Contains(results, r => r.ErrorMessage == "Calendar:Bells:Tuesday '08:00-08:45' overlaps '08:40-09:30'.");
        Assert.Contains(results, r => r.ErrorMessage == "Calendar:Bells:Friday '8 to 9' is not a time range like 07:30-17:30.");
        var error = Assert.Throws<ArgumentException>(() => Bells(Shanghai, options));
        Assert.StartsWith("Calendar:Bells:", error.Message);
    }
}
