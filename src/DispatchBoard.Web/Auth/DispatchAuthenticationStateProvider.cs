using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Components.Server;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// The circuit's view of who is signed in. When an administrator deactivates the account, the circuit becomes
/// anonymous at once (its pages send the person to the sign-in page); when the account's roles change, the circuit
/// takes the new ones at once (its pages and menus re-evaluate). A periodic check covers other app instances.
/// </summary>
public sealed class DispatchAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly Task<AuthenticationState> Anonymous = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    private readonly AccessGuard _guard;
    private readonly IServiceScopeFactory _scopes;

    public DispatchAuthenticationStateProvider(AccessGuard guard, IServiceScopeFactory scopes, ILoggerFactory loggerFactory) : base(loggerFactory)
    {
        _guard = guard;
        _scopes = scopes;
        _guard.Revoked += OnRevoked;
        _guard.RolesChanged += OnRolesChanged;
    }

    /// <summary>
    /// Names this circuit when its page changes the person's password: every other session ends, this one stays (its
    /// browser gets the new cookie with the answer). Not a secret: it only spares a circuit of the same person.
    /// </summary>
    public string CircuitKey { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true
        || await _guard.IsAllowedAsync(authenticationState.User.FindFirstValue(ClaimTypes.NameIdentifier), cancellationToken);

    private async void OnRevoked(string userId)
    {
        // Checked before the first await: the guard keeps the circuit only while it raises the event.
        if (_guard.Keeps(CircuitKey))
        {
            return;
        }
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) == userId)
            {
                SetAuthenticationState(Anonymous);
            }
        }
        catch (InvalidOperationException)
        {
            // The circuit has no authentication state yet (still starting): the first revalidation catches it.
        }
    }

    private async void OnRolesChanged(string userId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) != userId)
            {
                return;
            }
            // The principal the cookie will carry on its next request, made the same way from the database.
            await using var scope = _scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(userId);
            SetAuthenticationState(user is { IsActive: true }
                ? Task.FromResult(new AuthenticationState(await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user)))
                : Anonymous);
        }
        catch (InvalidOperationException)
        {
            // The circuit has no authentication state yet (still starting): it reads the refreshed cookie.
        }
        catch (Exception)
        {
            // The database could not be read: safer anonymous (the page sends the person to sign in again) than stale roles.
            SetAuthenticationState(Anonymous);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _guard.Revoked -= OnRevoked;
        _guard.RolesChanged -= OnRolesChanged;
        base.Dispose(disposing);
    }
}
