using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Displays.DisplaysText;

namespace DispatchBoard.Web.Displays;

public sealed record PairRequest(string? Code);

public sealed record NewDisplayRequest(string? Name);

/// <summary>A display with the pairing code just issued for it (shown once: only its hash is kept) and the page that takes it.</summary>
public sealed record IssuedDisplayCode(DisplayDto Display, string Code, DateTimeOffset ExpiresAt, string PairPath);

public static class DisplayEndpoints
{
    public static IEndpointRouteBuilder MapDisplayEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: the screen has no one signed in. The cookie must come from an HTTP response, hence an endpoint.
        app.MapPost("/api/displays/pair", PairAsync).AllowAnonymous().DisableAntiforgery().WithTags("Displays")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes))
            .WithSummary("Pair an office screen with its code")
            .WithDescription("The screen types the code an administrator issued; the answer sets the display's long sign-in cookie "
                + "(it opens the TV board only). A code works once and for ten minutes: an unknown or replaced code is a 404, "
                + "a used or expired one a 409. Attempts are limited per screen address (429 with Retry-After).")
            .AcceptsJson<PairRequest>()
            .Returns<PairedDisplay>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);

        var admin = app.MapGroup("/api/admin/displays").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("/", async (DisplayService displays, CancellationToken ct) => TypedResults.Ok(await displays.ListAsync(ct)))
            .WithSummary("List the office displays")
            .Returns<IReadOnlyList<DisplayDto>>();
        admin.MapPost("/", async (HttpContext http, DisplayService displays, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<NewDisplayRequest>(http);
            return error ?? ApiResults.From(await displays.CreateAsync(body!.Name, Actor.From(http)!, ct),
                issued => TypedResults.Created($"/api/admin/displays/{issued.Display.Id}", Issued(issued)));
        })
            .WithSummary("Add an office display and issue its first pairing code")
            .WithDescription("The name must be unique among displays in use (a taken name is a 400). The code is in this answer only.")
            .AcceptsJson<NewDisplayRequest>()
            .Returns<IssuedDisplayCode>(StatusCodes.Status201Created);
        admin.MapPost("/{id:int}/code", async (int id, HttpContext http, DisplayService displays, CancellationToken ct) =>
            ApiResults.From(await displays.NewCodeAsync(id, Actor.From(http)!, ct), issued => TypedResults.Ok(Issued(issued))))
            .WithSummary("Issue a new pairing code for a display")
            .WithDescription("Only for a display not paired yet: the old code stops working. A paired or revoked display is a 409 "
                + "(a replaced screen is a revoke and a new display).")
            .Returns<IssuedDisplayCode>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPost("/{id:int}/revoke", async (int id, HttpContext http, DisplayService displays, CancellationToken ct) =>
            ApiResults.From(await displays.RevokeAsync(id, Actor.From(http)!, ct), TypedResults.Ok))
            .WithSummary("Revoke an office display")
            .WithDescription("Ends the pairing for good: the screen is cut off at once and its codes stop working. Revoking twice is a 409.")
            .Returns<DisplayDto>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }

    private static IssuedDisplayCode Issued(IssuedCode issued) => new(issued.Display, issued.DisplayCode, issued.ExpiresAt, issued.PairPath);

    private static async Task<IResult> PairAsync(HttpContext http, DisplayService displays, PairingRateLimiter limiter,
        IOptions<DisplayOptions> options, TimeProvider clock)
    {
        if (!limiter.TryAcquire(ClientNetwork.AddressOf(http)))
        {
            return ApiResults.From(ServiceResult<PairedDisplay>.TooMany(
                L["Too many pairing attempts from this screen: wait a few minutes, then type the code again."], limiter.Window), TypedResults.Ok);
        }
        var (body, error) = await ApiResults.ReadJsonAsync<PairRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var result = await displays.PairAsync(body!.Code, ClientNetwork.AddressOf(http), http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiResults.From(result, TypedResults.Ok);
        }
        var paired = result.Value!;
        // A long sign-in of its own, not the people's 14 hours; sliding renewal keeps this span.
        await http.SignInAsync(IdentityConstants.ApplicationScheme, DisplayPrincipal.Create(paired.Id, paired.Name), new AuthenticationProperties
        {
            IsPersistent = true,
            AllowRefresh = true,
            ExpiresUtc = clock.GetUtcNow().AddDays(options.Value.SignInDays),
        });
        return TypedResults.Ok(paired);
    }
}
