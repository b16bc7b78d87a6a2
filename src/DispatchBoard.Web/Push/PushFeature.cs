using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

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
            TypedResults.Ok(new { PublicKey = (await keys.GetAsync(ct)).PublicKey }));
        push.MapGet("/subscriptions", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
            TypedResults.Ok(await devices.ListAsync(Actor.From(http.User)!.UserId, ct)));
        push.MapPost("/subscriptions", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<PushSubscribeRequest>(http);
            if (error is not null)
            {
                return error;
            }
            return ApiResults.From(await devices.SubscribeAsync(Actor.From(http.User)!.UserId, body!, ct), device => TypedResults.Ok(device));
        }).DisableAntiforgery();
        push.MapDelete("/subscriptions/{id:long}", async (long id, HttpContext http, PushDevices devices, CancellationToken ct) =>
            await devices.RemoveAsync(Actor.From(http.User)!.UserId, id, ct)
                ? Results.NoContent()
                : ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", "You have no such device.")).DisableAntiforgery();
        push.MapPost("/test", async (HttpContext http, PushDevices devices, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, new { Devices = await devices.SendTestAsync(Actor.From(http.User)!.UserId, ct) })).DisableAntiforgery();
        return app;
    }
}
