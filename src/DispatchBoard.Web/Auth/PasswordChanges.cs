using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.Identity;
using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>The /account form's fields; <see cref="Circuit"/> names the page's circuit, which stays signed in.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, string? RepeatPassword, string? Circuit = null);

/// <summary>
/// A person changes their own password: the current one is checked (each wrong one counts in the sign-in throttle, so
/// the form is no way around it), the new one meets Identity's rules, and every other session of the person ends at
/// once (a new security stamp for cookies, the guard for circuits and hub connections). The caller re-issues this
/// browser's cookie.
/// </summary>
public sealed class PasswordChanges(IServiceScopeFactory scopes, SignInThrottle throttle, AccessGuard guard, AuditLog audit)
{
    public async Task<ServiceResult<string>> ChangeAsync(Actor actor, ChangePasswordRequest request, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(actor.UserId);
        if (user is not { IsActive: true })
        {
            return ServiceResult<string>.Forbidden(L["This account is deactivated."]);
        }

        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("currentPassword", L["Current password is required."]);
        }
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors.Add("newPassword", L["New password is required."]);
        }
        else
        {
            foreach (var problem in await PasswordRules.CheckAsync(users, user, request.NewPassword, L["The new password"]))
            {
                errors.Add("newPassword", problem);
            }
            if (request.NewPassword == request.CurrentPassword)
            {
                errors.Add("newPassword", L["The new password is the same as the current one: choose another."]);
            }
            if (request.RepeatPassword != request.NewPassword)
            {
                errors.Add("repeatPassword", L["Repeat the new password exactly: the two do not match."]);
            }
        }
        if (errors.Any)
        {
            return ServiceResult<string>.Invalid(errors);
        }

        var email = user.Email ?? user.Id;
        if (throttle.TryBegin(email, actor.Address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            return ServiceResult<string>.TooMany(L["Too many wrong passwords: wait {0} seconds and try again.", seconds], TimeSpan.FromSeconds(seconds));
        }
        if (!await users.CheckPasswordAsync(user, request.CurrentPassword!))
        {
            throttle.Failed(email, actor.Address);
            await audit.TryRecordAsync(AuditEvent.By(actor, AuditKind.PasswordChangeFailed, user.Email, "wrong current password"), ct);
            errors.Add("currentPassword", L["Your current password is not right: type the password you signed in with."]);
            return ServiceResult<string>.Invalid(errors);
        }
        throttle.Succeeded(email, actor.Address);

        var changed = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!changed.Succeeded)
        {
            foreach (var error in changed.Errors)
            {
                errors.Add("newPassword", PasswordRules.Describe(error, L["The new password"], users.Options.Password));
            }
            return ServiceResult<string>.Invalid(errors);
        }
        await audit.TryRecordAsync(AuditEvent.By(actor, AuditKind.PasswordChanged, user.Email, "Every other session ended"), ct);
        // The new stamp already refuses older cookies; the guard ends the open pages and hub connections now, but this one.
        guard.EndSessions(user.Id, request.Circuit);
        return ServiceResult<string>.Ok(user.Id);
    }
}
