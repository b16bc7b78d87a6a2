using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

/// <summary>The server's VAPID public key (base64url), for a browser's PushManager.subscribe().</summary>
public sealed record PushPublicKey(string PublicKey);

/// <summary>How many of the person's devices a test alert was queued for.</summary>
public sealed record PushTestQueued(int Devices);

public static class PushFeature
{
    /// <summary>Web Push to each person's installed devices (VAPID), sent in the background after an alert is committed.</summary>
    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PushOptions>, PushOptionsValidator>();
        // Each request has its own timeout (on the app's clock, so tests control it); the client's own is off.
        // No redirects: a push service answers, it does not send the server elsewhere (Push:AllowedHosts must hold).
        services.AddHttpClient(WebPushClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<WebPushClient>();
        services.AddSingleton<PushOutcomeLog>();
        services.AddSingleton<PushHealth>();
        services.AddSingleton<PushDeliveries>();
        services.AddSingleton<PushSender>();
        services.AddSingleton<IAlertChannel>(sp => sp.GetRequiredService<PushSender>());
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        services.AddSingleton<PushDevices>();
        services.AddSingleton<ISignOutStep>(sp => sp.GetRequiredService<PushDevices>());
        return services;
    }

    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        // Any signed-in person: everyone who gets alerts can have them on their phone.
        var push = app.MapGroup("/api/push").RequireAuthorization().WithTags("Push");
        push.MapGet("/key", async (VapidKeys keys, CancellationToken ct) =>
            TypedResults.Ok(new PushPublicKey((await keys.GetAsync(ct)).PublicKey)))
            .WithSummary("The push public key")
            .WithDescription("The server's VAPID public key (base64url of the P-256 point), the applicationServerKey a browser subscribes with.")
            .Returns<PushPublicKey>();
        push.MapGet("/subscriptions", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
            TypedResults.Ok(await devices.ListAsync(Actor.From(http.User)!.UserId, ct)))
            .WithSummary("My push devices")
            .WithDescription("The person's devices that receive their alerts by Web Push, oldest first.")
            .Returns<IReadOnlyList<PushDeviceDto>>();
        push.MapPost("/subscriptions", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<PushSubscribeRequest>(http);
            if (error is not null)
            {
                return error;
            }
            return ApiResults.From(await devices.SubscribeAsync(Actor.From(http.User)!.UserId, body!, ct), device => TypedResults.Ok(device));
        }).DisableAntiforgery()
            .WithSummary("Subscribe a device to push alerts")
            .WithDescription("What the browser's PushManager.subscribe() gave (endpoint and keys), with an optional label. The endpoint must be "
                + "an https address of a push service this server sends to (Push:AllowedHosts). The same endpoint again updates that device "
                + "(and moves it to this person if someone else had it); at the cap, the longest-unused device makes room.")
            .AcceptsJson<PushSubscribeRequest>().Returns<PushDeviceDto>();
        push.MapDelete("/subscriptions/{id:long}", async (long id, HttpContext http, PushDevices devices, CancellationToken ct) =>
            await devices.RemoveAsync(Actor.From(http.User)!.UserId, id, ct)
                ? Results.NoContent()
                : ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", "You have no such device.")).DisableAntiforgery()
            .WithSummary("Remove a push device")
            .WithDescription("Stops push alerts to one of the person's own devices; another person's device is a 404.")
            .Produces(StatusCodes.Status204NoContent).Refuses(StatusCodes.Status404NotFound);
        push.MapPost("/test", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, new PushTestQueued(await devices.SendTestAsync(Actor.From(http.User)!.UserId, ct)))).DisableAntiforgery()
            .WithSummary("Send a test alert to my devices")
            .WithDescription("Queues a test push to each of the person's devices; it is sent in the background.")
            .Returns<PushTestQueued>(StatusCodes.Status202Accepted);
        return app;
    }
}
