using System.Globalization;
using DispatchBoard.Testing;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Targets in school time through the services: a school open Monday–Friday 07:30–17:30 (Asia/Shanghai), starting on
/// Friday 27 November 2026 at 17:00. The demo's own open tickets are in the database too, so each test follows its own.
/// </summary>
public sealed class SchoolTimeTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TestData _data = default!;

    private static DateTimeOffset Local(string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string LocalText(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(now: Local("2026-11-27 17:00"), settings: new Dictionary<string, string?>(TestHours.SchoolWeek())
        {
            ["School:OfficePhone"] = "0571-8888-1234",
        });
        // Closing time: the staff went off duty.
        foreach (var who in new[] { "staff1", "staff2", "staff3" })
        {
            await _data.SetDutyAsync(who, false);
        }
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private void SetTime(string local) => _data.Time.SetUtcNow(Local(local));

    private async Task<ReportedTicket> ReportAsync(bool urgent, string category = "Furniture")
    {
        var result = await _data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("B101", category, "The stool in row 3 has a loose leg", urgent, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!;
    }

    private Task<Ticket> TicketAsync(int id) =>
        _data.QueryAsync(db => db.Tickets.Include(t => t.Events).SingleAsync(t => t.Id == id));

    private Task<int> AlertsAboutAsync(int id) => _data.QueryAsync(db => db.Notifications.CountAsync(n => n.TicketId == id));

    [Fact]
    public async Task ANormalReportOnFridayEvening_WakesNobody_IsDueMonday_NotLateAt0740_AndTheSweepIsSilentAllWeekend()
    {
        SetTime("2026-11-27 17:55");
        var reported = await ReportAsync(urgent: false);

        var ticket = await TicketAsync(reported.Id);
        Assert.Equal("2026-11-30 08:00", LocalText(ticket.ResponseDueAt));
        Assert.Null(ticket.RoutedToId);
        Assert.Contains("Received out of hours: it waits for the office to open (Mon 07:30)", ticket.Events.Single().Note);
        Assert.Equal(0, await AlertsAboutAsync(reported.Id)); // not even the dispatcher, at night, for a stool
        Assert.Equal("Received on Friday at 17:55, outside office hours: the office opens Mon 07:30, and your report will be looked at then. Urgent or dangerous? Call 0571-8888-1234.",
            reported.OfficeHours);

        var sweep = _data.Get<UnclaimedTicketSweep>();
        for (var at = Local("2026-11-27 18:00"); at <= Local("2026-11-30 07:40"); at = at.AddMinutes(20))
        {
            _data.Time.SetUtcNow(at);
            await sweep.RunAsync(CancellationToken.None);
            Assert.Equal(0, (await TicketAsync(reported.Id)).EscalationLevel);
        }
        Assert.Equal(0, await AlertsAboutAsync(reported.Id));
        var clock = await _data.Get<ResponseClocks>().NowAsync();
        Assert.Equal(new Countdown("ok", "20 min left"),
            clock.CountdownOf(ticket.Priority, ticket.Category, ticket.QueuedAt, ticket.ResponseDueAt, _data.Time.GetUtcNow()));

        Assert.True((await TicketAsync(reported.Id)).WaitingForOpening); // open since 07:30, but nobody on duty yet

        await _data.SetDutyAsync("staff1", true); // Monday morning
        await sweep.RunAsync(CancellationToken.None);
        await sweep.RunAsync(CancellationToken.None);
        var routed = await TicketAsync(reported.Id);
        Assert.False(routed.WaitingForOpening);
        Assert.Contains(routed.Events, e => e.Kind == TicketEventKind.RoutedAtOpening && e.Note!.StartsWith("The office opened. ", StringComparison.Ordinal));
        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Routed && n.TicketId == reported.Id);
        Assert.Equal("2026-11-30 08:00", LocalText(routed.ResponseDueAt)); // routing does not restart the target

        SetTime("2026-11-30 08:00");
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, (await TicketAsync(reported.Id)).EscalationLevel);
        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Overdue && n.TicketId == reported.Id);
        SetTime("2026-11-30 08:29");
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, (await TicketAsync(reported.Id)).EscalationLevel);
        SetTime("2026-11-30 08:30");
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(2, (await TicketAsync(reported.Id)).EscalationLevel);
        Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Overdue && n.TicketId == reported.Id);
    }

    [Fact]
    public async Task ASnowDayDeclaredOverTheWeekend_MovesTheDeadlinesOfWaitingTickets_AndTheSweepChasesNobodyOnIt()
    {
        SetTime("2026-11-27 17:55");
        var reported = await ReportAsync(urgent: false); // due Monday 08:00
        var version = (await TicketAsync(reported.Id)).Version;
        SetTime("2026-11-28 10:00");

        var added = await _data.Get<DispatchBoard.Web.Calendar.CalendarPeriods>().AddAsync(
            new DispatchBoard.Web.Calendar.CalendarPeriodInput("Snow day", DispatchBoard.Web.Calendar.CalendarDayKind.Closure, new DateOnly(2026, 11, 30), null),
            await _data.ActorAsync("admin"));
        Assert.True(added.IsOk, added.Describe());

        var ticket = await TicketAsync(reported.Id);
        Assert.Equal("2026-12-01 08:00", LocalText(ticket.ResponseDueAt));
        Assert.Equal(version + 1, ticket.Version); // a versioned change: the boards show the new countdown
        await _data.SetDutyAsync("staff1", true);
        SetTime("2026-11-30 09:00");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Equal(0, (await TicketAsync(reported.Id)).EscalationLevel);
        Assert.Equal(0, await AlertsAboutAsync(reported.Id));
    }

    [Fact]
    public async Task AnUrgentReportOnSaturday_WithNobodyOnCall_CountsWallTime_AlertsTheDispatcherAtOnce_AndTheSweepPagesAtNight()
    {
        SetTime("2026-11-28 22:00");

        var reported = await ReportAsync(urgent: true, category: "Plumbing");

        var ticket = await TicketAsync(reported.Id);
        Assert.Equal("2026-11-28 22:05", LocalText(ticket.ResponseDueAt));
        Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Routed && n.Urgent);
        Assert.Contains("urgent reports are passed on at once, day and night. If anyone is in danger, call 0571-8888-1234 now.", reported.OfficeHours);

        SetTime("2026-11-28 22:04");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Equal(0, (await TicketAsync(reported.Id)).EscalationLevel);
        SetTime("2026-11-28 22:05");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Equal(1, (await TicketAsync(reported.Id)).EscalationLevel);
        SetTime("2026-11-28 22:10");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Equal(2, (await TicketAsync(reported.Id)).EscalationLevel);
    }

    [Fact]
    public async Task AnUrgentReportOnSaturdayNight_PagesThePersonOnCall_AndOnlyThem_AndTheSweepPagesThemAgain()
    {
        var staff4 = await _data.ActorAsync("staff4");
        var slot = await _data.Get<DispatchBoard.Web.Staff.RosterService>().AddSlotAsync(
            new DispatchBoard.Web.Staff.RosterSlotInput(staff4.StaffId, DayOfWeek.Saturday, "00:00", "24:00", DispatchBoard.Web.Staff.RosterKind.OnCall),
            await _data.ActorAsync("admin"));
        Assert.True(slot.IsOk, slot.Describe());
        SetTime("2026-11-28 22:00");

        var reported = await ReportAsync(urgent: true, category: "Plumbing");

        var ticket = await TicketAsync(reported.Id);
        Assert.Equal(staff4.StaffId, ticket.RoutedToId);
        Assert.Equal("Out of hours: sent to Liu Yang, on call", ticket.Events.Single().Note);
        var paged = Assert.Single(await _data.QueryAsync(db => db.Notifications.Where(n => n.TicketId == reported.Id).ToListAsync()));
        Assert.Equal((staff4.UserId, NotificationKind.Routed, true), (paged.UserId, paged.Kind, paged.Urgent));

        SetTime("2026-11-28 22:05");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Single(await _data.NotificationsForAsync("staff4"), n => n.Kind == NotificationKind.Overdue && n.TicketId == reported.Id);
        Assert.Contains((await TicketAsync(reported.Id)).Events, e => e.Note == "Not claimed within 5 min: Liu Yang (on call) alerted again");
        Assert.DoesNotContain(await _data.NotificationsForAsync("dispatcher"), n => n.TicketId == reported.Id); // (the demo's own tickets are overdue too)

        SetTime("2026-11-28 22:10");
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Overdue && n.TicketId == reported.Id);
    }

    [Fact]
    public async Task AReportInOfficeHours_IsRoutedAsBefore_AndGetsNoNotice()
    {
        await _data.SetDutyAsync("staff2", true);
        SetTime("2026-11-30 10:00");

        var reported = await ReportAsync(urgent: false);

        Assert.Null(reported.OfficeHours);
        Assert.Equal("2026-11-30 10:30", LocalText((await TicketAsync(reported.Id)).ResponseDueAt));
        Assert.True(await AlertsAboutAsync(reported.Id) > 0);
    }

    [Fact]
    public async Task ReportFigures_CountWorkingTimeForNormalReports_AndWallTimeForUrgentOnes()
    {
        var staff = await _data.ActorAsync("staff1");
        await _data.SetDutyAsync("staff1", true);
        // Friday 4 December: a day of no demo ticket.
        SetTime("2026-12-04 17:20");
        var normal = await ReportAsync(urgent: false);   // due Monday 07:50
        var urgent = await ReportAsync(urgent: true);    // due Friday 17:25
        SetTime("2026-12-04 17:50");
        Assert.True((await _data.Get<TicketChanges>().ClaimAsync(urgent.Id, staff)).IsOk);
        SetTime("2026-12-07 07:45");
        Assert.True((await _data.Get<TicketChanges>().ClaimAsync(normal.Id, staff)).IsOk);
        SetTime("2026-12-07 08:45");
        Assert.True((await _data.Get<TicketChanges>().MoveAsync(normal.Id, TicketStatus.OnSite, null, staff)).IsOk);

        var n = await TicketAsync(normal.Id);
        var u = await TicketAsync(urgent.Id);
        Assert.Equal((TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(85)), (n.TimeToClaim, n.TimeToOnSite)); // 10 min Friday, 15 + 60 Monday
        Assert.Equal(TimeSpan.FromMinutes(30), u.TimeToClaim);

        var reports = _data.Get<ReportService>();
        var report = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Custom, new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 4)));
        Assert.Equal(2, report.TimeToClaim.Count);
        Assert.Equal(TimeSpan.FromMinutes(25), report.TimeToClaim.Median);
        Assert.Equal(TimeSpan.FromMinutes(30), report.TimeToClaim.P90);
        Assert.Equal(TimeSpan.FromMinutes(85), report.TimeToOnSite.Median);
        Assert.Equal((1, 2), (report.Totals.ClaimedOnTime, report.Totals.Measured)); // the normal one on time, the urgent one not
    }
}
