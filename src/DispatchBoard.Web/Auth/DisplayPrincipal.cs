using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Who a paired screen is to the app: NameIdentifier "display:{id}", its name, the <see cref="Roles.Display"/> role and
/// its id. It has no user row: the cookie checks skip the security stamp and ask the <see cref="AccessGuard"/> instead.
/// </summary>
public static class DisplayPrincipal
{
    public const string DisplayIdClaim = "dispatchboard:display_id";
    private const string Prefix = "display:";

    public static string UserId(int displayId) => Prefix + displayId.ToString(CultureInfo.InvariantCulture);

    public static bool IsDisplayUserId(string? userId) => userId?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static bool IsDisplay(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && IsDisplayUserId(user.FindFirstValue(ClaimTypes.NameIdentifier));

    public static ClaimsPrincipal Create(int displayId, string name) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, UserId(displayId)),
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, Roles.Display),
            new Claim(DisplayIdClaim, displayId.ToString(CultureInfo.InvariantCulture)),
        ], IdentityConstants.ApplicationScheme));
}
