using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// <c>dispatchboard.tickets.open</c>: tickets not yet closed or cancelled, by status, counted in the database every
/// <see cref="Every"/> (every instance sees every ticket, so any instance's number is the school's). A collection reads
/// the last count; it never waits for the database.
/// </summary>
public sealed class OpenTicketGauge : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private static readonly TicketStatus[] Open = [TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated, TicketStatus.Resolved];

    private readonly IDbContextFactory<DispatchDbContext> _dbFactory;
    private readonly StartupState _startup;
    private readonly TimeProvider _time;
    private readonly ILogger<OpenTicketGauge> _logger;
    private volatile IReadOnlyDictionary<TicketStatus, int>? _counts;

    public OpenTicketGauge(IDbContextFactory<DispatchDbContext> dbFactory, DispatchMetrics metrics, StartupState startup, TimeProvider time,
        ILogger<OpenTicketGauge> logger)
    {
        _logger = logger;
        _dbFactory = dbFactory;
        _startup = startup;
        _time = time;
        metrics.Meter.CreateObservableGauge("dispatchboard.tickets.open", Observe, "{ticket}",
            "Tickets not yet closed or cancelled, by status (New, Claimed, OnSite, Escalated, Resolved awaiting the reporter).");
    }

    /// <summary>Counts now (the scheduled count does the same every <see cref="Every"/>).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Tickets.AsNoTracking().Where(t => Open.Contains(t.Status))
            .GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        _counts = Open.ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!_startup.DatabaseReady)
            {
                continue;
            }
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; the gauge keeps its last numbers meanwhile (/health/ready reports the database).
                _logger.LogDebug(ex, "Could not count the open tickets");
            }
        }
    }

    private IEnumerable<Measurement<int>> Observe() =>
        _counts?.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("status", c.Key.ToString()))) ?? [];
}
