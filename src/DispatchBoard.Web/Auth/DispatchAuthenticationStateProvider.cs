using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// The circuit's view of who is signed in. When an administrator deactivates the account, the circuit becomes
/// anonymous at once (its pages send the person to the sign-in page); a periodic check covers other app instances.
/// </summary>
public sealed class DispatchAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly Task<AuthenticationState> Anonymous = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    private readonly AccessGuard _guard;

    public DispatchAuthenticationStateProvider(AccessGuard guard, ILoggerFactory loggerFactory) : base(loggerFactory)
    {
        _guard = guard;
        _guard.Revoked += OnRevoked;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true
        || await _guard.IsAllowedAsync(authenticationState.User.FindFirstValue(ClaimTypes.NameIdentifier), cancellationToken);

    private async void OnRevoked(string userId)
    {
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

    protected override void Dispose(bool disposing)
    {
        _guard.Revoked -= OnRevoked;
        base.Dispose(disposing);
    }
}
