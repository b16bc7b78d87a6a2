using DispatchBoard.Testing;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Reminders;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>Rounds and meetings on the school calendar: created around holidays, and moved when a holiday is added later.</summary>
public sealed class HolidayScheduleTests
{
    private const string Schedule = "30 7 * * MON";

    // Thursday 26 Nov 2026, 10:00 at the school (Asia/Shanghai); the month's meeting is Monday 7 December at 16:00.
    private static readonly DateTimeOffset Thursday = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday7Dec16 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday8Dec16 = new(2026, 12, 8, 8, 0, 0, TimeSpan.Zero);

    // Monday 23 Nov 2026, 09:00 at the school: after the week's 07:30 round time.
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings(string? onHoliday = null, params (string Name, string From, string To)[] closures)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Meetings:Series:0:Key"] = "monthly-staff",
            ["Meetings:Series:0:Name"] = "Monthly logistics staff meeting",
            ["Meetings:Series:0:Cron"] = "0 16 * * MON#1",
        };
        if (onHoliday is not null)
        {
            settings["Meetings:OnHoliday"] = onHoliday;
        }
        foreach (var (key, value) in TestHours.SchoolWeek())
        {
            settings[key] = value;
        }
        for (var i = 0; i < closures.Length; i++)
        {
            settings[$"Calendar:Days:{i}:Name"] = closures[i].Name;
            settings[$"Calendar:Days:{i}:Kind"] = nameof(CalendarDayKind.Closure);
            settings[$"Calendar:Days:{i}:From"] = closures[i].From;
            settings[$"Calendar:Days:{i}:To"] = closures[i].To;
        }
        return settings;
    }

    [Theory]
    [InlineData("Move", true)]
    [InlineData("Skip", false)]
    public async Task Schedule_MonthlyMeetingOnAHoliday_MovesToTheNextSchoolDay_OrIsSkipped(string onHoliday, bool moved)
    {
        await using var data = await TestData.CreateAsync(now: Thursday, settings: Settings(onHoliday, ("Staff holiday", "2026-12-07", "2026-12-07")));
        var scheduler = data.Get<MeetingScheduler>();

        await Task.WhenAll(scheduler.ScheduleAsync(), scheduler.ScheduleAsync());
        await scheduler.ScheduleAsync();

        var monthly = await data.QueryAsync(db => db.Meetings.Where(m => m.Kind == MeetingKind.Series).OrderBy(m => m.StartsAt).ToListAsync());
        var january = new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(moved ? new[] { Tuesday8Dec16, january } : new[] { january }, monthly.Select(m => m.StartsAt));
        Assert.All(monthly, m => Assert.Null(m.CancelledAt));
    }

    [Theory]
    [InlineData("Move")]
    [InlineData("Skip")]
    public async Task HolidayAddedLater_MeetingCancelled_ReplacedOrNot_AttendeesTold_RemindersFollow(string onHoliday)
    {
        await using var data = await TestData.CreateAsync(now: Thursday, settings: Settings(onHoliday));
        var scheduler = data.Get<MeetingScheduler>();
        await scheduler.ScheduleAsync();
        var dispatcher = await data.ActorAsync("dispatcher");
        var oneOff = await scheduler.CreateOneOffAsync(new OneOffInput("Fire drill briefing", Monday7Dec16.AddHours(-6), 30, null, null, ["Staff"]), dispatcher);
        var original = await data.QueryAsync(db => db.Meetings.Include(m => m.Attendees).SingleAsync(m => m.Kind == MeetingKind.Series && m.StartsAt == Monday7Dec16));

        var added = await data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Strike day", CalendarDayKind.Closure, new(2026, 12, 7), null),
            await data.ActorAsync("admin"));
        Assert.True(added.IsOk);
        await Task.WhenAll(scheduler.ScheduleAsync(), scheduler.ScheduleAsync());
        await scheduler.ScheduleAsync();

        var meetings = await data.QueryAsync(db => db.Meetings.Include(m => m.Attendees).Where(m => m.StartsAt < Tuesday8Dec16.AddDays(1)).ToListAsync());
        Assert.NotNull(meetings.Single(m => m.Id == original.Id).CancelledAt);
        Assert.Null(meetings.Single(m => m.Id == oneOff.Value!.Id).CancelledAt); // a one-off is someone's choice: it stays
        var replacement = meetings.SingleOrDefault(m => m.Kind == MeetingKind.Series && m.CancelledAt is null);
        var notices = await data.QueryAsync(db => db.Notifications.Where(n => n.Key.StartsWith("meeting-")).ToListAsync());
        Assert.Equal(original.Attendees.Select(a => a.UserId).Order(), notices.Select(n => n.UserId).Order());
        if (onHoliday == "Move")
        {
            Assert.NotNull(replacement);
            Assert.Equal(Tuesday8Dec16, replacement.StartsAt);
            Assert.Equal(original.Attendees.Select(a => a.UserId).Order(), replacement.Attendees.Select(a => a.UserId).Order());
            Assert.All(notices, n => Assert.Equal(("Moved: Monthly logistics staff meeting", "Now Tuesday 8 December, 16:00 (was Monday 7 December: Strike day)."), (n.Title, n.Body)));
        }
        else
        {
            Assert.Null(replacement);
            Assert.All(notices, n => Assert.Equal("Cancelled: Monthly logistics staff meeting", n.Title));
        }

        // A day before the old start, and a day before the new one: reminders only ever for the meeting that takes place.
        foreach (var at in new[] { Monday7Dec16.AddDays(-1), Tuesday8Dec16.AddDays(-1), Tuesday8Dec16.AddHours(-1) })
        {
            data.Time.SetUtcNow(at);
            await data.Get<ReminderSweep>().RunAsync(default);
        }
        var reminders = await data.QueryAsync(db => db.Reminders.Where(r => r.Kind == ReminderKind.Meeting && r.MeetingId != oneOff.Value!.Id).ToListAsync());
        Assert.DoesNotContain(reminders, r => r.MeetingId == original.Id);
        Assert.Equal(onHoliday == "Move" ? replacement!.Attendees.Count * 2 : 0, reminders.Count);
        Assert.All(reminders, r => Assert.Contains(r.DueAt, new[] { Tuesday8Dec16.AddDays(-1), Tuesday8Dec16.AddHours(-1) }));
    }

    [Fact]
    public async Task CreateWeek_HolidayWeek_NoRounds()
    {
        await using var data = await TestData.CreateAsync(now: MondayMorning, settings: Settings(null, ("Autumn break", "2026-11-23", "2026-11-27")));

        Assert.Equal(0, await data.Get<InspectionService>().CreateWeekAsync(Schedule));
        Assert.Empty(await data.Get<InspectionService>().WeekAsync());
    }

    [Fact]
    public async Task HolidayMonday_RoundsGoToTuesday_ThenATuesdayClosureMovesTheUnstartedOnesToWednesday_AndTellsTheirPeople()
    {
        await using var data = await TestData.CreateAsync(now: MondayMorning, settings: Settings(null, ("Sports day", "2026-11-23", "2026-11-23")));
        var inspections = data.Get<InspectionService>();

        Assert.Equal(13, (await Task.WhenAll(inspections.CreateWeekAsync(Schedule), inspections.CreateWeekAsync(Schedule))).Sum());
        var week = await inspections.WeekAsync();
        var tuesday = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero); // Tuesday 24 Nov, 07:30 at the school
        Assert.All(week, r => Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero), r.DueAt));
        var thisWeek = new DateOnly(2026, 11, 23);
        Assert.All(await data.QueryAsync(db => db.InspectionRounds.Where(r => r.WeekOf == thisWeek).ToListAsync()), r => Assert.Equal(tuesday, r.ScheduledFor));

        // Someone starts one round early; then Tuesday is declared a closure.
        var started = week.First(r => r.AssignedToId is not null);
        var line = (await inspections.GetAsync(started.Id))!.Items[0];
        Assert.True((await inspections.RecordAsync(line.Id, new CheckRecord(InspectionResult.Ok, null), await data.ActorAsync("dispatcher"))).IsOk);
        Assert.True((await data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Burst water main", CalendarDayKind.Closure, new(2026, 11, 24), null),
            await data.ActorAsync("admin"))).IsOk);

        // Adding the closure moved them at once (the calendar tells the features that follow it); the nightly check,
        // run twice at once, finds nothing left to do.
        Assert.Equal(0, (await Task.WhenAll(inspections.FollowCalendarAsync(), inspections.FollowCalendarAsync())).Sum());
        Assert.Equal(0, await inspections.FollowCalendarAsync());

        var rounds = await data.QueryAsync(db => db.InspectionRounds.Where(r => r.WeekOf == thisWeek).ToListAsync());
        Assert.Equal(13, rounds.Count);
        Assert.Equal(tuesday, rounds.Single(r => r.Id == started.Id).ScheduledFor);
        Assert.All(rounds.Where(r => r.Id != started.Id), r =>
        {
            Assert.Equal(tuesday.AddDays(1), r.ScheduledFor);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero), r.DueAt);
        });
        var notices = await data.QueryAsync(db => db.Notifications.Where(n => n.Key.StartsWith("round-moved:")).ToListAsync());
        Assert.Equal(rounds.Count(r => r.Id != started.Id && r.AssignedToId is not null), notices.Count);
        Assert.All(notices, n => Assert.StartsWith("Safety round moved to Wednesday 25 November", n.Title));
    }

    [Fact]
    public async Task RoundsCreatedForTuesday_TheRestOfTheWeekClosed_UnstartedRoundsAreRemoved_TheirPeopleTold()
    {
        await using var data = await TestData.CreateAsync(now: MondayMorning, settings: Settings(null, ("Sports day", "2026-11-23", "2026-11-23")));
        var inspections = data.Get<InspectionService>();
        await inspections.CreateWeekAsync(Schedule);
        var week = await inspections.WeekAsync();
        var started = week.First(r => r.AssignedToId is not null);
        var line = (await inspections.GetAsync(started.Id))!.Items[0];
        Assert.True((await inspections.RecordAsync(line.Id, new CheckRecord(InspectionResult.Ok, null), await data.ActorAsync("dispatcher"))).IsOk);
        Assert.True((await data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Flooding", CalendarDayKind.Closure, new(2026, 11, 24), new(2026, 11, 27)),
            await data.ActorAsync("admin"))).IsOk);

        Assert.Equal(0, (await Task.WhenAll(inspections.FollowCalendarAsync(), inspections.FollowCalendarAsync())).Sum()); // done by the add

        // The week has no school day left: only the round someone started is kept; a new run makes none.
        Assert.Equal(started.Id, Assert.Single(await inspections.WeekAsync()).Id);
        Assert.Equal(0, await inspections.CreateWeekAsync(Schedule));
        var notices = await data.QueryAsync(db => db.Notifications.Where(n => n.Key.StartsWith("round-cancelled:")).ToListAsync());
        Assert.Equal(week.Where(r => r.Id != started.Id && r.AssignedToId is not null).Select(r => r.AssignedToId).Count(), notices.Count);
        Assert.All(notices, n => Assert.StartsWith("No safety round this week", n.Title));
    }
}
