using System.Diagnostics;
using DispatchBoard.Testing;
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
/// reminders must each happen exactly once, in a zone without daylight saving and in one with it.
/// </summary>
/// <remarks>One test class per zone (below), so that xunit runs the two zones side by side.</remarks>
public abstract class ClockSimulationTests(ITestOutputHelper output)
{
    private const string MonthlyCron = "0 16 * * MON#1";

    private static Dictionary<string, string?> Settings(string zone) => new()
    {
        ["School:TimeZone"] = zone,
        ["Inspections:Schedule"] = "30 7 * * MON",
        ["Meetings:Series:0:Key"] = "monthly-staff",
        ["Meetings:Series:0:Name"] = "Monthly logistics staff meeting",
        ["Meetings:Series:0:Cron"] = MonthlyCron,
        ["Meetings:Series:0:Place"] = "Conference Room",
        ["Calendar:Semesters:0:Name"] = "Autumn 2026", ["Calendar:Semesters:0:StartsOn"] = "2026-09-14", ["Calendar:Semesters:0:EndsOn"] = "2027-01-22",
        ["Calendar:Semesters:1:Name"] = "Spring 2027", ["Calendar:Semesters:1:StartsOn"] = "2027-02-22", ["Calendar:Semesters:1:EndsOn"] = "2027-07-02",
        ["Calendar:Semesters:2:Name"] = "Autumn 2027", ["Calendar:Semesters:2:StartsOn"] = "2027-09-01", ["Calendar:Semesters:2:EndsOn"] = "2028-01-21",
        ["Calendar:Semesters:3:Name"] = "Spring 2028", ["Calendar:Semesters:3:StartsOn"] = "2028-02-21", ["Calendar:Semesters:3:EndsOn"] = "2028-06-30",
        ["Intake:PermitLimit"] = "10",
    };

    protected abstract string Zone { get; }

