using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using static DispatchBoard.Web.Auth.AuthText;

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
        auth.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes))
            .WithSummary("Sign in")
            .WithDescription("Checks the e-mail address and password and sets the sign-in cookie. An unknown address, a deactivated "
                + "account and a wrong password all answer the same 401. Failed attempts are slowed per account and client address: "
                + "past a few, the answer is a 429 with Retry-After.")
            .AcceptsJson<LoginRequest>().Returns<SignedInUser>().Refuses(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Sign out on this device")
            .WithDescription("Ends this browser's session (its cookie stops working). The body is optional: "
                + "{ \"pushEndpoint\": \"…\" } also stops push alerts to this browser. A bad body is a 400, but the sign-out is done all the same.")
            .AcceptsJson<LogoutRequest>(optional: true)
            .Produces(StatusCodes.Status204NoContent);
        // Ends every session of the person: all cookies (a new security stamp) and open pages and hub connections.
        auth.MapPost("/logout-everywhere", LogoutEverywhereAsync).RequireAuthorization(Policies.Person).DisableAntiforgery()
            .WithSummary("Sign out everywhere")
            .WithDescription("Ends every session of the person: all their cookies, open pages and hub connections. "
                + "The optional body is as for a sign-out on this device.")
            .AcceptsJson<LogoutRequest>(optional: true)
            .Produces(StatusCodes.Status204NoContent);
        auth.MapGet("/me", (HttpContext http) => Actor.From(http.User) is { } actor
            ? Results.Ok(new SignedInUser(http.User.Identity!.Name ?? "", actor.Name,
                Roles.All.Where(http.User.IsInRole).ToList()))
            : Results.Unauthorized()).RequireAuthorization()
            .WithSummary("Who is signed in")
            .WithDescription("The signed-in person's e-mail address, name and roles.")
            .Returns<SignedInUser>();
        return app;
    }

    /// <summary>A hash of no one's password: an unknown or deactivated account costs the same hashing as a wrong password.</summary>
    private static readonly string DummyHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), "not anyone's password");

    private static async Task<IResult> LoginAsync(HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
        IPasswordHasher<AppUser> hasher, SignInThrottle throttle, AuditLog audit, ILoggerFactory loggers)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<LoginRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var errors = new ValidationErrors();
        var email = errors.Text("email", L["E-mail"], body!.Email, 256, required: true);
        // No address has control characters; refused here, one could not forge lines in the sign-in log.
        if (email is not null && email.Any(char.IsControl))
        {
            errors.Add("email", L["This is not an e-mail address."]);
            email = null;
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            errors.Add("password", L["Password is required."]);
        }
        if (errors.Any)
        {
            return ApiResults.Invalid(errors.ToDictionary());
        }

        var log = loggers.CreateLogger(typeof(AuthEndpoints));
        var address = ClientNetwork.AddressOf(http);
        if (throttle.TryBegin(email!, address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            log.SignInThrottled(email, address, seconds);
            // A refused attempt costs an attacker nothing, so it is logged once a minute per account and client, not each time.
            await audit.RecordRepeatedAsync($"{email!.ToUpperInvariant()}|{address}",
                AuditEvent.Anonymous(AuditKind.SignInThrottled, email, $"Told to wait {seconds} s", address));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Problem(StatusCodes.Status429TooManyRequests, L["Too many attempts"],
                L["Too many sign-in attempts: wait {0} seconds and try again.", seconds]);
        }

        // Unknown, deactivated and wrong password read the same (status, words and time): the answer tells nobody
        // whether an account exists or what state it is in. No lockout: the throttle above slows guessing instead.
        var user = await users.FindByEmailAsync(email!);
        if (user is null || !user.IsActive)
        {
            hasher.VerifyHashedPassword(user ?? new AppUser(), DummyHash, body.Password!);
            var reason = user is null ? "no such account" : "deactivated";
            log.SignInFailedNoAccount(email, address, reason);
            await audit.TryRecordAsync(AuditEvent.Anonymous(AuditKind.SignInFailed, email, reason, address));
            throttle.Failed(email!, address);
            return WrongCredentials();
        }
        var result = await signIn.PasswordSignInAsync(user, body.Password!, isPersistent: true, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            log.SignInFailedWrongPassword(email, address);
            // Whoever typed it is not known to be the account's owner: the account is what the line is about, not who did it.
            await audit.TryRecordAsync(AuditEvent.Anonymous(AuditKind.SignInFailed, user.Email, "wrong password", address));
            throttle.Failed(email!, address);
            return WrongCredentials();
        }
        throttle.Succeeded(email!, address);
        var roles = await users.GetRolesAsync(user);
        await audit.TryRecordAsync(new AuditEvent(AuditKind.SignIn, user.Id, user.DisplayName, user.Email, string.Join(", ", roles), address));
        return TypedResults.Ok(new SignedInUser(user.Email!, user.DisplayName, roles.ToList()));
    }

    private static IResult WrongCredentials() =>
        ApiResults.Problem(StatusCodes.Status401Unauthorized, L["Sign-in failed"], L["Wrong e-mail or password."]);

    private static async Task<IResult> LogoutEverywhereAsync(HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
        AccessGuard guard, IEnumerable<ISignOutStep> steps, AuditLog audit, ILoggerFactory loggers)
    {
        var userId = Actor.From(http.User)?.UserId;
        var result = await SignOutAsync(http, signIn, users, steps, audit, AuditKind.SignOutEverywhere, loggers);
        if (userId is not null)
        {
            guard.EndSessions(userId);
        }
        return result;
    }

    private static Task<IResult> LogoutAsync(HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
        IEnumerable<ISignOutStep> steps, AuditLog audit, ILoggerFactory loggers) =>
        SignOutAsync(http, signIn, users, steps, audit, AuditKind.SignOut, loggers);

    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
        IEnumerable<ISignOutStep> steps, AuditLog audit, AuditKind kind, ILoggerFactory loggers)
    {
        if (Actor.From(http) is { } actor)
        {
            await audit.TryRecordAsync(AuditEvent.By(actor, kind, http.User.Identity?.Name,
                kind == AuditKind.SignOutEverywhere ? "Every session of this person ended" : null));
        }
        // A new security stamp: a copy of this cookie (and the person's cookies elsewhere) stops working on its next request.
        if (!DisplayPrincipal.IsDisplay(http.User) && users.GetUserId(http.User) is { } userId && await users.FindByIdAsync(userId) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
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
                loggers.CreateLogger(typeof(AuthEndpoints)).SignOutStepFailed(ex, step.GetType().Name);
            }
        }
        return TypedResults.NoContent();
    }
}
