using System.Diagnostics;
using DispatchBoard.Testing;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Two school years on a fake clock, hour by hour, running each job when its schedule fires as Hangfire would (and
/// every job twice at once), with two restarts and a day of downtime over a Sunday night: rounds, meetings and
/// reminders must each happen exactly once, in a zone without daylight saving and in one with it, on the days a
/// realistic school calendar allows (two terms a year, summer and winter breaks, public holidays, make-up Saturdays,
/// holidays added by the administrator while the clock runs).
/// </summary>
/// <remarks>One test class per zone (below), so that xunit runs the two zones side by side.</remarks>
public abstract class ClockSimulationTests(ITestOutputHelper output)
{
    private const string MonthlyCron = "0 16 * * MON#1";
    private static readonly TimeOnly RoundTime = new(7, 30);
    private static readonly TimeOnly MorningReminder = new(8, 0);

    private sealed record Day(string Name, CalendarDayKind Kind, DateOnly From, DateOnly? To = null)
    {
        public IEnumerable<DateOnly> Dates() => Enumerable.Range(0, (To ?? From).DayNumber - From.DayNumber + 1).Select(From.AddDays);
    }

    // The school's year: two terms (the semesters below), breaks between them, public holidays, two make-up Saturdays.
    private static readonly Day[] SchoolCalendar =
    [
        new("National Day", CalendarDayKind.Closure, new(2026, 10, 1), new(2026, 10, 7)),         // Thu–Wed: the monthly meeting's Monday
        new("National Day make-up", CalendarDayKind.MakeUpDay, new(2026, 10, 10)),               // a make-up Saturday
        new("Winter break", CalendarDayKind.Closure, new(2027, 1, 25), new(2027, 2, 12)),
        new("Staff training day", CalendarDayKind.SkeletonDay, new(2027, 3, 8)),                 // a skeleton Monday (planning after start)
        new("Qingming Festival", CalendarDayKind.Closure, new(2027, 4, 5)),                      // a Monday public holiday, monthly meeting day
        new("Labour Day", CalendarDayKind.Closure, new(2027, 5, 1), new(2027, 5, 5)),             // Sat–Wed
        new("Bank holiday", CalendarDayKind.Closure, new(2027, 5, 31)),                          // a Monday public holiday
        new("Summer break", CalendarDayKind.Closure, new(2027, 7, 5), new(2027, 8, 27)),
        new("National Day", CalendarDayKind.Closure, new(2027, 10, 1), new(2027, 10, 7)),         // Fri–Thu
        new("Autumn break", CalendarDayKind.Closure, new(2027, 10, 25), new(2027, 10, 29)),
        new("Autumn break make-up", CalendarDayKind.MakeUpDay, new(2027, 10, 30)),               // the week's only school day
        new("Winter break", CalendarDayKind.Closure, new(2028, 1, 24), new(2028, 2, 11)),
        new("Spring break", CalendarDayKind.Closure, new(2028, 3, 20), new(2028, 3, 25)),
        // Caretakers in around the clock while the boiler is replaced; in London the clocks go forward at 01:00 that night.
        new("Boiler works", CalendarDayKind.SkeletonDay, new(2028, 3, 26)),
        new("Summer break", CalendarDayKind.Closure, new(2028, 7, 3), new(2028, 8, 25)),
    ];

    // Holidays the administrator adds while the clock runs, after rounds or meetings on those days were created.
    private static readonly (DateOnly AddedOn, Day Day)[] AddedLater =
    [
        (new(2027, 5, 31), new("Burst water main", CalendarDayKind.Closure, new(2027, 6, 1))),   // the Tuesday the week's rounds moved to
        (new(2027, 11, 20), new("Strike day", CalendarDayKind.Closure, new(2027, 12, 6))),       // the monthly meeting's Monday
    ];

    private static readonly (string Name, DateOnly StartsOn, DateOnly EndsOn)[] Semesters =
    [
        ("Autumn 2026", new(2026, 9, 14), new(2027, 1, 22)),
        ("Spring 2027", new(2027, 2, 22), new(2027, 7, 2)),
        ("Autumn 2027", new(2027, 9, 1), new(2028, 1, 21)),
        ("Spring 2028", new(2028, 2, 21), new(2028, 6, 30)),
    ];

    private static Dictionary<string, string?> Settings(string zone)
    {
        var settings = new Dictionary<string, string?>
        {
            ["School:TimeZone"] = zone,
            ["Inspections:Schedule"] = "30 7 * * MON",
            ["Meetings:Series:0:Key"] = "monthly-staff",
            ["Meetings:Series:0:Name"] = "Monthly logistics staff meeting",
            ["Meetings:Series:0:Cron"] = MonthlyCron,
            ["Meetings:Series:0:Place"] = "Conference Room",
            ["Intake:PermitLimit"] = "10",
            // Skeleton days from midnight to noon, so London's spring-forward night falls inside working hours.
            ["Calendar:WorkingHours:Holiday:0"] = "00:00-12:00",
            ["Calendar:WorkingHours:MakeUpDay:0"] = "07:30-17:30",
        };
        foreach (var (key, value) in TestHours.SchoolWeek())
        {
            settings[key] = value;
        }
        for (var i = 0; i < Semesters.Length; i++)
        {
            settings[$"Calendar:Semesters:{i}:Name"] = Semesters[i].Name;
            settings[$"Calendar:Semesters:{i}:StartsOn"] = Semesters[i].StartsOn.ToString("yyyy-MM-dd");
            settings[$"Calendar:Semesters:{i}:EndsOn"] = Semesters[i].EndsOn.ToString("yyyy-MM-dd");
        }
        for (var i = 0; i < SchoolCalendar.Length; i++)
        {
            settings[$"Calendar:Days:{i}:Name"] = SchoolCalendar[i].Name;
            settings[$"Calendar:Days:{i}:Kind"] = SchoolCalendar[i].Kind.ToString();
            settings[$"Calendar:Days:{i}:From"] = SchoolCalendar[i].From.ToString("yyyy-MM-dd");
            settings[$"Calendar:Days:{i}:To"] = (SchoolCalendar[i].To ?? SchoolCalendar[i].From).ToString("yyyy-MM-dd");
        }
        return settings;
    }

    protected abstract string Zone { get; }

    [Fact]
    public async Task TwoSchoolYears_RoundsAndMeetingsOnSchoolDaysOnly_EveryReminderOnce()
    {
        var zone = Zone;
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var startLocal = new DateTime(2026, 8, 31, 0, 0, 0); // a Monday, before the first round of the school year
        var start = new DateTimeOffset(startLocal, tz.GetUtcOffset(startLocal)).ToUniversalTime();
        var end = start.AddDays(7 * 104);
        var data = await TestData.CreateAsync(now: start, timeZone: zone, settings: Settings(zone));
        var directory = data.Directory;
        var clock = new Stopwatch();
        clock.Start();
        var restarts = new Queue<DateTimeOffset>([start.AddDays(7 * 30 + 3), start.AddDays(7 * 70 + 5)]);
        var additions = new Queue<(DateTimeOffset At, Day Day)>(AddedLater.Select(a => (Local(tz, a.AddedOn, new TimeOnly(12, 0)), a.Day)));
        var outage = FirstMondayOfAMonthAfter(start.AddDays(7 * 50), tz);
        var steps = 0;
        try
        {
            await RunEveryJobTwiceAsync(data); // what JobRegistrar triggers at every start
            var previous = data.Time.GetUtcNow();
            while (previous < end)
            {
                var now = previous.AddHours(1);
                if (now >= outage.DownFrom && previous < outage.DownFrom)
                {
                    // Down from Sunday noon to Monday noon: Monday's 07:30 rounds and the meeting's 1-day reminder are missed.
                    await data.StopAsync();
                    data = await TestData.CreateAsync(now: outage.UpAt, timeZone: zone, settings: Settings(zone), reuseDirectory: directory);
                    await RunEveryJobTwiceAsync(data);
                    previous = data.Time.GetUtcNow();
                    continue;
                }
                if (restarts.TryPeek(out var restartAt) && now >= restartAt)
                {
                    restarts.Dequeue();
                    await data.StopAsync();
                    data = await TestData.CreateAsync(now: previous, timeZone: zone, settings: Settings(zone), reuseDirectory: directory);
                    await RunEveryJobTwiceAsync(data);
                }
                data.Time.SetUtcNow(now);
                if (additions.TryPeek(out var addition) && now >= addition.At)
                {
                    additions.Dequeue();
                    var added = await data.Get<CalendarPeriods>().AddAsync(
                        new CalendarPeriodInput(addition.Day.Name, addition.Day.Kind, addition.Day.From, addition.Day.To), await data.ActorAsync("admin"));
                    Assert.True(added.IsOk);
                }
                await RunDueJobsAsync(data, previous, now);
                previous = now;
                steps++;
            }
            output.WriteLine($"{zone}: {steps:N0} simulated hours in {clock.Elapsed.TotalSeconds:F1} s");

            await AssertOnSchoolDaysExactlyOnceAsync(data, zone, start, end, outage);

            // Idempotent: every job again, twice at once, then again after a restart, changes nothing.
            var before = await CountsAsync(data);
            await RunEveryJobTwiceAsync(data);
            await data.StopAsync();
            data = await TestData.CreateAsync(now: end, timeZone: zone, settings: Settings(zone), reuseDirectory: directory);
            await RunEveryJobTwiceAsync(data);
            Assert.Equal(before, await CountsAsync(data));
        }
        finally
        {
            await data.DisposeAsync();
        }
    }

    private static Task<(int Rounds, int Meetings, int Cancelled, int Reminders, int Notifications)> CountsAsync(TestData data) =>
        data.QueryAsync(async db => (await db.InspectionRounds.CountAsync(), await db.Meetings.CountAsync(), await db.Meetings.CountAsync(m => m.CancelledAt != null),
            await db.Reminders.CountAsync(), await db.Notifications.CountAsync()));

    private static DateTimeOffset Local(TimeZoneInfo tz, DateOnly day, TimeOnly time) => SchoolClock.At(tz, day, time);

    private sealed record Outage(DateTimeOffset DownFrom, DateTimeOffset UpAt, DateTimeOffset MeetingAt);

    private static Outage FirstMondayOfAMonthAfter(DateTimeOffset after, TimeZoneInfo tz)
    {
        var meeting = Cronos.CronExpression.Parse(MonthlyCron).GetNextOccurrence(after, tz)!.Value;
        var monday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(meeting, tz).DateTime);
        return new Outage(Local(tz, monday.AddDays(-1), new TimeOnly(12, 0)), Local(tz, monday, new TimeOnly(12, 0)), meeting);
    }

    private static async Task RunEveryJobTwiceAsync(TestData data)
    {
        var services = data.Services;
        await Task.WhenAll(Run<WeeklyInspectionJob>(services, j => j.RunAsync(default)), Run<WeeklyInspectionJob>(services, j => j.RunAsync(default)));
        await Task.WhenAll(Run<MeetingSchedulerJob>(services, j => j.RunAsync(default)), Run<MeetingSchedulerJob>(services, j => j.RunAsync(default)));
        await Task.WhenAll(Run<ReminderSweep>(services, j => j.RunAsync(default)), Run<ReminderSweep>(services, j => j.RunAsync(default)));
    }

    /// <summary>Each job whose schedule fired in (previous, now], as Hangfire's scheduler would run it: here, twice at once.</summary>
    private static async Task RunDueJobsAsync(TestData data, DateTimeOffset previous, DateTimeOffset now)
    {
        var services = data.Services;
        var clock = services.GetRequiredService<SchoolClock>();
        bool Fired(string cron) => clock.Occurrences(cron, previous, now).Any();
        var inspections = services.GetRequiredService<IOptions<InspectionOptions>>().Value;
        if (Fired(inspections.CalendarCheckSchedule))
        {
            await Task.WhenAll(Run<WeeklyInspectionJob>(services, j => j.FollowCalendarAsync(default)), Run<WeeklyInspectionJob>(services, j => j.FollowCalendarAsync(default)));
        }
        if (Fired(inspections.Schedule))
        {
            await Task.WhenAll(Run<WeeklyInspectionJob>(services, j => j.RunAsync(default)), Run<WeeklyInspectionJob>(services, j => j.RunAsync(default)));
        }
        if (Fired(services.GetRequiredService<IOptions<MeetingOptions>>().Value.SchedulerSchedule))
        {
            await Task.WhenAll(Run<MeetingSchedulerJob>(services, j => j.RunAsync(default)), Run<MeetingSchedulerJob>(services, j => j.RunAsync(default)));
        }
        // Every minute in production; on the hour here, which is when every reminder of these schedules falls due.
        await Task.WhenAll(Run<ReminderSweep>(services, j => j.RunAsync(default)), Run<ReminderSweep>(services, j => j.RunAsync(default)));
    }

    private static Task<int> Run<TJob>(IServiceProvider services, Func<TJob, Task<int>> run) where TJob : notnull =>
        Task.Run(() => run(services.GetRequiredService<TJob>()));

    // The test's own reading of the calendar, written without the app's WorkingCalendar or HolidayMoves.
    private static readonly HashSet<DateOnly> Holidays = SchoolCalendar.Concat(AddedLater.Select(a => a.Day))
        .Where(d => d.Kind != CalendarDayKind.MakeUpDay).SelectMany(d => d.Dates()).ToHashSet();

    private static readonly HashSet<DateOnly> MakeUpDays = SchoolCalendar.Where(d => d.Kind == CalendarDayKind.MakeUpDay).SelectMany(d => d.Dates()).ToHashSet();

    private static bool SchoolDay(DateOnly day) =>
        !Holidays.Contains(day) && (MakeUpDays.Contains(day) || day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>The week's round: Monday, or when Monday is a holiday the week's first school day; none in a week without one.</summary>
    private static DateOnly? ExpectedRoundDay(DateOnly monday) =>
        Enumerable.Range(0, 7).Select(monday.AddDays).Where(SchoolDay).Cast<DateOnly?>().FirstOrDefault();

    /// <summary>The month's meeting: its first Monday, or when that is a holiday the next school day within 7 days; else none.</summary>
    private static DateOnly? ExpectedMeetingDay(DateOnly firstMonday) =>
        !Holidays.Contains(firstMonday) ? firstMonday
            : Enumerable.Range(1, 7).Select(firstMonday.AddDays).Where(SchoolDay).Cast<DateOnly?>().FirstOrDefault();

    private async Task AssertOnSchoolDaysExactlyOnceAsync(TestData data, string zone, DateTimeOffset start, DateTimeOffset end, Outage outage)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, tz).DateTime);
        var firstMonday = DateOf(start);
        var mondays = Enumerable.Range(0, 104).Select(w => firstMonday.AddDays(7 * w)).ToList();

        // Rounds: one per group in each week that has a school day, on the expected day at 07:30, due by its end.
        var groups = InspectionService.Groups(await data.Get<DispatchBoard.Web.Areas.AreaDirectory>().GetAsync());
        Assert.Equal(13, groups.Count);
        var expectedWeeks = mondays.Where(m => ExpectedRoundDay(m) is not null).ToList();
        Assert.Equal(81, expectedWeeks.Count); // 104 weeks less 23 holiday weeks (3 + 8 + 3 + 1 + 8)
        var rounds = await data.QueryAsync(db => db.InspectionRounds.AsNoTracking().Where(r => r.ScheduledFor >= start && r.ScheduledFor < end).ToListAsync());
        Assert.Equal(expectedWeeks.Count * groups.Count, rounds.Count);
        Assert.Equal(1053, rounds.Count);
        Assert.All(rounds.GroupBy(r => r.AreaId), g => Assert.Equal(81, g.Count()));
        Assert.Equal(expectedWeeks, rounds.Select(r => r.WeekOf).Distinct().Order());
        Assert.All(rounds, r =>
        {
            var day = ExpectedRoundDay(r.WeekOf)!.Value;
            Assert.Equal(Local(tz, day, RoundTime), r.ScheduledFor);
            Assert.Equal(Local(tz, day.AddDays(1), TimeOnly.MinValue), r.DueAt);
            Assert.DoesNotContain(DateOf(r.ScheduledFor), Holidays);
        });
        // Moved rounds: National Day 2026 (Thursday), the skeleton training Monday, Qingming, the bank holiday then the
        // burst water main (Wednesday), National Day 2027 (Friday), the autumn break (make-up Saturday), the strike day.
        var moved = rounds.Where(r => DateOf(r.ScheduledFor) != r.WeekOf).Select(r => DateOf(r.ScheduledFor)).Distinct().Order().ToList();
        Assert.Equal(new DateOnly[] { new(2026, 10, 8), new(2027, 3, 9), new(2027, 4, 6), new(2027, 5, 6), new(2027, 6, 2), new(2027, 10, 8), new(2027, 10, 30), new(2027, 12, 7) },
            moved);
        // Each created within the hour after Monday 07:30 (a moved round ahead of its day), except the Monday the app was down.
        var late = rounds.Where(r => r.CreatedAt - Local(tz, r.WeekOf, RoundTime) >= TimeSpan.FromHours(1)).ToList();
        Assert.All(late, r => Assert.Equal(outage.UpAt, r.CreatedAt));
        Assert.Equal(groups.Count, late.Count);

        // Meetings: the month's meeting on its first Monday, moved or left out on holidays; planning on school days.
        var meetings = await data.QueryAsync(db => db.Meetings.AsNoTracking().Include(m => m.Attendees).Where(m => m.StartsAt >= start && m.StartsAt < end).ToListAsync());
        var held = meetings.Where(m => m.CancelledAt is null).ToList();
        var monthly = held.Where(m => m.Kind == MeetingKind.Series).ToList();
        var expectedMonthly = Enumerable.Range(0, 24).Select(i => new DateOnly(2026, 9, 1).AddMonths(i))
            .Select(first => ExpectedMeetingDay(first.AddDays(((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7)))
            .OfType<DateOnly>().ToList();
        Assert.Equal(19, expectedMonthly.Count); // 24 months less February, July and August 2027, July and August 2028
        Assert.Equal(expectedMonthly.Select(d => Local(tz, d, new TimeOnly(16, 0))), monthly.Select(m => m.StartsAt).Order());
        Assert.Equal(new DateOnly[] { new(2026, 10, 8), new(2027, 4, 6), new(2027, 5, 6), new(2027, 10, 8), new(2027, 12, 7), new(2028, 2, 14) },
            monthly.Select(m => DateOf(m.StartsAt)).Where(d => d.DayOfWeek != DayOfWeek.Monday || d.Day > 7).Order());
        // The strike day was added after its meeting was in the calendar: that one is cancelled, its attendees told of the move.
        var cancelled = Assert.Single(meetings, m => m.CancelledAt is not null);
        Assert.Equal(Local(tz, new DateOnly(2027, 12, 6), new TimeOnly(16, 0)), cancelled.StartsAt);
        var replacement = Assert.Single(monthly, m => m.OccurrenceKey.StartsWith(cancelled.OccurrenceKey + ">", StringComparison.Ordinal));
        Assert.Equal(Local(tz, new DateOnly(2027, 12, 7), new TimeOnly(16, 0)), replacement.StartsAt);
        Assert.Equal(cancelled.Attendees.Select(a => a.UserId).Order(), replacement.Attendees.Select(a => a.UserId).Order());
        var movedAlerts = await data.QueryAsync(db => db.Notifications.AsNoTracking().Where(n => n.Key.StartsWith("meeting-moved:")).ToListAsync());
        Assert.Equal(cancelled.Attendees.Select(a => "meeting-moved:" + cancelled.Id + ":" + a.UserId).Order(), movedAlerts.Select(n => n.Key).Order());
        Assert.All(movedAlerts, n => Assert.Contains("Strike day", n.Body));

        var planning = held.Where(m => m.Kind is MeetingKind.SemesterBefore or MeetingKind.SemesterAfter).ToList();
        Assert.Equal(8, planning.Count);
        Assert.Equal(
            new DateOnly[] { new(2026, 9, 7), new(2026, 9, 28), new(2027, 2, 15), new(2027, 3, 9), new(2027, 8, 30), new(2027, 9, 15), new(2028, 2, 14), new(2028, 3, 6) },
            planning.Select(m => DateOf(m.StartsAt)).Order());
        Assert.All(planning, m => Assert.Equal(new TimeOnly(10, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(m.StartsAt, tz).DateTime)));
        Assert.All(held, m => Assert.True(SchoolDay(DateOf(m.StartsAt)), $"{m.Title} on {DateOf(m.StartsAt)} is not a school day"));

        // Reminders: each held meeting's attendees twice (a day and an hour before, at those instants); none for the cancelled one.
        var reminders = await data.QueryAsync(db => db.Reminders.AsNoTracking().ToListAsync());
        var meetingReminders = reminders.Where(r => r.Kind == ReminderKind.Meeting && meetings.Any(m => m.Id == r.MeetingId)).ToList();
        Assert.Equal(held.Sum(m => m.Attendees.Count) * 2, meetingReminders.Count);
        Assert.Equal(19 * 5 * 2 + 8 * 6 * 2, meetingReminders.Count); // 5 attend the monthly meeting, 6 the planning meetings
        Assert.DoesNotContain(meetingReminders, r => r.MeetingId == cancelled.Id);
        Assert.All(held, m => Assert.All(m.Attendees, a =>
            Assert.Equal([60, 1440], meetingReminders.Where(r => r.MeetingId == m.Id && r.UserId == a.UserId)
                .Select(r => (int)(m.StartsAt - r.DueAt).TotalMinutes).Order())));
        Assert.All(meetingReminders.Where(r => r.CreatedAt != outage.UpAt), r => Assert.Equal(r.DueAt, r.CreatedAt));
        // The 1-day reminder of the meeting after the outage was due while the app was down: it went out at start.
        Assert.All(meetingReminders.Where(r => meetings.First(m => m.Id == r.MeetingId).StartsAt == outage.MeetingAt && r.DueAt < outage.UpAt),
            r => Assert.Equal(outage.UpAt, r.CreatedAt));

        // The person doing each round is reminded at 08:00 on its day (the moved day), once; the dispatcher when it is overdue.
        var assigned = rounds.Where(r => r.AssignedToId is not null).ToList();
        var morning = reminders.Where(r => r.Kind == ReminderKind.InspectionDay && rounds.Any(x => x.Id == r.RoundId)).ToList();
        Assert.Equal(assigned.Count, morning.Count);
        Assert.All(morning, r =>
        {
            var day = DateOf(rounds.First(x => x.Id == r.RoundId).ScheduledFor);
            Assert.Equal(Local(tz, day, MorningReminder), r.DueAt);
            Assert.Equal(r.DueAt == outage.UpAt.AddHours(-4) ? outage.UpAt : r.DueAt, r.CreatedAt);
        });
        var overdue = reminders.Where(r => r.Kind == ReminderKind.RoundOverdue && rounds.Any(x => x.Id == r.RoundId && x.DueAt < end)).ToList();
        Assert.Equal(rounds.Count(r => r.DueAt < end), overdue.Count);
        Assert.All(overdue, r => Assert.Equal(rounds.First(x => x.Id == r.RoundId).DueAt, r.DueAt));
        // The rounds moved off the burst water main's Tuesday were not started: their people were told, once each.
        var roundMoved = await data.QueryAsync(db => db.Notifications.AsNoTracking().Where(n => n.Key.StartsWith("round-moved:")).Select(n => n.Key).ToListAsync());
        Assert.Equal(assigned.Count(r => r.WeekOf == new DateOnly(2027, 5, 31)), roundMoved.Count);
        Assert.Equal(roundMoved.Count, roundMoved.Distinct().Count());

        // London's spring-forward night inside the skeleton day's hours: 11 working hours that day, 12 in Shanghai.
        var calendar = await data.Get<CalendarPeriods>().WorkingCalendarAsync();
        var boiler = new DateOnly(2028, 3, 26);
        Assert.Equal(TimeSpan.FromHours(tz.Id == "Europe/London" ? 11 : 12),
            calendar.WorkingTimeBetween(Local(tz, boiler, TimeOnly.MinValue), Local(tz, boiler.AddDays(1), TimeOnly.MinValue)));
        Assert.DoesNotContain(rounds, r => r.WeekOf == new DateOnly(2028, 3, 20));

        var alerts = await data.QueryAsync(db => db.Notifications.AsNoTracking().Where(n => n.Key.StartsWith("reminder:")).Select(n => n.Key).ToListAsync());
        Assert.Equal(reminders.Count, alerts.Count);
        Assert.Equal(reminders.Select(r => "reminder:" + r.Key).Order(), alerts.Order());
        output.WriteLine($"{zone}: {rounds.Count} rounds ({groups.Count} groups × {expectedWeeks.Count} school weeks of 104; {moved.Count} weeks moved), " +
            $"{monthly.Count} monthly meetings ({monthly.Count(m => DateOf(m.StartsAt).DayOfWeek != DayOfWeek.Monday || DateOf(m.StartsAt).Day > 7)} moved, 1 cancelled and replaced), " +
            $"{planning.Count} planning meetings, {meetingReminders.Count} meeting reminders, {morning.Count} round reminders, " +
            $"{overdue.Count} overdue alerts, {movedAlerts.Count} meeting-moved and {roundMoved.Count} round-moved notices; every one once");
    }
}

/// <summary>A zone without daylight saving.</summary>
public sealed class ShanghaiClockSimulationTests(ITestOutputHelper output) : ClockSimulationTests(output)
{
    protected override string Zone => "Asia/Shanghai";
}

/// <summary>A zone with daylight saving: a 23-hour day in March and a 25-hour one in October, twice, one inside a skeleton day's hours.</summary>
public sealed class LondonClockSimulationTests(ITestOutputHelper output) : ClockSimulationTests(output)
{
    protected override string Zone => "Europe/London";
}
