using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.ReporterMail;

public static class ReporterMailFeature
{
    /// <summary>E-mails to the people who reported a problem, at each step of its ticket (the outbox, its sender, the stop link).</summary>
    public static IServiceCollection AddReporterMail(this IServiceCollection services)
    {
        services.AddSingleton<ReporterMailOutbox>();
        services.AddSingleton<ReporterMailStops>();
        services.AddSingleton<ReporterMailDelivery>();
        services.AddSingleton<ReporterMailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<ReporterMailSender>());
        services.AddTransient<ReporterMailSweep>();
        // The reporter's other way to hear back without an account: "Your reports" on /report, remembered in the browser.
        services.AddSingleton<Tickets.YourReportsLookup>();
        return services;
    }

    /// <summary>
    /// The RFC 8058 one-click stop a mail program POSTs (List-Unsubscribe-Post), anonymous like the link. It needs no
    /// X-Requested-With header, unlike the app's other form-accepting writes: a mail program cannot add one, and the
    /// sealed token in the address is the permission (a page of another site cannot make one), so a cross-site POST can
    /// do nothing a holder of the e-mail could not. A GET (a program that opens the address instead) only shows the page.
    /// </summary>
    public static IEndpointRouteBuilder MapReporterMailEndpoints(this IEndpointRouteBuilder app)
    {
        var stop = app.MapGroup("/track/{trackingCode}/stop-emails/one-click").AllowAnonymous().WithTags("Intake")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(4096));
        stop.MapPost("/", async (string trackingCode, string? t, ReporterMailStops stops, CancellationToken ct) =>
            ApiResults.From(await stops.StopAsync(trackingCode, t, ct), v => TypedResults.Ok(new { v.TrackingCode, Stopped = true })))
            .DisableAntiforgery();
        stop.MapGet("/", (string trackingCode, string? t) =>
            TypedResults.Redirect($"/track/{Uri.EscapeDataString(trackingCode)}/stop-emails?t={Uri.EscapeDataString(t ?? "")}"));
        return app;
    }
}
