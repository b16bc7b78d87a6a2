using DispatchBoard.Web.Tickets;
using Hangfire;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// Hangfire's storage forgets everything on restart, so every start registers the recurring jobs again from
/// configuration and triggers each once: the sweeps compute what is due from the database and catch up what was missed.
/// </summary>
public sealed class JobRegistrar(IRecurringJobManager jobs, IOptions<DispatchOptions> dispatch, SchoolClock clock) : IHostedService
{
    public const string UnclaimedSweep = "unclaimed-ticket-sweep";
    public const string AutoClose = "auto-close-sweep";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new RecurringJobOptions { TimeZone = clock.Zone };
        jobs.AddOrUpdate<UnclaimedTicketSweep>(UnclaimedSweep, s => s.RunAsync(CancellationToken.None), dispatch.Value.UnclaimedSweepSchedule, options);
        jobs.AddOrUpdate<AutoCloseSweep>(AutoClose, s => s.RunAsync(CancellationToken.None), dispatch.Value.AutoCloseSchedule, options);
        jobs.Trigger(UnclaimedSweep);
        jobs.Trigger(AutoClose);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
