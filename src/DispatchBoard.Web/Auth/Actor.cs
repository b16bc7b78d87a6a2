using System.Security.Claims;

namespace DispatchBoard.Web.Auth;

/// <summary>Who is asking: the signed-in user as the services see them. Rights are checked again in the services.</summary>
public sealed record Actor(string UserId, string Name, bool CanDispatch)
{
    public const string DisplayNameClaim = "dispatchboard:display_name";

    public static Actor? From(ClaimsPrincipal? user)
    {
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user?.Identity?.IsAuthenticated != true || id is null)
        {
            return null;
        }
        var name = user.FindFirstValue(DisplayNameClaim) ?? user.Identity.Name ?? "Staff";
        return new Actor(id, name, user.IsInRole(Roles.Dispatcher) || user.IsInRole(Roles.Admin));
    }
}
