using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>A person's own password (signed in, or with a one-time link) and the administrator's reset link.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account");
        // The cookie of this browser is issued again in the answer (a circuit cannot set cookies), so the page posts here.
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization(Policies.Person).DisableAntiforgery();
        // The one-time link's form, for scripts and the page alike: anonymous, the token is the credential.
        account.MapPost("/set-password", SetPasswordAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/api/admin/users/{userId}/reset-link", MakeResetLinkAsync).RequireAuthorization(Policies.Admin).WithTags("Admin");
        return app;
    }

    /// <summary>
    /// Every write here needs X-Requested-With: a page of another site cannot send a custom header without a CORS
    /// preflight this server never grants, so a bare cross-site form post (the reset link takes no body) is refused.
    /// </summary>
    private static IResult? MissingScriptHeader(HttpContext http) =>
        string.IsNullOrWhiteSpace(http.Request.Headers[AreaAdminEndpoints.ScriptHeader])
            ? ApiResults.Problem(StatusCodes.Status400BadRequest, L["Header missing"],
                L["Send the header '{0}: DispatchBoard' (it shows the request comes from DispatchBoard's pages or a script).", AreaAdminEndpoints.ScriptHeader])
            : null;

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, PasswordChanges passwords, UserManager<AppUser> users,
        SignInManager<AppUser> signIn, CancellationToken ct)
    {
        if (MissingScriptHeader(http) is { } refused)
        {
            return refused;
        }
        var (body, error) = await ApiResults.ReadJsonAsync<ChangePasswordRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var result = await passwords.ChangeAsync(Actor.From(http)!, body!, ct);
        if (!result.IsOk)
        {
            return ApiResults.From(result, _ => TypedResults.NoContent());
        }
        // This browser stays signed in: a new cookie with the new stamp (the old one was just made worthless).
        if (await users.FindByIdAsync(result.Value!) is { } user)
        {
            await signIn.SignInAsync(user, isPersistent: true);
        }
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SetPasswordAsync(HttpContext http, AccountLinks links, CancellationToken ct)
    {
        if (MissingScriptHeader(http) is { } refused)
        {
            return refused;
        }
        var (body, error) = await ApiResults.ReadJsonAsync<SetPasswordRequest>(http);
        return error ?? ApiResults.From(await links.SetPasswordAsync(body!, ClientNetwork.AddressOf(http), ct),
            check => TypedResults.Ok(new { check.Name, check.Email, message = L["Your password is set. Sign in with it."] }));
    }

    private static async Task<IResult> MakeResetLinkAsync(string userId, HttpContext http, AccountLinks links, CancellationToken ct) =>
        MissingScriptHeader(http) ?? ApiResults.From(await links.MakeResetLinkAsync(userId, Actor.From(http)!, ct), TypedResults.Ok);
}
