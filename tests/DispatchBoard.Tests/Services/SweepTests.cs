using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class SweepTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<int> ReportAsync(TestData data, bool urgent)
    {
        var result = await data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("B101", "Plumbing", "Tap will not stop running", urgent, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    private static async Task<(int Level, int OverdueEvents, int Alerts)> StateAsync(TestData data, int ticketId) =>
        await data.QueryAsync(async db => (
            await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.EscalationLevel).SingleAsync(),
            await db.TicketEvents.CountAsync(e => e.TicketId == ticketId && e.Kind == TicketEventKind.Overdue),
            await db.Notifications.CountAsync(n => n.TicketId == ticketId && n.Kind == NotificationKind.Overdue)));

    [Fact]
    public async Task Unclaimed_UrgentTicket_Level1AfterTarget_Level2AfterTwice_EachOnce_EvenRunTwiceAndConcurrently()
    {
        var sweep = _data.Get<UnclaimedTicketSweep>();
        var id = await ReportAsync(_data, urgent: true); // target 5 min; staff1–3 on duty, one dispatcher

        _data.Time.Advance(TimeSpan.FromMinutes(4));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), await StateAsync(_data, id));

        _data.Time.Advance(TimeSpan.FromMinutes(1.5));
        await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal((1, 1, 3), await StateAsync(_data, id));
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Overdue && n.TicketId == id);

        _data.Time.Advance(TimeSpan.FromMinutes(5));
        await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal((2, 2, 4), await StateAsync(_data, id));
        Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Overdue && n.TicketId == id);
    }

    [Fact]
    public async Task Unclaimed_AfterARestart_NothingIsRaisedTwice_AndMissedLevelsAreCaughtUp()
    {
        var first = await ReportAsync(_data, urgent: true);
        _data.Time.Advance(TimeSpan.FromMinutes(6));
        await _data.Get<UnclaimedTicketSweep>().RunAsync(CancellationToken.None);
        var second = await ReportAsync(_data, urgent: false); // target 30 min, reported while level 1 was raised on the first
        var stoppedAt = _data.Time.GetUtcNow();
        await _data.StopAsync();

        // The app was down for two hours: on start the sweep catches up what is due, once.
        await using var restarted = await TestData.CreateAsync(now: stoppedAt.AddHours(2), reuseDirectory: _data.Directory);
        var sweep = restarted.Get<UnclaimedTicketSweep>();
        await sweep.RunAsync(CancellationToken.None);
        await sweep.RunAsync(CancellationToken.None);

        Assert.Equal((2, 2, 4), await StateAsync(restarted, first));
        Assert.Equal((2, 2, 4), await StateAsync(restarted, second));
    }

    [Fact]
    public async Task Unclaimed_ClaimedInTime_IsNeverRaised_AndARelease_StartsTheClockAgain()
    {
        var sweep = _data.Get<UnclaimedTicketSweep>();
        var intake = _data.Get<TicketIntake>();
        var changes = _data.Get<TicketChanges>();
        var queries = _data.Get<TicketQueries>();
        var id = await ReportAsync(_data, urgent: true);
        var wang = await _data.ActorAsync("staff1");
        _data.Time.Advance(TimeSpan.FromMinutes(3));
        await changes.ClaimAsync(id, wang);

        _data.Time.Advance(TimeSpan.FromMinutes(30));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), await StateAsync(_data, id));

        await changes.MoveAsync(id, TicketStatus.New, null, wang);
        _data.Time.Advance(TimeSpan.FromMinutes(4));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), await StateAsync(_data, id));
        _data.Time.Advance(TimeSpan.FromMinutes(2));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, (await StateAsync(_data, id)).Level);
    }

    [Fact]
    public async Task AutoClose_ClosesResolvedTicketsAfterThreeDays_Once()
    {
        var changes = _data.Get<TicketChanges>();
        var queries = _data.Get<TicketQueries>();
        var id = await ReportAsync(_data, urgent: false);
        var wang = await _data.ActorAsync("staff1");
        await changes.ClaimAsync(id, wang);
        await changes.MoveAsync(id, TicketStatus.OnSite, null, wang);
        await changes.MoveAsync(id, TicketStatus.Resolved, "Fixed the washer", wang);
        var sweep = _data.Get<AutoCloseSweep>();

        _data.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await sweep.RunAsync(CancellationToken.None); // closes the demo school's older resolved ticket, not this one
        Assert.Equal(TicketStatus.Resolved, (await queries.GetDetailAsync(id))!.Ticket.Status);
        _data.Time.Advance(TimeSpan.FromMinutes(2));
        var closed = await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(1, closed.Sum());
        var detail = (await queries.GetDetailAsync(id))!;
        Assert.Equal(TicketStatus.Closed, detail.Ticket.Status);
        var closing = Assert.Single(detail.Events, e => e.Kind == TicketEventKind.Closed);
        Assert.Equal(Actor.System.Name, closing.ActorName);
        Assert.Contains("3 d", closing.Note);
        Assert.Contains((await queries.TrackAsync(detail.Ticket.TrackingCode))!.Timeline, s => s.Note?.Contains("Closed automatically") == true);
    }
}
