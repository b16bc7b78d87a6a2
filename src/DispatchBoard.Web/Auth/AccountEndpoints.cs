using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>The answer to a password set with a one-time link: whose it was, and what to do next.</summary>
public sealed record PasswordSetByLink(string? Name, string? Email, string Message);

/// <summary>A person's own password (signed in, or with a one-time link) and the administrator's reset link.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account");
        // The cookie of this browser is issued again in the answer (a circuit cannot set cookies), so the page posts here.
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization(Policies.Person).DisableAntiforgery()
            .WithSummary("Change my password")
            .WithDescription("Needs the header X-Requested-With: DispatchBoard (without it, a 400). The current password must be right "
                + "(a wrong one is a 400 naming currentPassword, and counts in the sign-in throttle: past a few, a 429), the new one "
                + "must meet the password rules and be repeated. Every other session of the person ends; this browser gets a new cookie.")
            .AcceptsJson<ChangePasswordRequest>().Produces(StatusCodes.Status204NoContent).Refuses(StatusCodes.Status429TooManyRequests);
        // The one-time link's form, for scripts and the page alike: anonymous, the token is the credential.
        account.MapPost("/set-password", SetPasswordAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Set a password with a one-time link")
            .WithDescription("The token of a reset or first-sign-in link is the credential. Needs the header X-Requested-With: DispatchBoard "
                + "(without it, a 400). A link that is unknown, used, expired, withdrawn or of a deactivated account is a 409 saying which. "
                + "The link is used up, and every session of the person ends.")
            .AcceptsJson<SetPasswordRequest>().Returns<PasswordSetByLink>().Refuses(StatusCodes.Status409Conflict);
        app.MapPost("/api/admin/users/{userId}/reset-link", MakeResetLinkAsync).RequireAuthorization(Policies.Admin).WithTags("Admin")
            .WithSummary("Make a password reset link")
            .WithDescription("Makes a one-time link for the person to set a new password, and withdraws their older unused links. "
                + "It is e-mailed when SMTP is set up (url is then null); otherwise url is the only copy, to hand over. "
                + "Takes no body; needs the header X-Requested-With: DispatchBoard (without it, a 400). A deactivated account is a 409.")
            .Returns<MadeLink>().Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// Every write here needs X-Requested-With: a page of another site cannot send a custom header without a CORS
    /// preflight this server never grants, so a bare cross-site form post (the reset link takes no body) is refused.
    /// The refusal is a validation problem naming the header, like every other 400 of the API.
    /// </summary>
    private static IResult? MissingScriptHeader(HttpContext http)
    {
        if (!string.IsNullOrWhiteSpace(http.Request.Headers[AreaAdminEndpoints.ScriptHeader]))
        {
            return null;
        }
        var message = L["Send the header '{0}: DispatchBoard' (it shows the request comes from DispatchBoard's pages or a script).", AreaAdminEndpoints.ScriptHeader];
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [AreaAdminEndpoints.ScriptHeader] = [message] },
            detail: message, title: L["Header missing"]);
    }

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
            check => TypedResults.Ok(new PasswordSetByLink(check.Name, check.Email, L["Your password is set. Sign in with it."])));
    }

    private static async Task<IResult> MakeResetLinkAsync(string userId, HttpContext http, AccountLinks links, CancellationToken ct) =>
        MissingScriptHeader(http) ?? ApiResults.From(await links.MakeResetLinkAsync(userId, Actor.From(http)!, ct), TypedResults.Ok);
}
