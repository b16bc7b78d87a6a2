using System.Collections.Concurrent;
using System.Security.Claims;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Knows which accounts are deactivated and which office displays are revoked ("display:{id}"), so every request,
/// circuit and hub connection of such a user or screen ends at once rather than when the cookie expires. Loaded from the
/// database on first use; kept current by the staff admin service and the display service. It also hears of role
/// changes, so that open circuits take the new roles, hub connections reconnect under them, and an older cookie is
/// checked against the database on its next request instead of after the security-stamp interval.
/// Every change is applied here at once and published as an <see cref="AccessChanged"/> board event, so the other
/// instances (with Realtime:Redis) apply it too; when the transport was down (<see cref="Resync"/>), the deactivated
/// accounts and revoked displays are read again from the database.
/// </summary>
public sealed class AccessGuard
{
    private readonly IDbContextFactory<DispatchDbContext> _dbFactory;
    private readonly DispatchNotifier _notifier;
    private readonly ILogger<AccessGuard>? _logger;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private ConcurrentDictionary<string, bool> _deactivated = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile bool _loaded;

    public AccessGuard(IDbContextFactory<DispatchDbContext> dbFactory, DispatchNotifier notifier, ILogger<AccessGuard>? logger = null)
    {
        _dbFactory = dbFactory;
        _notifier = notifier;
        _logger = logger;
        // For the guard's lifetime, which is the app's.
        notifier.Subscribe(OnBoardEvent);
    }

    /// <summary>Raised with the user id when an account is deactivated or a display revoked: open circuits and hub connections close.</summary>
    public event Action<string>? Revoked;

    /// <summary>Raised with the user id after an administrator changed the account's roles: circuits re-read them, hub connections close.</summary>
    public event Action<string>? RolesChanged;

    /// <summary>Per user: the stamp the last role change gave, and the older stamps that only role changes replaced.</summary>
    private readonly ConcurrentDictionary<string, RoleStamps> _roleStamps = new(StringComparer.Ordinal);

