using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Realtime;
using Ical.Net;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class MeetingTests : IAsyncLifetime
{
    // Thursday 26 Nov 2026, 10:00 at the school (Asia/Shanghai).
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private TestData _data = default!;
    private MeetingService Meetings => _data.Get<MeetingService>();
    private MeetingScheduler Scheduler => _data.Get<MeetingScheduler>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(now: Now, settings: new Dictionary<string, string?>
    {
        ["Meetings:Series:0:Key"] = "monthly-staff",
        ["Meetings:Series:0:Name"] = "Monthly logistics staff meeting",
        ["Meetings:Series:0:Cron"] = "0 16 * * MON#1",
        ["Meetings:Series:0:Place"] = "Conference Room",
        ["Calendar:Semesters:0:Name"] = "Spring 2027",
        ["Calendar:Semesters:0:StartsOn"] = "2027-01-18",
        ["Calendar:Semesters:0:EndsOn"] = "2027-06-30",
    });

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task Schedule_PutsTheNextMonthlyMeetingsAndPlanningMeetingsInTheCalendar_Once()
    {
        var created = await Task.WhenAll(Scheduler.ScheduleAsync(), Scheduler.ScheduleAsync());
        await Scheduler.ScheduleAsync();

        var upcoming = await Meetings.ListAsync(Now, Now.AddDays(60));
        Assert.Equal(upcoming.Count, created.Sum());
        var monthly = upcoming.Where(m => m.Kind == MeetingKind.Series).ToList();
        // First Mondays within 60 days: 7 Dec 2026 and 4 Jan 2027, 16:00 at the school.
        Assert.Equal([new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.Zero)],
            monthly.Select(m => m.StartsAt));
        Assert.All(monthly, m => Assert.Equal(5, m.Attendees.Count)); // four staff and the dispatcher
        var before = Assert.Single(upcoming, m => m.Kind == MeetingKind.SemesterBefore);
        Assert.Equal(new DateTimeOffset(2027, 1, 11, 2, 0, 0, TimeSpan.Zero), before.StartsAt); // 7 days before, 10:00
        Assert.Equal(6, before.Attendees.Count); // with the principal
    }

    [Fact]
    public async Task Notes_AgendaBefore_MinutesAndAttendanceOnlyOnceItStarted()
    {
        await Scheduler.ScheduleAsync();
        var meeting = (await Meetings.ListAsync(Now, Now.AddDays(30))).First(m => m.Kind == MeetingKind.Series);
        var dispatcher = await _data.ActorAsync("dispatcher");
        var someone = meeting.Attendees[0].UserId;

        var agenda = await Meetings.UpdateNotesAsync(meeting.Id, "1. Budget\n2. Rounds", null, null, dispatcher);
        var early = await Meetings.UpdateNotesAsync(meeting.Id, "1. Budget", "We agreed…", new Dictionary<string, bool?> { [someone] = true }, dispatcher);
        _data.Time.SetUtcNow(meeting.StartsAt.AddMinutes(70));
        var after = await Meetings.UpdateNotesAsync(meeting.Id, "1. Budget", "Agreed to replace the stairwell lights.", new Dictionary<string, bool?> { [someone] = true }, dispatcher);

        Assert.True(agenda.IsOk);
        Assert.True(early.Errors.ContainsKey("minutes") && early.Errors.ContainsKey("attendance"));
        Assert.Equal("Agreed to replace the stairwell lights.", after.Value!.Minutes);
        Assert.True(after.Value.Attendees.Single(a => a.UserId == someone).Attended);
    }

    [Fact]
    public async Task Series_EditedSchedule_ReplacesFutureMeetings_BadCronIsNamed()
    {
        await Scheduler.ScheduleAsync();
        var series = Assert.Single(await Scheduler.SeriesAsync());
        var admin = await _data.ActorAsync("admin");

        var bad = await Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "every monday", 60, null, null, "Staff", true), admin);
        var good = await Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "0 15 * * TUE#1", 45, "Staff Room", null, "Staff,Dispatcher", true), admin);
        var byStaff = await Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("x", "0 15 * * TUE#1", 45, null, null, "Staff", true), await _data.ActorAsync("staff1"));

        Assert.True(bad.Errors.ContainsKey("cron"));
        Assert.True(good.IsOk);
        Assert.Equal(ResultKind.Forbidden, byStaff.Kind);
        var monthly = (await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series).ToList();
        Assert.All(monthly, m => Assert.Equal((DayOfWeek.Tuesday, 15, "Staff Room"), (_data.Get<DispatchBoard.Web.Hosting.SchoolClock>().ToLocal(m.StartsAt).DayOfWeek,
            _data.Get<DispatchBoard.Web.Hosting.SchoolClock>().ToLocal(m.StartsAt).Hour, m.Place)));
    }

    [Fact]
    public async Task Series_Edit_PublishesOnceAfterItCommits_AndTheSchedulerFindsNothingLeftToAdd()
    {
        await Scheduler.ScheduleAsync();
        var series = Assert.Single(await Scheduler.SeriesAsync());
        var events = new List<BoardEvent>();
        using var subscription = _data.Get<DispatchNotifier>().Subscribe(e => { lock (events) { events.Add(e); } });

        var edit = await Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "0 15 * * TUE#1", 45, "Staff Room", null, "Staff", true),
            await _data.ActorAsync("admin"));
        var addedAfterwards = await Scheduler.ScheduleAsync();

        Assert.True(edit.IsOk, edit.Describe());
        Assert.Equal(new MeetingsChanged(null), Assert.Single(events));
        Assert.Equal(0, addedAfterwards); // the edit made the same occurrences, under the same keys, as the scheduler does
        var monthly = (await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series).ToList();
        // First Tuesdays within 60 days, 15:00 at the school: 1 Dec 2026 and 5 Jan 2027.
        Assert.Equal([new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 5, 7, 0, 0, TimeSpan.Zero)],
            monthly.Select(m => m.StartsAt));
        Assert.All(monthly, m => Assert.Equal(4, m.Attendees.Count)); // the four staff only, as the edit says
    }

    [Fact]
    public async Task Series_EditFailingPartWay_LeavesTheOldScheduleAndItsMeetings_AndTellsNobody()
    {
        await Scheduler.ScheduleAsync();
        var series = Assert.Single(await Scheduler.SeriesAsync());
        var admin = await _data.ActorAsync("admin");
        var before = (await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series).Select(m => (m.Id, m.StartsAt, m.Place)).ToList();
        Assert.Equal(2, before.Count);
        // The database refuses the new meetings (as a full disk would), after the series row was updated and its
        // future meetings deleted inside the edit.
        await _data.RefuseInsertsAsync("Meetings", "refuse_new_meetings", "disk full");
        var events = new List<BoardEvent>();
        using var subscription = _data.Get<DispatchNotifier>().Subscribe(e => { lock (events) { events.Add(e); } });

        await Assert.ThrowsAsync<DbUpdateException>(() => Scheduler.UpdateSeriesAsync(series.Id,
            new SeriesInput("Monthly", "0 15 * * TUE#1", 45, "Staff Room", null, "Staff", true), admin));

        Assert.Equal(series, Assert.Single(await Scheduler.SeriesAsync()));
        Assert.Equal(before, (await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series).Select(m => (m.Id, m.StartsAt, m.Place)));
        Assert.Empty(events);

        // Once the database takes writes again, the same edit goes through whole.
        await _data.AllowInsertsAsync("refuse_new_meetings");
        var retried = await Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "0 15 * * TUE#1", 45, "Staff Room", null, "Staff", true), admin);
        Assert.True(retried.IsOk, retried.Describe());
        Assert.All((await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series), m => Assert.Equal("Staff Room", m.Place));
    }

    [Fact]
    public async Task Series_TwoEditsAtOnce_TheMeetingsFollowTheEditSavedLast_EachOccurrenceOnce()
    {
        await Scheduler.ScheduleAsync();
        var series = Assert.Single(await Scheduler.SeriesAsync());
        var admin = await _data.ActorAsync("admin");

        var edits = await Task.WhenAll(
            Task.Run(() => Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "0 15 * * TUE#1", 45, "Staff Room", null, "Staff", true), admin)),
            Task.Run(() => Scheduler.UpdateSeriesAsync(series.Id, new SeriesInput("Monthly", "0 9 * * FRI#1", 60, "Library", null, "Staff", true), admin)));

        Assert.All(edits, e => Assert.True(e.IsOk, e.Describe()));
        var saved = Assert.Single(await Scheduler.SeriesAsync());
        var clock = _data.Get<DispatchBoard.Web.Hosting.SchoolClock>();
        var expected = clock.Occurrences(saved.Cron, Now, Now.AddDays(60)).ToList();
        var monthly = (await Meetings.ListAsync(Now, Now.AddDays(60))).Where(m => m.Kind == MeetingKind.Series).ToList();
        Assert.Equal(expected, monthly.Select(m => m.StartsAt));
        Assert.All(monthly, m => Assert.Equal(saved.Place, m.Place));
    }

    [Fact]
    public async Task OneOff_IsValidated_AndCanBeCancelled()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");

        var past = await Scheduler.CreateOneOffAsync(new OneOffInput("Fire drill debrief", Now.AddHours(-1), 30, "Hall", null, ["Staff"]), dispatcher);
        var noRoles = await Scheduler.CreateOneOffAsync(new OneOffInput("Fire drill debrief", Now.AddDays(1), 30, "Hall", null, ["Janitor"]), dispatcher);
        var created = await Scheduler.CreateOneOffAsync(new OneOffInput("Fire drill debrief", Now.AddDays(1), 30, "Hall", null, ["Staff"]), dispatcher);
        var cancelled = await Scheduler.CancelAsync(created.Value!.Id, dispatcher);

        Assert.True(past.Errors.ContainsKey("startsAt"));
        Assert.True(noRoles.Errors.ContainsKey("attendeeRoles"));
        Assert.Equal(4, created.Value.Attendees.Count);
        Assert.True(cancelled.Value!.Cancelled);
        Assert.Equal(ResultKind.Conflict, (await Scheduler.CancelAsync(created.Value.Id, dispatcher)).Kind);
    }

    [Fact]
    public async Task CalendarFeed_HasThePersonsNextMeetings_UnknownOrRegeneratedTokenHasNone()
    {
        await Scheduler.ScheduleAsync();
        var feed = _data.Get<CalendarFeed>();
        var wang = await _data.ActorAsync("staff1");
        var token = await feed.TokenAsync(wang.UserId, regenerate: false);

        var ics = await feed.FeedAsync(token);

        var calendar = Calendar.Load(ics!)!;
        Assert.Contains(calendar.Events, e => e.Summary == "Monthly logistics staff meeting" && e.Location == "Conference Room"
            && e.DtStart!.AsUtc == new DateTime(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc));
        Assert.Null(await feed.FeedAsync("0123456789abcdef0123456789abcdef01234567"));
        var fresh = await feed.TokenAsync(wang.UserId, regenerate: true);
        Assert.NotEqual(token, fresh);
        Assert.Null(await feed.FeedAsync(token));
        Assert.NotNull(await feed.FeedAsync(fresh));
    }
}
