using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>
/// Sends the reporters' e-mails soon after the ticket change that staged them is committed (woken by
/// <see cref="ReporterMailOutbox.Announce"/>), off the request path; at start it sends what is still due. Retries are
/// the minute sweep's (<see cref="ReporterMailSweep"/>); claims keep the two from sending anything twice.
/// </summary>
public sealed class ReporterMailSender(ReporterMailOutbox outbox, ReporterMailDelivery delivery, IServiceProvider services,
    ILogger<ReporterMailSender> logger) : BackgroundService
{
    /// <summary>Raised after each pass (tests wait on it).</summary>
    public event Action? Passed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The schema is migrated by the first hosted service; in the app, wait until every start has finished.
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource();
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }
        }
        await PassAsync(stoppingToken);
        await foreach (var _ in outbox.Wakeups.ReadAllAsync(stoppingToken))
        {
            await PassAsync(stoppingToken);
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        try
        {
            await delivery.SendDueAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.ReporterMailsNotSent(ex);
        }
        Passed?.Invoke();
    }
}

/// <summary>Every minute (Hangfire): sends what is due, retries included. Safe to run twice or beside the sender.</summary>
public sealed class ReporterMailSweep(ReporterMailDelivery delivery)
{
    public const string Schedule = "* * * * *";

    public Task<int> RunAsync(CancellationToken ct) => delivery.SendDueAsync(ct);
}
