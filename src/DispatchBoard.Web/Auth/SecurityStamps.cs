using System.Collections.Concurrent;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Checks a cookie's security stamp against the account's on every request, so a sign-out, "sign out everywhere" or a
/// password change ends every copy of the old cookie at once. Identity's own validator would read the user, rebuild
/// the principal and re-issue the cookie on each request; this reads one column, cached per user and dropped whenever
/// <see cref="DispatchUserManager"/> saves the user. The cache also expires after <see cref="MaxAge"/>, so a change made by
/// another instance reaches this one within that time even without Realtime:Redis; with it, a change on another
/// instance (<see cref="AccessChanged"/>) drops the cached stamp at once, and a resync drops them all.
/// </summary>
public sealed class SecurityStamps
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string? Stamp, DateTimeOffset ReadAt)> _stamps = new(StringComparer.Ordinal);
    private readonly IDbContextFactory<DispatchDbContext> _dbFactory;
    private readonly TimeProvider _clock;

    public SecurityStamps(IDbContextFactory<DispatchDbContext> dbFactory, TimeProvider clock, DispatchNotifier notifier)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        notifier.Subscribe(e =>
        {
            switch (e)
            {
                case AccessChanged change:
                    Forget(change.UserId);
                    break;
                case Resync:
                    _stamps.Clear();
                    break;
            }
        });
    }

    public async ValueTask<bool> IsCurrentAsync(string userId, string? cookieStamp, CancellationToken ct)
    {
        if (cookieStamp is null)
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        if (!_stamps.TryGetValue(userId, out var known) || now - known.ReadAt >= MaxAge)
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct);
            var row = await db.Users.Where(u => u.Id == userId).Select(u => new { u.SecurityStamp }).FirstOrDefaultAsync(ct);
            known = (row?.SecurityStamp, now);
            _stamps[userId] = known;
        }
        return known.Stamp is not null && string.Equals(known.Stamp, cookieStamp, StringComparison.Ordinal);
    }

    public void Forget(string userId) => _stamps.TryRemove(userId, out _);
}

/// <summary>The app's user manager: every save of a user (a new stamp, password or role) drops the cached stamp.</summary>
public sealed class DispatchUserManager(IUserStore<AppUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators, IEnumerable<IPasswordValidator<AppUser>> passwordValidators, ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<AppUser>> logger, SecurityStamps stamps)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>
    /// Sets a password without the old one (a one-time link, or an account's first): Identity's password rules apply,
    /// and the new security stamp ends every cookie the person had.
    /// </summary>
    public async Task<IdentityResult> SetPasswordAsync(AppUser user, string newPassword)
    {
        var result = await UpdatePasswordHash(user, newPassword, validatePassword: true);
        return result.Succeeded ? await UpdateUserAsync(user) : result;
    }

    protected override async Task<IdentityResult> UpdateUserAsync(AppUser user)
    {
        var result = await base.UpdateUserAsync(user);
        stamps.Forget(user.Id);
        return result;
    }
}
