using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Realtime;

/// <summary>
/// What another instance changed while the transport was down never arrives as an event: on <see cref="Resync"/> the
/// guard reads who is cut off again, and ends the sessions of whoever is newly so.
/// </summary>
public sealed class AccessGuardResyncTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task OnResync_AnAccountDeactivatedElsewhere_IsRefused_ItsSessionsEnd_AndOneReactivatedElsewhere_IsAllowed()
    {
        var guard = _data.Get<AccessGuard>();
        var staff = (await _data.ActorAsync("staff1")).UserId;
        var other = (await _data.ActorAsync("staff2")).UserId;
        Assert.True(await guard.IsAllowedAsync(staff));
        // staff2 was cut off earlier, and (while this instance could not hear it) reactivated on another.
        guard.Revoke(other);
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        guard.Revoked += id => ended.TrySetResult(id);
        // Another instance's changes, written to the database while this one could not hear of them.
        await using (var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == staff).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }
        Assert.True(await guard.IsAllowedAsync(staff));

        _data.Get<DispatchNotifier>().Publish(new Resync());

        Assert.Equal(staff, await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(await guard.IsAllowedAsync(staff));
        // The database says staff2 is active again: the set is replaced, not only added to.
        Assert.True(await guard.IsAllowedAsync(other));
    }
}
