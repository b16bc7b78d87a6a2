using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace DispatchBoard.Web.Auth;

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>The optional body of a sign-out: the push endpoint of this browser, whose subscription goes with the sign-out.</summary>
public sealed record LogoutRequest(string? PushEndpoint);

/// <summary>What a feature undoes when someone signs out on a device (Push: stop alerting that browser).</summary>
public interface ISignOutStep
{
    Task SignedOutAsync(LogoutRequest request, CancellationToken ct);
}

public sealed record SignedInUser(string Email, string Name, IReadOnlyList<string> Roles);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery();
        auth.MapPost("/logout", LogoutAsync).AllowAnonymous().DisableAntiforgery();
        auth.MapGet("/me", (HttpContext http) => Actor.From(http.User) is { } actor
            ? Results.Ok(new SignedInUser(http.User.Identity!.Name ?? "", actor.Name,
                Roles.All.Where(http.User.IsInRole).ToList()))
            : Results.Unauthorized()).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<LoginRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var email = errors.Text("email", "E-mail", body!.Email, 256, required: true);
        if (string.IsNullOrEmpty(body.Password))
        {
            errors.Add("password", "Password is required.");
        }
        if (errors.Any)
        {
            return ApiResults.Invalid(errors.ToDictionary());
        }

        var user = await users.FindByEmailAsync(email!);
        if (user is null)
        {
            return WrongCredentials();
        }
        if (!user.IsActive)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "Account deactivated",
                "This account has been deactivated. Ask the administrator if you still work here.");
        }
        var result = await signIn.PasswordSignInAsync(user, body.Password!, isPersistent: true, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return ApiResults.Problem(StatusCodes.Status423Locked, "Account locked",
                "Too many wrong passwords: this account is locked for a few minutes. Ask the office if you are stuck.");
        }
        if (result.IsNotAllowed)
        {
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "Account not active", "This account is not active. Ask the administrator.");
        }
        if (!result.Succeeded)
        {
            return WrongCredentials();
        }
        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new SignedInUser(user.Email!, user.DisplayName, roles.ToList()));
    }

    private static IResult WrongCredentials() =>
        ApiResults.Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", "Wrong e-mail or password.");

    private static async Task<IResult> LogoutAsync(HttpContext http, SignInManager<AppUser> signIn, IEnumerable<ISignOutStep> steps, ILoggerFactory loggers)
    {
        // The body is optional: a bare POST signs out; { "pushEndpoint": "…" } also stops pushes to this browser.
        LogoutRequest? body = null;
        IResult? error = null;
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType())
        {
            (body, error) = await ApiResults.ReadJsonAsync<LogoutRequest>(http);
        }
        // Signing out never fails because of what comes with it: the cookie goes first, whatever the body or the steps.
        await signIn.SignOutAsync();
        if (error is not null)
        {
            return error;
        }
        foreach (var step in body is null ? [] : steps)
        {
            try
            {
                await step.SignedOutAsync(body!, http.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                loggers.CreateLogger(typeof(AuthEndpoints)).LogError(ex, "A sign-out step ({Step}) failed; the person is signed out", step.GetType().Name);
            }
        }
        return TypedResults.NoContent();
    }
}
