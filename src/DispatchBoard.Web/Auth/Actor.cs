using System.Globalization;
using System.Security.Claims;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Who is asking: the signed-in user as the services see them, with the staff member they are if they take jobs (what
/// pages need to offer Claim). Rights are checked again in the services, against the database.
/// </summary>
public sealed record Actor(string UserId, string Name, bool CanDispatch, bool IsPrincipal = false, bool IsAdmin = false, int? StaffId = null)
{
    public const string DisplayNameClaim = "dispatchboard:display_name";
    public const string StaffIdClaim = "dispatchboard:staff_id";

    /// <summary>The language the person chose on their account (absent when they have not): see Languages/.</summary>
    public const string CultureClaim = "dispatchboard:culture";

    /// <summary>The app itself, for what the sweeps do on their own (auto-close, overdue alerts).</summary>
    public static readonly Actor System = new("system", "DispatchBoard (automatic)", CanDispatch: true);

    /// <summary>Plans the semester (/planning): the logistics office, and the principal whose priorities the plan carries.</summary>
    public bool CanPlan => CanDispatch || IsPrincipal;

    /// <summary>Where the person is acting from (the client's IP address), for the audit log; null when not known.</summary>
    public string? Address { get; init; }

    /// <summary>The signed-in person of a request, with the address it came from.</summary>
    public static Actor? From(HttpContext http) =>
        From(http.User) is { } actor ? actor with { Address = Hosting.ClientNetwork.AddressOf(http) } : null;

    /// <summary>The signed-in person of a circuit, with the address cascaded from the request that opened it.</summary>
    public static Actor? From(ClaimsPrincipal? user, string? address) =>
        From(user) is { } actor ? actor with { Address = address } : null;

    public static Actor? From(ClaimsPrincipal? user)
    {
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        // A paired office display is not a person: it acts on nothing (and services take no Actor from it).
        if (user?.Identity?.IsAuthenticated != true || id is null || user.IsInRole(Roles.Display))
        {
            return null;
        }
        var name = user.FindFirstValue(DisplayNameClaim) ?? user.Identity.Name ?? "Staff";
        var staffId = int.TryParse(user.FindFirstValue(StaffIdClaim), CultureInfo.InvariantCulture, out var staff) ? staff : (int?)null;
        return new Actor(id, name, user.IsInRole(Roles.Dispatcher) || user.IsInRole(Roles.Admin), user.IsInRole(Roles.Principal),
            user.IsInRole(Roles.Admin), staffId);
    }
}
