using DispatchBoard.Testing;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Demo school: Teaching Building A is owned by Wang Lei (staff1) with Zhang Wei (staff3) as backup; its rooms inherit.
/// The floor-2 toilets have their own owner, Liu Yang (staff4, off duty), with Wang Lei as backup.
/// On duty at the start: staff1, staff2, staff3.
/// </summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<TicketDto> ReportAsync(string area)
    {
        var result = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket(area, "Lighting", "Light out", false, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return (await _data.Get<TicketQueries>().GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    private static AreaInfo Area(int? owner, int? backup) =>
        new(1, "X", "X", null, null, AreaLevel.Room, AreaKind.Classroom, false, "X", null, 0, 0, owner, backup, owner, backup);

    [Fact]
    public void Decide_OwnerOnDuty_Owner_ElseBackup_ElseEveryone_ElseNobody()
    {
        Assert.Equal(new AreaRoute(RouteReason.Owner, 1), Routing.Decide(Area(1, 2), new HashSet<int> { 1, 2, 3 }));
        Assert.Equal(new AreaRoute(RouteReason.Backup, 2), Routing.Decide(Area(1, 2), new HashSet<int> { 2, 3 }));
        Assert.Equal(new AreaRoute(RouteReason.EveryoneOnDuty, null), Routing.Decide(Area(1, 2), new HashSet<int> { 3 }));
        Assert.Equal(new AreaRoute(RouteReason.EveryoneOnDuty, null), Routing.Decide(Area(null, null), new HashSet<int> { 3 }));
        Assert.Equal(new AreaRoute(RouteReason.NobodyOnDuty, null), Routing.Decide(Area(1, 2), new HashSet<int>()));
    }

    [Fact]
    public async Task Report_InARoomWithoutItsOwnOwner_GoesToTheBuildingsOwner_WhoIsAlerted()
    {
        var ticket = await ReportAsync("A204");

        Assert.Equal("Wang Lei", ticket.RoutedTo);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff1"));
        Assert.Equal(NotificationKind.Routed, alert.Kind);
        Assert.Equal(ticket.Id, alert.TicketId);
        Assert.Contains("Room 204", alert.Title);
        Assert.Empty(await _data.NotificationsForAsync("staff2"));
        var reported = (await _data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!.Events[0];
        Assert.Contains("Routed to Wang Lei (responsible for this area)", reported.Note);
    }

    [Fact]
    public async Task Report_OwnerOffDuty_GoesToTheBackup()
    {
        await _data.SetDutyAsync("staff1", false);

        var ticket = await ReportAsync("A204");

        Assert.Equal("Zhang Wei", ticket.RoutedTo);
        Assert.Single(await _data.NotificationsForAsync("staff3"));
        Assert.Empty(await _data.NotificationsForAsync("staff1"));
    }

    [Fact]
    public async Task Report_AreaWithItsOwnOwnerOffDuty_GoesToItsOwnBackup()
    {
        var ticket = await ReportAsync("A-2F-WC");

        Assert.Equal("Wang Lei", ticket.RoutedTo);
    }

    [Fact]
    public async Task Report_OwnerAndBackupOffDuty_AlertsEveryoneOnDuty()
    {
        await _data.SetDutyAsync("staff1", false);
        await _data.SetDutyAsync("staff3", false);

        var ticket = await ReportAsync("A204");

        Assert.Null(ticket.RoutedTo);
        Assert.Single(await _data.NotificationsForAsync("staff2"));
        Assert.Empty(await _data.NotificationsForAsync("staff1"));
        Assert.Empty(await _data.NotificationsForAsync("staff3"));
        Assert.Empty(await _data.NotificationsForAsync("dispatcher"));
    }

    [Fact]
    public async Task Report_NobodyOnDuty_AlertsTheDispatcher()
    {
        foreach (var who in new[] { "staff1", "staff2", "staff3" })
        {
            await _data.SetDutyAsync(who, false);
        }

        var ticket = await ReportAsync("A204");

        Assert.Null(ticket.RoutedTo);
        var alert = Assert.Single(await _data.NotificationsForAsync("dispatcher"));
        Assert.Contains("Nobody is on duty", alert.Body);
    }

    [Fact]
    public async Task AnyoneOnDuty_CanStillClaimARoutedTicket()
    {
        var ticket = await ReportAsync("A204");

        var claimed = await _data.Get<TicketChanges>().ClaimAsync(ticket.Id, await _data.ActorAsync("staff2"));

        Assert.True(claimed.IsOk);
        Assert.Equal("Li Na", claimed.Value!.ClaimedBy);
        Assert.Equal("Wang Lei", claimed.Value.RoutedTo);
    }
}
