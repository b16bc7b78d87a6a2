using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task ARevocationHeardWhileTheSetIsReadAgain_IsNotLost()
    {
        // Another instance deactivates staff3 and says so just after this one read the accounts for a resync (the
        // read began before that commit): the event lands while the new set is being made, and must survive it.
        var midRead = new MidRead();
        await using var data = await TestData.CreateAsync(configure: s => s.ConfigureDbContext<DispatchDbContext>(o => o.AddInterceptors(midRead)));
        var guard = data.Get<AccessGuard>();
        var staff = (await data.ActorAsync("staff3")).UserId;
        Assert.True(await guard.IsAllowedAsync(staff));
        var overlapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readsWhenOverlapped = int.MaxValue;
        midRead.Once = async () =>
        {
            await using (var db = await data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
            {
                await db.Users.Where(u => u.Id == staff).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
            }
            data.Get<DispatchNotifier>().Publish(new AccessChanged("another-instance", AccessChange.Revoked, staff));
            overlapped.TrySetResult();
            readsWhenOverlapped = Volatile.Read(ref midRead.Reads);
        };

        data.Get<DispatchNotifier>().Publish(new Resync());

        await overlapped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref midRead.Reads) <= Volatile.Read(ref readsWhenOverlapped) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        // Read again once the overlapping change was seen; and refused, whichever read the answer comes from.
        Assert.True(Volatile.Read(ref midRead.Reads) > readsWhenOverlapped, "the set was not read again after the overlapping change");
        // The read again finishes after its query: wait for the guard to hold its answer.
        while (await guard.IsAllowedAsync(staff) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.False(await guard.IsAllowedAsync(staff));
    }

    /// <summary>Runs <see cref="Once"/> right after the revoked displays were read (the accounts were read just before).</summary>
    private sealed class MidRead : DbCommandInterceptor
    {
        public Func<Task>? Once;
        public int Reads;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("OfficeDisplays", StringComparison.Ordinal) && command.CommandText.Contains("RevokedAt", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Reads);
                if (Interlocked.Exchange(ref Once, null) is { } once)
                {
                    await once();
                }
            }
            return result;
        }
    }
}
