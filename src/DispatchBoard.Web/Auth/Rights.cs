using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Rights as the database has them now, not as the page or cookie had them when it loaded: an administrator demoted a
/// minute ago still holds an <see cref="Actor"/> saying IsAdmin. Asked on the context (and transaction) of the change.
/// </summary>
public static class Rights
{
    public static Task<bool> IsActiveAdminAsync(this DispatchDbContext db, Actor actor, CancellationToken ct) =>
        ActiveAdmins(db).AnyAsync(id => id == actor.UserId, ct);

    /// <summary>Whether an active administrator other than <paramref name="userId"/> exists (the school always keeps one).</summary>
    public static Task<bool> HasOtherActiveAdminAsync(this DispatchDbContext db, string userId, CancellationToken ct) =>
        ActiveAdmins(db).AnyAsync(id => id != userId, ct);

    private static IQueryable<string> ActiveAdmins(DispatchDbContext db) =>
        from u in db.Users
        join ur in db.UserRoles on u.Id equals ur.UserId
        join r in db.Roles on ur.RoleId equals r.Id
        where u.IsActive && r.Name == Roles.Admin
        select u.Id;
}
