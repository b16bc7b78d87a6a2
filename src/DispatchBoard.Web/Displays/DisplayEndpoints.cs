using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Displays.DisplaysText;

namespace DispatchBoard.Web.Displays;

public sealed record PairRequest(string? Code);

public sealed record NewDisplayRequest(string? Name);

public static class DisplayEndpoints
{
    public static IEndpointRouteBuilder MapDisplayEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: the screen has no one signed in. The cookie must come from an HTTP response, hence an endpoint.
        app.MapPost("/api/displays/pair", PairAsync).AllowAnonymous().DisableAntiforgery().WithTags("Displays")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes));

        var admin = app.MapGroup("/api/admin/displays").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("/", async (DisplayService displays, CancellationToken ct) => TypedResults.Ok(await displays.ListAsync(ct)));
        admin.MapPost("/", async (HttpContext http, DisplayService displays, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<NewDisplayRequest>(http);
            return error ?? ApiResults.From(await displays.CreateAsync(body!.Name, Actor.From(http)!, ct),
                issued => TypedResults.Created($"/api/admin/displays/{issued.Display.Id}", Issued(issued)));
        });
        admin.MapPost("/{id:int}/code", async (int id, HttpContext http, DisplayService displays, CancellationToken ct) =>
            ApiResults.From(await displays.NewCodeAsync(id, Actor.From(http)!, ct), issued => TypedResults.Ok(Issued(issued))));
        admin.MapPost("/{id:int}/revoke", async (int id, HttpContext http, DisplayService displays, CancellationToken ct) =>
            ApiResults.From(await displays.RevokeAsync(id, Actor.From(http)!, ct), TypedResults.Ok));
        return app;
    }

    private static object Issued(IssuedCode issued) =>
        new { display = issued.Display, code = issued.DisplayCode, expiresAt = issued.ExpiresAt, pairPath = issued.PairPath };

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