    private sealed record RoleStamps(string Current, IReadOnlySet<string> Replaced);

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
        Mark(userId, revoked: true);
        Revoked?.Invoke(userId);
        Share(AccessChange.Revoked, userId);
    }

    public void Restore(string userId)
    {
        Mark(userId, revoked: false);
        Share(AccessChange.Restored, userId);
    }

    /// <summary>Circuits that a password change was made from: their browser got a new cookie, so they stay signed in.</summary>
    private readonly ConcurrentDictionary<string, byte> _keptCircuits = new(StringComparer.Ordinal);

    /// <summary>
    /// "Sign out everywhere" and a new password: the person's open circuits and hub connections end; the account stays
    /// usable. <paramref name="keepCircuit"/> names the one circuit that stays (the page the password was changed on).
    /// </summary>
    public void EndSessions(string userId, string? keepCircuit = null)
    {
        // Elsewhere every session ends: the circuit kept is one of this instance's.
        Share(AccessChange.SessionsEnded, userId);
        if (keepCircuit is null)
        {
            Revoked?.Invoke(userId);
            return;
        }
        _keptCircuits[keepCircuit] = 0;
        try
        {
            Revoked?.Invoke(userId);
        }
        finally
        {
            _keptCircuits.TryRemove(keepCircuit, out _);
        }
    }

    /// <summary>True while <see cref="EndSessions"/> is ending sessions but keeps this circuit (read before any await).</summary>
    public bool Keeps(string circuitKey) => _keptCircuits.ContainsKey(circuitKey);

    /// <summary>Called after a role change committed, with the security stamp before it and the one it gave.</summary>
    public void ChangeRoles(string userId, string? previousStamp, string newStamp)
    {
        ApplyRoles(userId, previousStamp, newStamp);
        Share(AccessChange.RolesChanged, userId, previousStamp, newStamp);
    }

    private void ApplyRoles(string userId, string? previousStamp, string newStamp)
    {
        var replaced = previousStamp is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { previousStamp };
        _roleStamps.AddOrUpdate(userId, _ => new RoleStamps(newStamp, replaced),
            // A stamp changed by something else in between (a password) ended the older chain: those cookies stay refused.
            (_, old) => new RoleStamps(newStamp, previousStamp == old.Current ? new HashSet<string>(old.Replaced) { old.Current } : replaced));
        RolesChanged?.Invoke(userId);
    }

    /// <summary>
    /// For the cookie's principal check: a cookie made before a role change is not left to the security-stamp interval.
    /// If only role changes replaced its stamp, it is made again with the current roles (and renewed); otherwise the
    /// stamp validator runs now (and signs it out, the stamp having changed). True when the principal was dealt with.
    /// </summary>
    public async Task<bool> RefreshRolesAsync(CookieValidatePrincipalContext context)
    {
        var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || !_roleStamps.TryGetValue(userId, out var stamps))
        {
            return false;
        }
        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var cookieStamp = context.Principal!.FindFirstValue(stampClaim);
        if (cookieStamp == stamps.Current)
        {
            return false;
        }
        if (cookieStamp is not null && stamps.Replaced.Contains(cookieStamp))
        {
            var signIn = services.GetRequiredService<SignInManager<AppUser>>();
            var user = await signIn.UserManager.FindByIdAsync(userId);
            if (user is { IsActive: true } && user.SecurityStamp == stamps.Current)
            {
                context.ReplacePrincipal(await signIn.CreateUserPrincipalAsync(user));
                context.ShouldRenew = true;
                return true;
            }
        }
        // No interval: the validator compares the stamp with the database now.
        context.Properties.IssuedUtc = null;
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        return true;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            if (_loaded)
            {
                return;
            }
            await ReadSettledAsync(ct);
            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Changes made here or heard from other instances, counted: a read that overlapped one is done again.</summary>
    private long _changes;

    private void Mark(string userId, bool revoked)
    {
        if (revoked)
        {
            _deactivated[userId] = true;
        }
        else
        {
            _deactivated.TryRemove(userId, out _);
        }
        Interlocked.Increment(ref _changes);
    }

    /// <summary>
    /// Replaces the set with the database's. A revocation that arrives while the database is read lands in the set
    /// being replaced; the count of changes tells, and the read is done again (after a few tries in a row, the two sets
    /// are joined: refusing someone a moment too long is the safe side).
    /// </summary>
    private async Task ReadSettledAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var seen = Interlocked.Read(ref _changes);
            var previous = _deactivated;
            var read = await ReadDeactivatedAsync(ct);
            _deactivated = read;
            if (Interlocked.Read(ref _changes) == seen)
            {
                return;
            }
            if (attempt == 5)
            {
                foreach (var id in previous.Keys)
                {
                    read[id] = true;
                }
                return;
            }
        }
    }

    private async Task<ConcurrentDictionary<string, bool>> ReadDeactivatedAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var deactivated = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in await db.Users.Where(u => !u.IsActive).Select(u => u.Id).ToListAsync(ct))
        {
            deactivated[id] = true;
        }
        foreach (var id in await db.OfficeDisplays.Where(d => d.RevokedAt != null).Select(d => d.Id).ToListAsync(ct))
        {
            deactivated[DisplayPrincipal.UserId(id)] = true;
        }
        return deactivated;
    }

    /// <summary>
    /// After the transport was down: changes made on other instances meanwhile never arrived, so the set is read again,
    /// and whoever is newly cut off loses their open sessions here too.
    /// </summary>
    private async Task ReloadAsync()
    {
        try
        {
            await _loading.WaitAsync();
            try
            {
                var before = _loaded ? _deactivated : null;
                await ReadSettledAsync(CancellationToken.None);
                _loaded = true;
                foreach (var id in _deactivated.Keys.Where(id => before is not null && !before.ContainsKey(id)))
                {
                    Revoked?.Invoke(id);
                }
            }
            finally
            {
                _loading.Release();
            }
        }
        catch (Exception ex)
        {
            // The next Resync, or the next start, reads it again; until then the last known set stands.
            if (_logger is not null)
            {
                _logger.DeactivatedAccountsNotReread(ex);
            }
        }
    }

    private void Share(AccessChange change, string userId, string? previousStamp = null, string? newStamp = null) =>
        _notifier.Publish(new AccessChanged(_origin, change, userId, previousStamp, newStamp));

    private void OnBoardEvent(BoardEvent boardEvent)
    {
        switch (boardEvent)
        {
            case Resync:
                _ = ReloadAsync();
                break;
            // This instance's own changes were applied when they were made.
            case AccessChanged change when change.Origin != _origin:
                Apply(change);
                break;
        }
    }

    private void Apply(AccessChanged change)
    {
        switch (change.Change)
        {
            case AccessChange.Revoked:
                Mark(change.UserId, revoked: true);
                Revoked?.Invoke(change.UserId);
                break;
            case AccessChange.Restored:
                Mark(change.UserId, revoked: false);
                break;
            case AccessChange.SessionsEnded:
                Revoked?.Invoke(change.UserId);
                break;
            case AccessChange.RolesChanged when change.NewStamp is not null:
                ApplyRoles(change.UserId, change.PreviousStamp, change.NewStamp);
                break;
        }
    }
}

public enum AccessChange
{
    Revoked,
    Restored,
    RolesChanged,
    SessionsEnded,
}

/// <summary>
/// A change to who may use the app, made on the instance <paramref name="Origin"/> names: the others apply it to their
/// own sessions (and forget the person's cached security stamp).
/// </summary>
public sealed record AccessChanged(string Origin, AccessChange Change, string UserId, string? PreviousStamp = null, string? NewStamp = null) : BoardEvent;
