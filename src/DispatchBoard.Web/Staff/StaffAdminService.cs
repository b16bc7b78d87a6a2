using System.Net.Mail;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

/// <summary>
/// An account as the people page lists it. <see cref="HasPassword"/> is false until a first-sign-in link is used;
/// <see cref="FirstSignInLink"/> comes only with the answer to creating an account without a password.
/// </summary>
public sealed record AccountDto(string UserId, string Email, string Name, IReadOnlyList<string> Roles, bool IsActive, int? StaffId, string? Phone, bool OnDuty,
    bool HasPassword = true,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] MadeLink? FirstSignInLink = null);

/// <summary>A new account. Without a password it gets a first-sign-in link instead (the person chooses the password).</summary>
public sealed record NewAccount(string? Email, string? Name, string? Phone, IReadOnlyList<string>? Roles, string? Password);

/// <summary>
/// The administrator's side of people: accounts, roles, and deactivation. A deactivated account loses access at once:
/// its cookie is refused on the next request, its circuits turn anonymous, its hub connections close, and the jobs it
/// held go back to the queue.
/// </summary>
public sealed class StaffAdminService(
    IServiceScopeFactory scopes,
    IDbContextFactory<DispatchDbContext> dbFactory,
    AccessGuard guard,
    TicketChanges tickets,
    AreaDirectory areas,
    DispatchNotifier notifier,
    AuditLog audit,
    AccountLinks links,
    SchoolClock clock,
    SchoolLanguage school)
{
    public async Task<IReadOnlyList<AccountDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        var rows = await (from u in db.Users
                          join s in db.Staff on u.Id equals s.UserId into staff
                          from s in staff.DefaultIfEmpty()
                          orderby u.IsActive descending, u.DisplayName
                          select new { u.Id, u.Email, u.DisplayName, u.IsActive, StaffId = (int?)s.Id, Phone = s == null ? null : s.Phone, OnDuty = s != null && s.OnDuty, HasPassword = u.PasswordHash != null })
            .ToListAsync(ct);
        return rows.Select(u => new AccountDto(u.Id, u.Email ?? "", u.DisplayName, byUser[u.Id].OrderBy(r => r).ToList(), u.IsActive, u.StaffId, u.Phone, u.OnDuty, u.HasPassword)).ToList();
    }

    public async Task<ServiceResult<AccountDto>> CreateAsync(NewAccount account, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return Refused;
        }
        var errors = new ValidationErrors();
        var email = errors.Text("email", L["E-mail"], account.Email, 256, required: true);
        if (email is not null && !MailAddress.TryCreate(email, out _))
        {
            errors.Add("email", L["'{0}' is not an e-mail address.", email]);
        }
        var name = errors.Text("name", L["Name"], account.Name, AppUser.DisplayNameMaxLength, required: true);
        var phone = errors.Text("phone", L["Phone"], account.Phone, StaffMember.PhoneMaxLength, required: false);
        var roles = CheckRoles(account.Roles, errors);
        if (errors.Any)
        {
            return ServiceResult<AccountDto>.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<DispatchDbContext>();
        if (await users.FindByEmailAsync(email!) is not null)
        {
            errors.Add("email", L["There is already an account for {0}.", email]);
            return ServiceResult<AccountDto>.Invalid(errors);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return Refused;
        }
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name! };
        // No password: the account cannot sign in until its person sets one with the first-sign-in link.
        var created = string.IsNullOrEmpty(account.Password) ? await users.CreateAsync(user) : await users.CreateAsync(user, account.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                if (error.Code.Contains("Password", StringComparison.Ordinal))
                {
                    errors.Add("password", PasswordRules.Describe(error, L["The first password"], users.Options.Password));
                }
                else
                {
                    errors.Add("email", error.Description);
                }
            }
            return ServiceResult<AccountDto>.Invalid(errors);
        }
        await users.AddToRolesAsync(user, roles);
        if (roles.Contains(Roles.Staff))
        {
            db.Staff.Add(new StaffMember { UserId = user.Id, DisplayName = name!, Phone = phone, DutyChangedAt = clock.UtcNow });
        }
        audit.Stage(db, AuditEvent.By(actor, AuditKind.UserCreated, email, $"{name}; roles: {string.Join(", ", roles)}"));
        var link = string.IsNullOrEmpty(account.Password) ? await links.StageAsync(db, user, AccountLinkPurpose.FirstSignIn, actor, ct) : null;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var made = (await ListAsync(ct)).Single(a => a.UserId == user.Id);
        return ServiceResult<AccountDto>.Ok(link is null ? made : made with { FirstSignInLink = await links.DeliverAsync(link, actor, ct) });
    }

    public async Task<ServiceResult<AccountDto>> SetRolesAsync(string userId, IReadOnlyList<string>? roles, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return Refused;
        }
        var errors = new ValidationErrors();
        var wanted = CheckRoles(roles, errors);
        if (errors.Any)
        {
            return ServiceResult<AccountDto>.Invalid(errors);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<DispatchDbContext>();
        string? previousStamp;
        AppUser? user;
        // One immediate (write-locked) transaction: the actor's rights and the "one admin remains" rule are read where
        // the change is made, so two administrators demoting each other at once leave one of them.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await db.IsActiveAdminAsync(actor, ct))
            {
                return Refused;
            }
            user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return ServiceResult<AccountDto>.NotFound(L["There is no such account."]);
            }
            previousStamp = user.SecurityStamp;
            var current = await users.GetRolesAsync(user);
            if (current.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin))
            {
                if (user.IsActive && !await db.HasOtherActiveAdminAsync(userId, ct))
                {
                    return LastAdmin(user);
                }
                if (userId == actor.UserId)
                {
                    errors.Add("roles", L["You cannot take the Admin role from yourself; ask another administrator."]);
                    return ServiceResult<AccountDto>.Invalid(errors);
                }
            }
            await users.RemoveFromRolesAsync(user, current.Except(wanted));
            await users.AddToRolesAsync(user, wanted.Except(current));
            var staff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == userId, ct);
            if (wanted.Contains(Roles.Staff) && staff is null)
            {
                db.Staff.Add(new StaffMember { UserId = userId, DisplayName = user.DisplayName, DutyChangedAt = clock.UtcNow, IsActive = user.IsActive });
            }
            else if (staff is not null)
            {
                staff.IsActive = user.IsActive && wanted.Contains(Roles.Staff);
                staff.OnDuty &= staff.IsActive;
            }
            audit.Stage(db, AuditEvent.By(actor, AuditKind.RoleChanged, user.Email,
                $"{user.DisplayName}: {RoleList(current)} → {RoleList(wanted)}"));
            await db.SaveChangesAsync(ct);
            // Role claims live in the cookie: a new stamp marks the old cookie; the guard has it made again on its next request.
            await users.UpdateSecurityStampAsync(user);
            await transaction.CommitAsync(ct);
        }
        // Open circuits take the new roles and hub connections close, at once (the hub checks its policy at connect).
        guard.ChangeRoles(userId, previousStamp, user.SecurityStamp!);
        areas.Invalidate();
        return ServiceResult<AccountDto>.Ok((await ListAsync(ct)).Single(a => a.UserId == userId));
    }

    public async Task<ServiceResult<AccountDto>> SetActiveAsync(string userId, bool active, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return Refused;
        }
        if (userId == actor.UserId && !active)
        {
            return ServiceResult<AccountDto>.Conflict(L["You cannot deactivate your own account."]);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<DispatchDbContext>();
        // One immediate transaction: the actor's rights and "one admin remains" are read where the change is made; the
        // account, its staff row and its push devices change together (a deactivated person's phone stops receiving
        // alerts exactly when the account stops working).
        StaffMember? staff;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await db.IsActiveAdminAsync(actor, ct))
            {
                return Refused;
            }
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return ServiceResult<AccountDto>.NotFound(L["There is no such account."]);
            }
            if (!active && user.IsActive && await users.IsInRoleAsync(user, Roles.Admin) && !await db.HasOtherActiveAdminAsync(userId, ct))
            {
                return LastAdmin(user);
            }
            user.IsActive = active;
            user.LockoutEnd = active ? null : DateTimeOffset.MaxValue;
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);
            staff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == userId, ct);
            if (staff is not null)
            {
                staff.IsActive = active && await users.IsInRoleAsync(user, Roles.Staff);
                if (!active)
                {
                    staff.OnDuty = false;
                    staff.DutyChangedAt = clock.UtcNow;
                    staff.DutyChangedBy = $"account deactivated by {actor.Name}";
                }
                await db.SaveChangesAsync(ct);
            }
            if (!active)
            {
                await PushDevices.ForgetUserAsync(db, userId, ct);
                // A reset or first-sign-in link made before must not come back to life if the account is reactivated.
                var now = clock.UtcNow;
                await db.AccountLinks.Where(l => l.UserId == userId && l.UsedAt == null && l.VoidedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.VoidedAt, now), ct);
            }
            audit.Stage(db, AuditEvent.By(actor, active ? AuditKind.UserReactivated : AuditKind.UserDeactivated, user.Email, user.DisplayName));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        if (staff is not null)
        {
            notifier.Publish(new StaffChanged(StaffService.ToDto(staff)));
        }
        if (active)
        {
            guard.Restore(userId);
        }
        else
        {
            guard.Revoke(userId);
            if (staff is not null)
            {
                await ReleaseJobsAsync(staff, ct);
            }
        }
        return ServiceResult<AccountDto>.Ok((await ListAsync(ct)).Single(a => a.UserId == userId));
    }

    /// <summary>Jobs a deactivated person held go back to the queue (routed again), so none are stranded.</summary>
    private async Task ReleaseJobsAsync(StaffMember staff, CancellationToken ct)
    {
        List<int> held;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            held = await db.Tickets.Where(t => t.ClaimedById == staff.Id && (t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite))
                .Select(t => t.Id).ToListAsync(ct);
        }
        foreach (var id in held)
        {
            // The history's note is in the school's language, whoever deactivated the account.
            await tickets.MoveAsync(id, TicketStatus.New, school.Write(() => L["Back in the queue: {0}'s account was deactivated.", staff.DisplayName]), Actor.System, ct);
        }
    }

    private static string RoleList(IEnumerable<string> roles) => roles.Any() ? string.Join(", ", roles.Order(StringComparer.Ordinal)) : "no role";

    private static ServiceResult<AccountDto> Refused => ServiceResult<AccountDto>.Forbidden(L["Only an administrator manages accounts."]);

    private static ServiceResult<AccountDto> LastAdmin(AppUser user) => ServiceResult<AccountDto>.Conflict(
        L["{0} is the last active administrator: make someone else an administrator first, so the school is never left without one.", user.DisplayName]);

    private static List<string> CheckRoles(IReadOnlyList<string>? roles, ValidationErrors errors)
    {
        var wanted = new List<string>();
        foreach (var role in roles ?? [])
        {
            var known = Roles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors.Add("roles", L["'{0}' is not a role; use {1}.", role, string.Join(", ", Roles.All)]);
            }
            else if (!wanted.Contains(known))
            {
                wanted.Add(known);
            }
        }
        if (wanted.Count == 0 && !errors.Any)
        {
            errors.Add("roles", L["Give the account at least one role."]);
        }
        return wanted;
    }
}
