using System.Collections.Concurrent;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Knows which accounts are deactivated and which office displays are revoked ("display:{id}"), so every request,
/// circuit and hub connection of such a user or screen ends at once rather than when the cookie expires. Loaded from the
/// database on first use; kept current by the staff admin service and the display service.
/// </summary>
public sealed class AccessGuard(IDbContextFactory<DispatchDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<string, bool> _deactivated = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile bool _loaded;

    /// <summary>Raised with the user id when an account is deactivated or a display revoked: open circuits and hub connections close.</summary>
    public event Action<string>? Revoked;

    public async ValueTask<bool> IsAllowedAsync(string? userId, CancellationToken ct = default)
    {
        if (userId is null)
        {
            return false;
        }
        if (!_loaded)
        {
            await LoadAsync(ct);
        }
        return !_deactivated.ContainsKey(userId);
    }

    public void Revoke(string userId)
    {
        _deactivated[userId] = true;
        Revoked?.Invoke(userId);
    }

    public void Restore(string userId) => _deactivated.TryRemove(userId, out _);

    /// <summary>"Sign out everywhere": the person's open circuits and hub connections end; the account stays usable.</summary>
    public void EndSessions(string userId) => Revoked?.Invoke(userId);

    private async Task LoadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            if (_loaded)
            {
                return;
            }
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            foreach (var id in await db.Users.Where(u => !u.IsActive).Select(u => u.Id).ToListAsync(ct))
            {
                _deactivated[id] = true;
            }
            foreach (var id in await db.OfficeDisplays.Where(d => d.RevokedAt != null).Select(d => d.Id).ToListAsync(ct))
            {
                _deactivated[DisplayPrincipal.UserId(id)] = true;
            }
            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }
}
