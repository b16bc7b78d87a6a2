using System.Globalization;
using System.Security.Claims;
using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Puts the person's display name, their language, and the staff member they are if they take jobs, in the cookie: every page and
/// event can say who acted, and pages know who may claim without asking the database each time. (Made again when the
/// security stamp changes, as it does when an administrator changes someone's roles.)
/// </summary>
public sealed class AppClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options,
    IDbContextFactory<DispatchDbContext> dbFactory)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Actor.DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "Staff" : user.DisplayName));
        if (user.Culture is { Length: > 0 } culture)
        {
            identity.AddClaim(new Claim(Actor.CultureClaim, culture));
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Staff.Where(s => s.UserId == user.Id && s.IsActive).Select(s => (int?)s.Id).FirstOrDefaultAsync() is { } staffId)
        {
            identity.AddClaim(new Claim(Actor.StaffIdClaim, staffId.ToString(CultureInfo.InvariantCulture)));
        }
        return identity;
    }
}
