using System.Collections.Concurrent;
using System.Security.Claims;
using DispatchBoard.Web.Data;
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
/// </summary>
public sealed class AccessGuard(IDbContextFactory<DispatchDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<string, bool> _deactivated = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile bool _loaded;

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
        _deactivated[userId] = true;
        Revoked?.Invoke(userId);
    }

    public void Restore(string userId) => _deactivated.TryRemove(userId, out _);

    /// <summary>Circuits that a password change was made from: their browser got a new cookie, so they stay signed in.</summary>
    private readonly ConcurrentDictionary<string, byte> _keptCircuits = new(StringComparer.Ordinal);

    /// <summary>
    /// "Sign out everywhere" and a new password: the person's open circuits and hub connections end; the account stays
    /// usable. <paramref name="keepCircuit"/> names the one circuit that stays (the page the password was changed on).
    /// </summary>
    public void EndSessions(string userId, string? keepCircuit = null)
    {
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
