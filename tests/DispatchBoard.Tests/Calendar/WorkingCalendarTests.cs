using System.Globalization;
using DispatchBoard.Web.Calendar;

// Not DispatchBoard.Tests.Calendar: that namespace would hide Ical.Net's Calendar from the other tests.
namespace DispatchBoard.Tests.WorkingTime;

public class WorkingCalendarTests
{
    private const string Shanghai = "Asia/Shanghai";
    private const string London = "Europe/London";

    // Spring 2026 (2 March is a Monday); default hours Mon–Fri 07:30–17:30, skeleton days 08:00–12:00.
    private static readonly CalendarDay[] Spring2026 =
    [
        new(new DateOnly(2026, 3, 16), CalendarDayKind.Closure, "Staff training day"),
        new(new DateOnly(2026, 3, 18), CalendarDayKind.SkeletonDay, "Sports day"),
        new(new DateOnly(2026, 3, 21), CalendarDayKind.MakeUpDay, "Make-up Saturday"),
        .. Enumerable.Range(0, 19).Select(i => new CalendarDay(new DateOnly(2026, 4, 6).AddDays(i), CalendarDayKind.Closure, "Spring break")),
    ];

    private static WorkingCalendar Calendar(string zone, WorkingHoursOptions? hours = null, IEnumerable<CalendarDay>? days = null) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(zone), hours ?? new WorkingHoursOptions { Holiday = ["08:00-12:00"] }, days ?? Spring2026);

    private static DateTimeOffset Local(string zone, string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string LocalText(string zone, DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [Theory]
    //          zone      start (local)        target min  deadline (local)      why
    [InlineData(Shanghai, "2026-03-02 09:00",    30, "2026-03-02 09:30")]   // within a day
    [InlineData(Shanghai, "2026-03-02 07:30",     0, "2026-03-02 07:30")]   // zero from an open instant: itself
    [InlineData(Shanghai, "2026-03-02 17:00",    30, "2026-03-02 17:30")]   // ends exactly at closing time
    [InlineData(Shanghai, "2026-03-02 07:30",  1500, "2026-03-04 12:30")]   // 25 h over three days
    [InlineData(Shanghai, "2026-03-02 06:00",    30, "2026-03-02 08:00")]   // early morning: counts from opening
    [InlineData(Shanghai, "2026-03-02 20:00",    30, "2026-03-03 08:00")]   // evening: next morning
    [InlineData(Shanghai, "2026-03-06 17:20",    30, "2026-03-09 07:50")]   // Friday end of day to Monday
    [InlineData(Shanghai, "2026-03-07 10:00",    30, "2026-03-09 08:00")]   // reported on Saturday
    [InlineData(Shanghai, "2026-03-07 10:00",     0, "2026-03-09 07:30")]   // zero from the weekend: the next opening
    [InlineData(Shanghai, "2026-03-13 17:00",    60, "2026-03-17 08:00")]   // over a closed Monday to Tuesday
    [InlineData(Shanghai, "2026-03-17 17:00",   120, "2026-03-18 09:30")]   // into a skeleton day (08:00–12:00)
    [InlineData(Shanghai, "2026-03-18 11:30",    60, "2026-03-19 08:00")]   // out of a skeleton day at noon
    [InlineData(Shanghai, "2026-03-18 13:00",    30, "2026-03-19 08:00")]   // skeleton day afternoon is closed
    [InlineData(Shanghai, "2026-03-20 17:00",    60, "2026-03-21 08:00")]   // Friday into a make-up Saturday
    [InlineData(Shanghai, "2026-03-21 17:20",    30, "2026-03-23 07:50")]   // make-up Saturday to Monday, Sunday closed
    [InlineData(Shanghai, "2026-04-03 16:30",   180, "2026-04-27 09:30")]   // three-week spring break
    [InlineData(Shanghai, "2026-04-10 12:00",   600, "2026-04-27 17:30")]   // reported inside the break
    [InlineData(London,   "2026-03-06 17:20",    30, "2026-03-09 07:50")]
    [InlineData(London,   "2026-03-27 17:00",    60, "2026-03-30 08:00")]   // over the spring-forward weekend
    [InlineData(London,   "2026-03-13 17:00",    60, "2026-03-17 08:00")]
    [InlineData(London,   "2026-04-03 16:30",   180, "2026-04-27 09:30")]
    [InlineData(London,   "2026-10-23 17:00",    60, "2026-10-26 08:00")]   // over the fall-back weekend
    public void AddWorkingTime_GivesTheDeadlineInSchoolTime(string zone, string start, int targetMinutes, string deadline)
    {
        var calendar = Calendar(zone);

        var actual = calendar.AddWorkingTime(Local(zone, start), TimeSpan.FromMinutes(targetMinutes));

        Assert.Equal(deadline, LocalText(zone, actual));
    }

    [Theory]
    //          zone      from (local)         to (local)           working min
    [InlineData(Shanghai, "2026-03-06 17:20", "2026-03-09 07:50",   30)]
    [InlineData(Shanghai, "2026-03-07 10:00", "2026-03-08 22:00",    0)]   // a weekend has none
    [InlineData(Shanghai, "2026-03-02 07:30", "2026-03-06 17:30", 3000)]   // a whole week: 5 × 10 h
    [InlineData(Shanghai, "2026-03-16 00:00", "2026-03-23 00:00", 2640)]   // closed Mon, Tue 10 h, skeleton Wed 4 h, Thu + Fri 20 h, make-up Sat 10 h
    [InlineData(Shanghai, "2026-04-04 00:00", "2026-04-26 23:59",    0)]   // the break
    [InlineData(Shanghai, "2026-03-09 12:00", "2026-03-09 11:00",    0)]   // backwards
    public void WorkingTimeBetween_CountsOnlyWorkingHours(string zone, string from, string to, int minutes)
    {
        var calendar = Calendar(zone);

        Assert.Equal(TimeSpan.FromMinutes(minutes), calendar.WorkingTimeBetween(Local(zone, from), Local(zone, to)));
    }

    [Theory]
    //          zone      instant (local)      next opening (local)
    [InlineData(Shanghai, "2026-03-02 09:00", "2026-03-02 09:00")]
    [InlineData(Shanghai, "2026-03-02 17:30", "2026-03-03 07:30")]   // closing time is closed
    [InlineData(Shanghai, "2026-03-07 10:00", "2026-03-09 07:30")]
    [InlineData(Shanghai, "2026-03-15 10:00", "2026-03-17 07:30")]   // Sunday before a closed Monday
    [InlineData(Shanghai, "2026-03-17 18:00", "2026-03-18 08:00")]   // skeleton day opens at 08:00
    [InlineData(Shanghai, "2026-04-03 18:00", "2026-04-27 07:30")]
    public void NextOpening_IsTheInstantOrTheNextPeriodStart(string zone, string instant, string opening)
    {
        var calendar = Calendar(zone);

        Assert.Equal(opening, LocalText(zone, calendar.NextOpening(Local(zone, instant))));
    }

    [Theory]
    [InlineData("2026-03-02 07:29", false)]
    [InlineData("2026-03-02 07:30", true)]
    [InlineData("2026-03-02 17:29", true)]
    [InlineData("2026-03-02 17:30", false)]
    [InlineData("2026-03-16 10:00", false)]   // closure
    [InlineData("2026-03-18 11:59", true)]    // skeleton day
    [InlineData("2026-03-18 12:00", false)]
    [InlineData("2026-03-21 10:00", true)]    // make-up Saturday
    [InlineData("2026-03-22 10:00", false)]
    public void IsWorkingTime_FollowsHoursAndDays(string instant, bool working)
    {
        Assert.Equal(working, Calendar(Shanghai).IsWorkingTime(Local(Shanghai, instant)));
    }

    [Theory]
    //          date          school day  next school day  hours
    [InlineData("2026-03-02", true,  "2026-03-02", "07:30-17:30")]
    [InlineData("2026-03-07", false, "2026-03-09", "")]
    [InlineData("2026-03-15", false, "2026-03-17", "")]
    [InlineData("2026-03-16", false, "2026-03-17", "")]
    [InlineData("2026-03-18", true,  "2026-03-18", "08:00-12:00")]
    [InlineData("2026-03-21", true,  "2026-03-21", "07:30-17:30")]
    [InlineData("2026-04-04", false, "2026-04-27", "")]
    public void Days_KnowTheirHours(string date, bool schoolDay, string next, string hours)
    {
        var calendar = Calendar(Shanghai);
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);

        Assert.Equal(schoolDay, calendar.IsSchoolDay(day));
        Assert.Equal(DateOnly.Parse(next, CultureInfo.InvariantCulture), calendar.NextSchoolDay(day));
        Assert.Equal(hours, string.Join(",", calendar.HoursOn(day).Select(h => $"{h.Start:HH\\:mm}-{h.End:HH\\:mm}")));
    }

    [Fact]
    public void SpecialDay_NamesTheEntry_AndTheMostClosedEntryWinsADate()
    {
        var date = new DateOnly(2026, 5, 1);
        var calendar = Calendar(Shanghai, days:
        [
            new(date, CalendarDayKind.MakeUpDay, "Make-up"),
            new(date, CalendarDayKind.Closure, "Labour Day"),
        ]);

        Assert.Equal(new CalendarDay(date, CalendarDayKind.Closure, "Labour Day"), calendar.SpecialDay(date));
        Assert.Null(calendar.SpecialDay(date.AddDays(1)));
        Assert.False(calendar.IsSchoolDay(date));
    }

    [Fact]
    public void SplitHours_LunchDoesNotCount()
    {
        var calendar = Calendar(Shanghai, new WorkingHoursOptions { Monday = ["07:30-12:00", "13:30-17:30"] });

        var deadline = calendar.AddWorkingTime(Local(Shanghai, "2026-03-02 11:30"), TimeSpan.FromHours(1));

        Assert.Equal("2026-03-02 14:00", LocalText(Shanghai, deadline));
        Assert.Equal("2026-03-02 13:30", LocalText(Shanghai, calendar.NextOpening(Local(Shanghai, "2026-03-02 12:30"))));
    }

    // London's clocks change at 01:00 GMT on 29 March 2026 (forward) and 25 October 2026 (back), both Sundays.
    [Theory]
    //          make-up Sunday  elapsed h  3 h from 00:00       30 min from 06:00
    [InlineData("2026-03-29",   5,         "2026-03-29 04:00", "2026-03-30 08:00")]
    [InlineData("2026-10-25",   7,         "2026-10-25 02:00", "2026-10-26 08:00")]
    public void DaylightSavingChangeInsideWorkingHours_CountsRealElapsedTime(string sunday, int elapsedHours, string threeHoursOn, string halfHourAfterClosing)
    {
        var day = DateOnly.Parse(sunday, CultureInfo.InvariantCulture);
        var calendar = Calendar(London, new WorkingHoursOptions { MakeUpDay = ["00:00-06:00"] },
            [new CalendarDay(day, CalendarDayKind.MakeUpDay, "Night shift")]);
        var opening = Local(London, $"{sunday} 00:00");
        var closing = Local(London, $"{sunday} 06:00");

        Assert.Equal(TimeSpan.FromHours(elapsedHours), closing - opening);
        Assert.Equal(TimeSpan.FromHours(elapsedHours), calendar.WorkingTimeBetween(opening.AddDays(-1), closing.AddDays(1)));
        Assert.Equal(closing, calendar.AddWorkingTime(opening, TimeSpan.FromHours(elapsedHours)));
        Assert.Equal(threeHoursOn, LocalText(London, calendar.AddWorkingTime(opening, TimeSpan.FromHours(3))));
        Assert.Equal(halfHourAfterClosing, LocalText(London, calendar.AddWorkingTime(closing, TimeSpan.FromMinutes(30))));
    }

    [Fact]
    public void DaylightSavingChange_SkippedOpeningMovesForward()
    {
        // 01:30 does not exist in London on 29 March 2026: the period opens at 02:00 BST.
        var day = new DateOnly(2026, 3, 29);
        var calendar = Calendar(London, new WorkingHoursOptions { MakeUpDay = ["01:30-03:00"] },
            [new CalendarDay(day, CalendarDayKind.MakeUpDay, "Night shift")]);

        Assert.Equal("2026-03-29 02:00", LocalText(London, calendar.NextOpening(Local(London, "2026-03-28 23:00"))));
        Assert.Equal(TimeSpan.FromHours(1), calendar.WorkingTimeBetween(Local(London, "2026-03-28 00:00"), Local(London, "2026-03-30 00:00")));
    }

    public static TheoryData<string, bool> Calendars => new()
    {
        { Shanghai, false }, { London, false }, { London, true },
    };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void WorkingTimeBetween_IsTheInverseOfAddWorkingTime_OnRandomSamples(string zone, bool nightShifts)
    {
        var days = nightShifts
            ? Spring2026.Concat([
                new CalendarDay(new DateOnly(2026, 3, 29), CalendarDayKind.MakeUpDay, "Night shift"),
                new CalendarDay(new DateOnly(2026, 10, 25), CalendarDayKind.MakeUpDay, "Night shift")])
            : Spring2026;
        var hours = new WorkingHoursOptions
        {
            Holiday = ["08:00-12:00"],
            Tuesday = ["07:30-12:00", "13:30-17:30"],
            MakeUpDay = nightShifts ? ["00:00-06:00"] : null,
        };
        var calendar = Calendar(zone, hours, days);
        var random = new Random(20261130);
        var origin = Local(zone, "2026-03-01 00:00");
        var span = (int)(Local(zone, "2026-11-01 00:00") - origin).TotalMinutes;

        for (var sample = 0; sample < 400; sample++)
        {
            var start = origin.AddMinutes(random.Next(span));
            var target = TimeSpan.FromMinutes(random.Next(0, 60 * 40));

            var deadline = calendar.AddWorkingTime(start, target);

            Assert.Equal(target, calendar.WorkingTimeBetween(start, deadline));
            Assert.True(deadline >= start);
            Assert.True(target == TimeSpan.Zero || calendar.IsWorkingTime(deadline - TimeSpan.FromMinutes(1)),
                $"{LocalText(zone, deadline)} should close a working minute ({LocalText(zone, start)} + {target})");

            var to = start.AddMinutes(random.Next(60 * 24 * 10));
            var between = calendar.WorkingTimeBetween(start, to);
            var reached = calendar.AddWorkingTime(start, between);
            if (between > TimeSpan.Zero)
            {
                Assert.True(reached <= to, $"{LocalText(zone, start)} + {between} = {LocalText(zone, reached)}, after {LocalText(zone, to)}");
            }
            if (to > start && calendar.IsWorkingTime(to.AddMinutes(-1)))
            {
                Assert.Equal(to, reached);
            }
        }
    }

    [Fact]
    public void ACalendarWithoutSchoolDays_SaysSoInsteadOfSearchingForever()
    {
        var closed = new WorkingHoursOptions
        {
            Monday = ["closed"], Tuesday = ["closed"], Wednesday = ["closed"], Thursday = ["closed"], Friday = ["closed"],
            MakeUpDay = ["closed"],
        };
        var calendar = Calendar(Shanghai, closed);

        var noDay = Assert.Throws<InvalidOperationException>(() => calendar.NextSchoolDay(new DateOnly(2026, 3, 2)));
        var noOpening = Assert.Throws<InvalidOperationException>(() => calendar.AddWorkingTime(Local(Shanghai, "2026-03-02 09:00"), TimeSpan.FromHours(1)));

        Assert.Contains("no school day within 400 days of 2026-03-02", noDay.Message);
        Assert.Contains("no school day within 400 days of 2026-03-02", noOpening.Message);
        Assert.Equal(TimeSpan.Zero, calendar.WorkingTimeBetween(Local(Shanghai, "2026-03-02 00:00"), Local(Shanghai, "2027-03-02 00:00")));
    }

    [Fact]
    public void NextSchoolDay_FindsOneJustInsideTheSearch()
    {
        var start = new DateOnly(2026, 3, 2);
        var calendar = Calendar(Shanghai, days: Enumerable.Range(0, 400).Select(i => new CalendarDay(start.AddDays(i), CalendarDayKind.Closure, "Long closure")));

        // The 400th day after Monday 2 March 2026 is a Tuesday, the first open one.
        Assert.Equal(start.AddDays(400), calendar.NextSchoolDay(start));
        Assert.Equal("2027-04-06 08:00", LocalText(Shanghai, calendar.AddWorkingTime(Local(Shanghai, "2026-03-02 09:00"), TimeSpan.FromMinutes(30))));
    }

    private static readonly string[] AllDay = ["00:00-24:00"];

    [Theory]
    //          zone       start               target min  deadline             (London: clocks go forward 29 March 01:00)
    [InlineData(Shanghai, "2026-03-06 23:50",  30,         "2026-03-07 00:20")]
    [InlineData(London,   "2026-03-29 00:30",  60,         "2026-03-29 02:30")]
    [InlineData(London,   "2026-10-24 23:45",  120,        "2026-10-25 01:45")]
    public void AlwaysOpen_WorkingTimeIsWallTime_AcrossMidnightAndDaylightSaving(string zone, string start, int minutes, string deadline)
    {
        var hours = new WorkingHoursOptions
        {
            Monday = AllDay, Tuesday = AllDay, Wednesday = AllDay, Thursday = AllDay, Friday = AllDay, Saturday = AllDay, Sunday = AllDay,
        };
        var calendar = Calendar(zone, hours, days: []);
        var from = Local(zone, start);

        var due = calendar.AddWorkingTime(from, TimeSpan.FromMinutes(minutes));

        Assert.Equal(deadline, LocalText(zone, due));
        Assert.Equal(TimeSpan.FromMinutes(minutes), due - from);
        Assert.Equal(TimeSpan.FromMinutes(minutes), calendar.WorkingTimeBetween(from, due));
        Assert.True(calendar.IsWorkingTime(Local(zone, start[..11] + "23:59")));
    }

    [Fact]
    public void ARangeEndingAt2400_RunsToMidnight_AndReadsBackAs2400()
    {
        var calendar = Calendar(Shanghai, new WorkingHoursOptions { Friday = ["18:00-24:00"] }, days: []);

        Assert.Equal("2026-03-09 08:00", LocalText(Shanghai, calendar.AddWorkingTime(Local(Shanghai, "2026-03-06 23:30"), TimeSpan.FromHours(1))));
        Assert.Equal("2026-03-07 00:00", LocalText(Shanghai, calendar.AddWorkingTime(Local(Shanghai, "2026-03-06 23:00"), TimeSpan.FromHours(1))));
        Assert.Equal("2026-03-06 18:00", LocalText(Shanghai, calendar.NextOpening(Local(Shanghai, "2026-03-06 17:00"))));
        Assert.Equal("24:00", WorkingHoursOptions.FormatEnd(calendar.HoursOn(new DateOnly(2026, 3, 6))[0].End));
        Assert.False(WorkingHoursOptions.TryParse(["12:00-24:00", "23:00-23:30"], out _, out var errors));
        Assert.Contains("'12:00-24:00' overlaps '23:00-23:30'.", errors);
    }

    [Fact]
    public void InvalidHours_AreRefusedWhenTheCalendarIsBuilt()
    {
        var error = Assert.Throws<ArgumentException>(() => Calendar(Shanghai, new WorkingHoursOptions { Friday = ["17:30-07:30"] }));

        Assert.Contains("Calendar:WorkingHours:Friday '17:30-07:30'", error.Message);
    }
}