    [Fact]
    public async Task TwoSchoolYears_OneRoundPerGroupPerWeek_OneMonthlyMeetingPerMonth_EveryReminderOnce()
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
                await RunDueJobsAsync(data, previous, now);
                previous = now;
                steps++;
            }
            output.WriteLine($"{zone}: {steps:N0} simulated hours in {clock.Elapsed.TotalSeconds:F1} s");

            await AssertExactlyOnceAsync(data, zone, start, end, outage);
        }
        finally
        {
            await data.DisposeAsync();
        }
    }

    private sealed record Outage(DateTimeOffset DownFrom, DateTimeOffset UpAt, DateTimeOffset MeetingAt);

    private static Outage FirstMondayOfAMonthAfter(DateTimeOffset after, TimeZoneInfo tz)
    {
        var meeting = Cronos.CronExpression.Parse(MonthlyCron).GetNextOccurrence(after, tz)!.Value;
        var monday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(meeting, tz).DateTime);
        DateTimeOffset Local(DateOnly day, int hour)
        {
            var local = day.ToDateTime(new TimeOnly(hour, 0));
            return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
        }
        return new Outage(Local(monday.AddDays(-1), 12), Local(monday, 12), meeting);
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
        if (Fired(services.GetRequiredService<IOptions<InspectionOptions>>().Value.Schedule))
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

    private async Task AssertExactlyOnceAsync(TestData data, string zone, DateTimeOffset start, DateTimeOffset end, Outage outage)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var groups = InspectionService.Groups(await data.Get<DispatchBoard.Web.Areas.AreaDirectory>().GetAsync());
        var rounds = await data.QueryAsync(db => db.InspectionRounds.AsNoTracking().Where(r => r.ScheduledFor >= start && r.ScheduledFor < end).ToListAsync());
        Assert.Equal(104 * groups.Count, rounds.Count);
        Assert.All(rounds.GroupBy(r => r.AreaId), g => Assert.Equal(104, g.Count()));
        Assert.All(rounds.GroupBy(r => r.WeekOf), g => Assert.Equal(groups.Count, g.Count()));
        Assert.All(rounds.Select(r => r.WeekOf).Distinct(), w => Assert.Equal(DayOfWeek.Monday, w.DayOfWeek));
        // Scheduled at 07:30 school time whatever the season, and created at the next step after it, except on the
        // Monday the app was down: then at start.
        Assert.All(rounds, r => Assert.Equal(new TimeSpan(7, 30, 0), TimeZoneInfo.ConvertTime(r.ScheduledFor, tz).TimeOfDay));
        var late = rounds.Where(r => r.CreatedAt - r.ScheduledFor > TimeSpan.FromHours(1)).ToList();
        Assert.All(late, r => Assert.Equal(outage.UpAt, r.CreatedAt));
        Assert.Equal(groups.Count, late.Count);

        var meetings = await data.QueryAsync(db => db.Meetings.AsNoTracking().Include(m => m.Attendees).Where(m => m.StartsAt >= start && m.StartsAt < end).ToListAsync());
        var monthly = meetings.Where(m => m.Kind == MeetingKind.Series).ToList();
        Assert.Equal(24, monthly.Count);
        Assert.Equal(24, monthly.Select(m => TimeZoneInfo.ConvertTime(m.StartsAt, tz).ToString("yyyy-MM")).Distinct().Count());
        Assert.All(monthly, m =>
        {
            var local = TimeZoneInfo.ConvertTime(m.StartsAt, tz);
            Assert.Equal((DayOfWeek.Monday, 16, true), (local.DayOfWeek, local.Hour, local.Day <= 7));
        });
        Assert.Equal(8, meetings.Count(m => m.Kind is MeetingKind.SemesterBefore or MeetingKind.SemesterAfter));

        var reminders = await data.QueryAsync(db => db.Reminders.AsNoTracking().ToListAsync());
        var meetingReminders = reminders.Where(r => r.Kind == ReminderKind.Meeting && meetings.Any(m => m.Id == r.MeetingId)).ToList();
        var expectedMeetingReminders = meetings.Sum(m => m.Attendees.Count) * 2;
        Assert.Equal(expectedMeetingReminders, meetingReminders.Count);
        Assert.All(meetings, m => Assert.All(m.Attendees, a =>
            Assert.Equal([60, 1440], meetingReminders.Where(r => r.MeetingId == m.Id && r.UserId == a.UserId)
                .Select(r => (int)(m.StartsAt - r.DueAt).TotalMinutes).Order())));
        // The 1-day reminder of the meeting after the outage was due while the app was down: it went out at start.
        Assert.All(meetingReminders.Where(r => meetings.First(m => m.Id == r.MeetingId).StartsAt == outage.MeetingAt && r.DueAt < outage.UpAt),
            r => Assert.Equal(outage.UpAt, r.CreatedAt));

        var assigned = rounds.Where(r => r.AssignedToId is not null).ToList();
        var morning = reminders.Where(r => r.Kind == ReminderKind.InspectionDay).ToList();
        Assert.Equal(assigned.Count, morning.Count(r => rounds.Any(x => x.Id == r.RoundId)));
        var overdue = reminders.Where(r => r.Kind == ReminderKind.RoundOverdue && rounds.Any(x => x.Id == r.RoundId && x.DueAt < end)).ToList();
        Assert.Equal(rounds.Count(r => r.DueAt < end), overdue.Count);

        var alerts = await data.QueryAsync(db => db.Notifications.AsNoTracking().Where(n => n.Key.StartsWith("reminder:")).Select(n => n.Key).ToListAsync());
        Assert.Equal(reminders.Count, alerts.Count);
        Assert.Equal(reminders.Select(r => "reminder:" + r.Key).Order(), alerts.Order());
        output.WriteLine($"{zone}: {rounds.Count} rounds ({groups.Count} groups × 104 weeks), {monthly.Count} monthly meetings, " +
            $"{meetings.Count - monthly.Count} planning meetings, {meetingReminders.Count} meeting reminders, {morning.Count} round reminders, " +
            $"{overdue.Count} overdue alerts; every one once");
    }
}

/// <summary>A zone without daylight saving.</summary>
public sealed class ShanghaiClockSimulationTests(ITestOutputHelper output) : ClockSimulationTests(output)
{
    protected override string Zone => "Asia/Shanghai";
}

/// <summary>A zone with daylight saving: a 23-hour day in March and a 25-hour one in October, twice.</summary>
public sealed class LondonClockSimulationTests(ITestOutputHelper output) : ClockSimulationTests(output)
{
    protected override string Zone => "Europe/London";
}
