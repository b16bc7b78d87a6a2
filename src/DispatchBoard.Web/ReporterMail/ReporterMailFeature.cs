using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>The one-click stop's answer: the report's e-mails are stopped.</summary>
public sealed record EmailsStopped(string TrackingCode, bool Stopped);

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
            ApiResults.From(await stops.StopAsync(trackingCode, t, ct), v => TypedResults.Ok(new EmailsStopped(v.TrackingCode, Stopped: true))))
            .DisableAntiforgery()
            .WithSummary("Stop e-mails about a report (one click)")
            .WithDescription("RFC 8058: what a mail program POSTs (List-Unsubscribe=One-Click as a form; the body is not read) to the "
                + "address in an e-mail's List-Unsubscribe header. The sealed token t is the permission; a changed, cut-off or other "
                + "report's token is a 400. Safe to repeat.")
            .Returns<EmailsStopped>().Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        stop.MapGet("/", (string trackingCode, string? t) =>
            TypedResults.Redirect($"/track/{Uri.EscapeDataString(trackingCode)}/stop-emails?t={Uri.EscapeDataString(t ?? "")}"))
            .WithSummary("Open the one-click stop address")
            .WithDescription("Changes nothing: redirects (302) to the page with the stop button, for a program that opens the address.")
            .Produces(StatusCodes.Status302Found);
        return app;
    }
}
