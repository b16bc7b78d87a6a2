using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

/// <summary>
/// Writes what became of pushes, a batch in one transaction (500 sends make a few writes, not 500 competing ones):
/// delivered, expired or given up; a device the push service forgot removed; a failure to be tried again scheduled
/// (Retry-After, or a backoff), unless attempts or the alert's expiry say to give up.
/// </summary>
public sealed class PushOutcomeLog(IDbContextFactory<DispatchDbContext> dbFactory, IOptions<PushOptions> options, TimeProvider time,
    ILogger<PushOutcomeLog> logger, DispatchMetrics metrics, PushHealth health)
{
    /// <summary>Records the batch; returns the deliveries to try again and when.</summary>
    public async Task<List<(long Id, DateTimeOffset DueAt)>> RecordAsync(List<PushAttempt> batch)
    {
        var now = time.GetUtcNow();
        var retries = new List<(long, DateTimeOffset)>();
        var counts = new Dictionary<string, long> { ["sent"] = 0, ["failed"] = 0, ["retried"] = 0 };
        var lastError = batch.LastOrDefault(o => o.Result != PushResult.Delivered)?.Error;
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Successes (nearly all of them) are two set-based updates, not a load and an update per row.
        var delivered = batch.Where(o => o.Result == PushResult.Delivered).ToList();
        if (delivered.Count > 0)
        {
            var ids = delivered.Where(o => o.DeliveryId is not null).Select(o => o.DeliveryId!.Value).ToList();
            await db.PushDeliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Outcome, PushOutcome.Delivered).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null).SetProperty(d => d.Error, (string?)null));
            var deviceIdsOk = delivered.Select(o => o.SubscriptionId).Distinct().ToList();
            await db.PushSubscriptions.Where(d => deviceIdsOk.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.LastSuccessAt, now).SetProperty(d => d.ConsecutiveFailures, 0));
            batch = batch.Where(o => o.Result != PushResult.Delivered).ToList();
            counts["sent"] = delivered.Count;
        }
        var deliveryIds = batch.Where(o => o.DeliveryId is not null).Select(o => o.DeliveryId!.Value).ToList();
        var deliveries = await db.PushDeliveries.Where(d => deliveryIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var deviceIds = batch.Select(o => o.SubscriptionId).Distinct().ToList();
        var devices = await db.PushSubscriptions.Where(s => deviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id);
        foreach (var outcome in batch)
        {
            var delivery = outcome.DeliveryId is { } id ? deliveries.GetValueOrDefault(id) : null;
            var device = devices.GetValueOrDefault(outcome.SubscriptionId);
            if (delivery is not null)
            {
                delivery.Error = outcome.Error is { Length: > PushDelivery.ErrorMaxLength } long_ ? long_[..PushDelivery.ErrorMaxLength] : outcome.Error;
            }
            switch (outcome.Result)
            {
                case PushResult.Gone:
                    // The browser unsubscribed or the push service forgot it: the device will never receive again.
                    if (device is not null)
                    {
                        db.PushSubscriptions.Remove(device);
                        devices.Remove(device.Id);
                        logger.PushDeviceRemoved(outcome.SubscriptionId, outcome.Error);
                    }
                    break;
                case PushResult.Expired:
                    Complete(delivery, PushOutcome.Expired, now);
                    counts["failed"]++;
                    break;
                case PushResult.GiveUp:
                    counts["failed"]++;
                    Complete(delivery, PushOutcome.Failed, now);
                    Fail(device);
                    break;
                case PushResult.Retry:
                    Fail(device);
                    if (delivery is null)
                    {
                        break;
                    }
                    var delay = outcome.RetryAfter ?? Backoff(delivery.Attempts);
                    var notification = await db.Notifications.AsNoTracking().Where(n => n.Id == delivery.NotificationId)
                        .Select(n => new { n.CreatedAt, n.ExpiresAt }).FirstOrDefaultAsync();
                    var expiry = notification?.ExpiresAt ?? (notification?.CreatedAt ?? now) + TimeSpan.FromHours(options.Value.DefaultTtlHours);
                    if (delivery.Attempts >= options.Value.MaxAttempts || now + delay >= expiry)
                    {
                        logger.PushGaveUp(delivery.NotificationId, outcome.SubscriptionId, delivery.Attempts, outcome.Error);
                        Complete(delivery, PushOutcome.Failed, now);
                        counts["failed"]++;
                        break;
                    }
                    counts["retried"]++;
                    delivery.Outcome = PushOutcome.Retrying;
                    delivery.NextAttemptAt = now + delay;
                    retries.Add((delivery.Id, delivery.NextAttemptAt.Value));
                    break;
            }
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        foreach (var (outcome, count) in counts.Where(c => c.Value > 0))
        {
            metrics.Push(outcome, count);
        }
        health.Record(now, counts["sent"], counts["failed"] + counts["retried"], lastError);
        return retries;
    }

    private static void Complete(PushDelivery? delivery, PushOutcome outcome, DateTimeOffset now)
    {
        if (delivery is not null)
        {
            delivery.Outcome = outcome;
            delivery.CompletedAt = now;
            delivery.NextAttemptAt = null;
        }
    }

    private static void Fail(PushSubscription? device)
    {
        if (device is not null)
        {
            device.ConsecutiveFailures++;
        }
    }

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Max(0, attempts - 1))));
}
