using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Notifications;

public sealed record StaffRecipient(int StaffId, string UserId, string Name);

/// <summary>Who should hear about something: people by role, staff on duty, staff by id. Active accounts only.</summary>
public static class Recipients
{
    public static Task<List<string>> InRoleAsync(DispatchDbContext db, string role, CancellationToken ct) =>
        (from userRole in db.UserRoles
         join r in db.Roles on userRole.RoleId equals r.Id
         join user in db.Users on userRole.UserId equals user.Id
         where r.Name == role && user.IsActive
         select user.Id).ToListAsync(ct);

    /// <summary>Asked on every report routed: its query is compiled once.</summary>
    public static async Task<List<StaffRecipient>> OnDutyAsync(DispatchDbContext db, CancellationToken ct) =>
        await OnDutyQuery.For(db)(db).ToListAsync(ct);

    private static readonly CompiledPerModel<Func<DispatchDbContext, IAsyncEnumerable<StaffRecipient>>> OnDutyQuery = new(() => EF.CompileAsyncQuery(
        (DispatchDbContext db) => db.Staff.Where(s => s.IsActive && s.OnDuty).Select(s => new StaffRecipient(s.Id, s.UserId, s.DisplayName))));

    public static async Task<StaffRecipient?> StaffAsync(DispatchDbContext db, int? staffId, CancellationToken ct) =>
        staffId is null ? null : await db.Staff.Where(s => s.Id == staffId && s.IsActive)
            .Select(s => new StaffRecipient(s.Id, s.UserId, s.DisplayName)).FirstOrDefaultAsync(ct);

    /// <summary>The dispatchers (and, when there are none, the administrators) who watch the board.</summary>
    public static async Task<List<string>> DispatchersAsync(DispatchDbContext db, CancellationToken ct)
    {
        var dispatchers = await InRoleAsync(db, Roles.Dispatcher, ct);
        return dispatchers.Count > 0 ? dispatchers : await InRoleAsync(db, Roles.Admin, ct);
    }
}
