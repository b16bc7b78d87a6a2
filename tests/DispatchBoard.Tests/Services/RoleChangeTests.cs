using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Displays;
using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class RoleChangeTests : IAsyncLifetime
{
    private TestData _data = default!;
    private StaffAdminService _accounts = default!;
    private Actor _admin = default!;

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync();
        _accounts = _data.Get<StaffAdminService>();
        _admin = await _data.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    /// <summary>A second administrator, as the page would see them (an <see cref="Actor"/> made when it loaded).</summary>
    private async Task<Actor> SecondAdminAsync()
    {
        var created = await _accounts.CreateAsync(new NewAccount("admin2@demo.example", "Sam Second", null, [Roles.Admin], TestData.Password), _admin);
        Assert.True(created.IsOk, created.Describe());
        return await _data.ActorAsync("admin2");
    }

    private Task<List<string>> ActiveAdminsAsync() => _data.QueryAsync(db =>
        (from u in db.Users
         join ur in db.UserRoles on u.Id equals ur.UserId
         join r in db.Roles on ur.RoleId equals r.Id
         where u.IsActive && r.Name == Roles.Admin
         select u.Id).ToListAsync());

    [Fact]
    public async Task DemotedAdmin_StaleActor_NextAdminActionsAreRefused()
    {
        var second = await SecondAdminAsync();
        Assert.True((await _accounts.SetRolesAsync(second.UserId, [Roles.Dispatcher], _admin)).IsOk);

        // The demoted admin's page still holds an Actor saying IsAdmin: the services ask the database.
        Assert.True(second.IsAdmin);
        var restore = await _accounts.SetRolesAsync(second.UserId, [Roles.Admin], second);
        var demote = await _accounts.SetRolesAsync(_admin.UserId, [Roles.Dispatcher], second);
        var deactivate = await _accounts.SetActiveAsync(_admin.UserId, false, second);
        var create = await _accounts.CreateAsync(new NewAccount("sneaky@demo.example", "Sneaky", null, [Roles.Admin], TestData.Password), second);
        var area = await _data.Get<AreaService>().SetRetiredAsync(1, true, second);
        var display = await _data.Get<DisplayService>().CreateAsync("Hall TV", second);

        Assert.All([restore, demote, deactivate, create], r => Assert.Equal(ResultKind.Forbidden, r.Kind));
        Assert.Equal(ResultKind.Forbidden, area.Kind);
        Assert.Equal(ResultKind.Forbidden, display.Kind);
        Assert.Equal([_admin.UserId], await ActiveAdminsAsync());
    }

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnce_LeaveExactlyOneAdmin()
    {
        var second = await SecondAdminAsync();
        for (var round = 0; round < 6; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => _accounts.SetRolesAsync(second.UserId, [Roles.Dispatcher], _admin)),
                Task.Run(() => _accounts.SetRolesAsync(_admin.UserId, [Roles.Dispatcher], second)));

            Assert.Single(results, r => r.IsOk);
            Assert.Single(results, r => r.Kind == ResultKind.Forbidden);
            var remaining = Assert.Single(await ActiveAdminsAsync());
            // The one left puts the other back for the next round.
            var (winner, loser) = remaining == _admin.UserId ? (_admin, second) : (second, _admin);
            Assert.True((await _accounts.SetRolesAsync(loser.UserId, [Roles.Admin], winner)).IsOk);
        }
    }

    [Fact]
    public async Task TwoAdminsDeactivatingEachOtherAtOnce_LeaveExactlyOneActiveAdmin()
    {
        var second = await SecondAdminAsync();

        var results = await Task.WhenAll(
            Task.Run(() => _accounts.SetActiveAsync(second.UserId, false, _admin)),
            Task.Run(() => _accounts.SetActiveAsync(_admin.UserId, false, second)));

        Assert.Single(results, r => r.IsOk);
        Assert.Single(await ActiveAdminsAsync());
    }

    [Fact]
    public async Task LastAdmin_CannotTakeAdminFromThemselves_WithAClearMessage()
    {
        var result = await _accounts.SetRolesAsync(_admin.UserId, [Roles.Dispatcher], _admin);

        Assert.Equal(ResultKind.Conflict, result.Kind);
        Assert.Contains("last active administrator", result.Describe(), StringComparison.Ordinal);
        Assert.Equal([_admin.UserId], await ActiveAdminsAsync());
    }

    [Fact]
    public async Task DemotedAdmin_CannotDemoteOrDeactivateTheLastAdmin()
    {
        var second = await SecondAdminAsync();
        Assert.True((await _accounts.SetActiveAsync(second.UserId, false, _admin)).IsOk);
        Assert.True((await _accounts.SetActiveAsync(second.UserId, true, _admin)).IsOk);
        Assert.True((await _accounts.SetRolesAsync(second.UserId, [Roles.Staff], _admin)).IsOk);

        Assert.False((await _accounts.SetRolesAsync(_admin.UserId, [Roles.Staff], second)).IsOk);
        Assert.False((await _accounts.SetActiveAsync(_admin.UserId, false, second)).IsOk);
        Assert.Equal([_admin.UserId], await ActiveAdminsAsync());
    }

    [Fact]
    public async Task RoleChange_TellsTheGuard_SoCircuitsAndHubConnectionsOfThatUserReact()
    {
        var staff = await _data.ActorAsync("staff1");
        var told = new List<string>();
        _data.Get<AccessGuard>().RolesChanged += told.Add;

        Assert.True((await _accounts.SetRolesAsync(staff.UserId, [Roles.Principal], _admin)).IsOk);

        Assert.Equal([staff.UserId], told);
    }
}
