using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Repairs that respect teaching. The clock starts on Tuesday 24 November 2026 at 10:00 in Shanghai, in the third
/// lesson (10:00–10:45) of the default bells; the next break is 10:45–10:55, school ends at 16:35.
/// </summary>
public sealed class PlannedRepairTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>(TestHours.SchoolBells()));

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private TicketPlans Plans => _data.Get<TicketPlans>();

    private DateTimeOffset Today(int hour, int minute) =>
        _data.Get<SchoolClock>().At(new DateOnly(2026, 11, 24), new TimeOnly(hour, minute));

    private async Task<int> ReportAsync(string area = "B101", string category = "Lighting", bool urgent = false)
    {
        var result = await _data.Get<TicketIntake>().ReportAsync(
            new ReportTicket(area, category, "Light flickering over the board", urgent, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    [Fact]
    public async Task PlanForTheNextBreak_StoresItsStart_OnTheTimeline_AndPublishesIt()
    {
        var id = await ReportAsync();
        var events = new List<BoardEvent>();
        using var listening = _data.Get<DispatchNotifier>().Subscribe(e => { lock (events) { events.Add(e); } });

        var result = await Plans.PlanAsync(id, new PlanTicket(PlanSlot.NextBreak), await _data.ActorAsync("dispatcher"));

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(Today(10, 45), result.Value!.PlannedFor);
        Assert.True(result.Value.InTeachingRoom);
        Assert.Equal(2, result.Value.Version);
        var planned = await _data.QueryAsync(db => db.TicketEvents.SingleAsync(e => e.TicketId == id && e.Kind == TicketEventKind.Planned));
        Assert.Equal("Planned for 10:45 (next break 10:45–10:55)", planned.Note);
        lock (events)
        {
            Assert.Contains(events, e => e is TicketChanged { Ticket: { Version: 2, PlannedFor: not null } t } && t.Id == id);
        }
    }

    [Fact]
    public async Task APlannedTicket_IsNotChasedBeforeItsTime_ItsTargetCountsFromThePlan_AndClearingThePlanRestoresIt()
    {
        var id = await ReportAsync(); // 10:00, due 10:30
        var sweep = _data.Get<UnclaimedTicketSweep>();
        Task<Ticket> TicketAsync() => _data.QueryAsync(db => db.Tickets.SingleAsync(t => t.Id == id));

        Assert.True((await Plans.PlanAsync(id, new PlanTicket(PlanSlot.AfterSchool), await _data.ActorAsync("dispatcher"))).IsOk);
        Assert.Equal(Today(17, 5), (await TicketAsync()).ResponseDueAt); // 16:35 + 30 min

        _data.Time.SetUtcNow(Today(17, 4));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(0, (await TicketAsync()).EscalationLevel);
        _data.Time.SetUtcNow(Today(17, 5));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, (await TicketAsync()).EscalationLevel);

        Assert.True((await Plans.ClearAsync(id, await _data.ActorAsync("dispatcher"))).IsOk);
        Assert.Equal(Today(10, 30), (await TicketAsync()).ResponseDueAt);
    }

    [Fact]
    public async Task APlanOutsideWorkingHours_IsRefused_NamingTheTime()
    {
        await using var data = await TestData.CreateAsync(settings: new Dictionary<string, string?>(TestHours.SchoolBells().Concat(TestHours.SchoolWeek())));
        var result = await data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("B101", "Lighting", "Light flickering over the board", false, null, null), TicketChannel.Web, null);
        var at = data.Get<SchoolClock>().At(new DateOnly(2026, 11, 24), new TimeOnly(19, 0)); // Tuesday evening

        var planned = await data.Get<TicketPlans>().PlanAsync(result.Value!.Id, new PlanTicket(PlanSlot.At, at), await data.ActorAsync("dispatcher"));

        Assert.Equal(ResultKind.Invalid, planned.Kind);
        Assert.Equal(["19:00 is outside the school's working hours: plan it for a time the office is open."], planned.Errors["at"]);
    }

    [Fact]
    public async Task PlanAfterSchool_OrAChosenTime_ByTheClaimer()
    {
        var id = await ReportAsync();
        var staff2 = await _data.ActorAsync("staff2");
        Assert.True((await _data.Get<TicketChanges>().ClaimAsync(id, staff2)).IsOk);

        var afterSchool = await Plans.PlanAsync(id, new PlanTicket(PlanSlot.AfterSchool), staff2);
        Assert.Equal(Today(16, 35), afterSchool.Value?.PlannedFor);

        var tomorrow = Today(8, 50).AddDays(1);
        var chosen = await Plans.PlanAsync(id, new PlanTicket(PlanSlot.At, tomorrow), staff2);
        Assert.True(chosen.IsOk, chosen.Describe());
        Assert.Equal(tomorrow, chosen.Value!.PlannedFor);
        Assert.Equal("Planned for tomorrow 08:50",
            (await _data.QueryAsync(db => db.TicketEvents.Where(e => e.TicketId == id && e.Kind == TicketEventKind.Planned).OrderBy(e => e.Version).ToListAsync()))[^1].Note);
    }

    [Fact]
    public async Task BadTimes_AreRefused_NamingTheField()
    {
        var id = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        async Task<string> RefusalAsync(PlanTicket input, string field)
        {
            var result = await Plans.PlanAsync(id, input, dispatcher);
            Assert.Equal(ResultKind.Invalid, result.Kind);
            return Assert.Single(result.Errors[field]);
        }

        Assert.Equal("09:30 has passed: plan a later time.", await RefusalAsync(new PlanTicket(PlanSlot.At, Today(9, 30)), "at"));
        Assert.Equal("11:00 is during a lesson (10:55–11:40): plan it for a break or after school.",
            await RefusalAsync(new PlanTicket(PlanSlot.At, Today(11, 0)), "at"));
        Assert.Equal("Plan it for today or tomorrow.", await RefusalAsync(new PlanTicket(PlanSlot.At, Today(12, 0).AddDays(2)), "at"));
        Assert.Equal("Give the time to plan the repair for.", await RefusalAsync(new PlanTicket(PlanSlot.At), "at"));
        Assert.StartsWith("Say when: one of NextBreak, AfterSchool, At", await RefusalAsync(new PlanTicket(null), "slot"));

        _data.Time.Advance(TimeSpan.FromHours(6.25)); // 16:15, in the last lesson: no break left
        Assert.Equal("No break is left today: plan it for after school or for a time.", await RefusalAsync(new PlanTicket(PlanSlot.NextBreak), "slot"));
        _data.Time.Advance(TimeSpan.FromHours(1)); // 17:15
        Assert.Equal("Lessons are over for today: go now, or plan a time tomorrow.", await RefusalAsync(new PlanTicket(PlanSlot.AfterSchool), "slot"));
        Assert.Null((await _data.QueryAsync(db => db.Tickets.SingleAsync(t => t.Id == id))).PlannedFor);
        Assert.Equal(1, await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()));
    }

    [Fact]
    public async Task TicketsThatMayNotWait_AndPeopleWhoMayNotPlan_AreRefusedInWords()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var next = new PlanTicket(PlanSlot.NextBreak);

        var urgent = await Plans.PlanAsync(await ReportAsync(urgent: true), next, dispatcher);
        Assert.Equal((ResultKind.Conflict, "An urgent report or a safety hazard does not wait for a break: go now."), (urgent.Kind, urgent.Message));
        var hazard = await Plans.PlanAsync(await ReportAsync(category: "SafetyHazard"), next, dispatcher);
        Assert.Equal(ResultKind.Conflict, hazard.Kind);
        var toilets = await Plans.PlanAsync(await ReportAsync(area: "B-1F-WC"), next, dispatcher);
        Assert.Equal((ResultKind.Conflict, "Toilets, floor 1 is not a teaching room: there are no lessons to wait for."), (toilets.Kind, toilets.Message));
        var library = await Plans.PlanAsync(await ReportAsync(area: "B301"), next, dispatcher);
        Assert.Equal(ResultKind.Conflict, library.Kind);

        var id = await ReportAsync();
        var notTheirs = await Plans.PlanAsync(id, next, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Forbidden, notTheirs.Kind);
        Assert.True((await _data.Get<TicketChanges>().MoveAsync(id, TicketStatus.Cancelled, "Duplicate", dispatcher)).IsOk);
        var cancelled = await Plans.PlanAsync(id, next, dispatcher);
        Assert.Equal((ResultKind.Conflict, $"Ticket #{id} is cancelled: only an open job waiting for its repair is planned."), (cancelled.Kind, cancelled.Message));
        Assert.Equal(0, await _data.QueryAsync(db => db.TicketEvents.CountAsync(e => e.Kind == TicketEventKind.Planned)));
    }

    [Fact]
    public async Task ClearThePlan_OnceOnly()
    {
        var id = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        Assert.True((await Plans.PlanAsync(id, new PlanTicket(PlanSlot.AfterSchool), dispatcher)).IsOk);
        Assert.Equal(ResultKind.Forbidden, (await Plans.ClearAsync(id, await _data.ActorAsync("staff2"))).Kind);

        var cleared = await Plans.ClearAsync(id, dispatcher);
        var again = await Plans.ClearAsync(id, dispatcher);

        Assert.True(cleared.IsOk, cleared.Describe());
        Assert.Null(cleared.Value!.PlannedFor);
        Assert.Equal((ResultKind.Conflict, $"Ticket #{id} is not planned for any time."), (again.Kind, again.Message));
    }

    [Fact]
    public async Task Reminder_AtThePlannedTime_ReachesTheLeadsHelpersStillOnIt_OnceEach()
    {
        var id = await ReportAsync();
        var staff2 = await _data.ActorAsync("staff2");
        Assert.True((await _data.Get<TicketChanges>().ClaimAsync(id, staff2)).IsOk);
        var team = _data.Get<TicketTeam>();
        Assert.True((await team.AddHelperAsync(id, (await _data.ActorAsync("staff1")).StaffId!.Value, staff2)).IsOk);
        Assert.True((await team.AddHelperAsync(id, (await _data.ActorAsync("staff3")).StaffId!.Value, staff2)).IsOk);
        Assert.True((await team.MarkDoneAsync(id, await _data.ActorAsync("staff3"))).IsOk);
        Assert.True((await Plans.PlanAsync(id, new PlanTicket(PlanSlot.NextBreak), staff2)).IsOk);
        var sweep = _data.Get<PlannedRepairReminderSweep>();

        _data.Time.Advance(TimeSpan.FromMinutes(45)); // 10:45
        await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);

        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Reminder && n.TicketId == id);
        var helper = Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Reminder && n.TicketId == id);
        Assert.StartsWith("Now, as planned (10:45)", helper.Title);
        Assert.DoesNotContain(await _data.NotificationsForAsync("staff3"), n => n.Kind == NotificationKind.Reminder && n.TicketId == id);
    }

    [Fact]
    public async Task Reminder_AtThePlannedTime_ReachesTheClaimerOnce_EvenRunTwiceConcurrently_AndAfterARestart()
    {
        var id = await ReportAsync();
        var staff2 = await _data.ActorAsync("staff2");
        Assert.True((await _data.Get<TicketChanges>().ClaimAsync(id, staff2)).IsOk);
        Assert.True((await Plans.PlanAsync(id, new PlanTicket(PlanSlot.NextBreak), staff2)).IsOk);
        var sweep = _data.Get<PlannedRepairReminderSweep>();

        _data.Time.Advance(TimeSpan.FromMinutes(44)); // 10:44
        Assert.Equal(0, await sweep.RunAsync(CancellationToken.None));
        _data.Time.Advance(TimeSpan.FromMinutes(1)); // 10:45
        await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);

        var reminder = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Reminder && n.TicketId == id);
        Assert.Equal($"planned:{id}:{Today(10, 45).ToUnixTimeMilliseconds()}:{staff2.UserId}", reminder.Key);
        Assert.StartsWith("Now, as planned (10:45): Physics Lab", reminder.Title);
        Assert.Equal(1, await _data.QueryAsync(db => db.Notifications.CountAsync(n => n.Key.StartsWith("planned:"))));

        var stoppedAt = _data.Time.GetUtcNow();
        await _data.StopAsync();
        await using var restarted = await TestData.CreateAsync(now: stoppedAt.AddMinutes(30), reuseDirectory: _data.Directory,
            settings: new Dictionary<string, string?>(TestHours.SchoolBells()));
        Assert.Equal(0, await restarted.Get<PlannedRepairReminderSweep>().RunAsync(CancellationToken.None));
        Assert.Equal(1, await restarted.QueryAsync(db => db.Notifications.CountAsync(n => n.Key.StartsWith("planned:"))));
    }

    [Fact]
    public async Task Reminder_ForAnUnclaimedPlan_GoesToTheRoutedPerson_ElseEveryoneOnDuty_AndIsCaughtUpAfterDowntime()
    {
        var routed = await ReportAsync();
        var routedTo = await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == routed).Select(t => t.RoutedTo!.UserId).SingleAsync());
        var unrouted = await ReportAsync();
        await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == unrouted).ExecuteUpdateAsync(s => s.SetProperty(t => t.RoutedToId, (int?)null)));
        var dispatcher = await _data.ActorAsync("dispatcher");
        Assert.True((await Plans.PlanAsync(routed, new PlanTicket(PlanSlot.NextBreak), dispatcher)).IsOk);
        Assert.True((await Plans.PlanAsync(unrouted, new PlanTicket(PlanSlot.NextBreak), dispatcher)).IsOk);
        var onDuty = await _data.QueryAsync(db => db.Staff.CountAsync(s => s.IsActive && s.OnDuty));

        _data.Time.Advance(TimeSpan.FromHours(2)); // 12:00: the app was down over the break
        var sweep = _data.Get<PlannedRepairReminderSweep>();
        Assert.Equal(1 + onDuty, await sweep.RunAsync(CancellationToken.None));
        Assert.Equal(0, await sweep.RunAsync(CancellationToken.None));

        Assert.Equal([routedTo], await _data.QueryAsync(db => db.Notifications.Where(n => n.TicketId == routed && n.Kind == NotificationKind.Reminder).Select(n => n.UserId).ToListAsync()));
        Assert.Equal(onDuty, await _data.QueryAsync(db => db.Notifications.CountAsync(n => n.TicketId == unrouted && n.Kind == NotificationKind.Reminder)));
    }
}
