using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using Lib.Net.Http.WebPush;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace DispatchBoard.Web.Push;

/// <summary>
/// Delivers committed alerts to each recipient's devices by Web Push, off the request path. Announce hands it alert ids
/// (a bounded queue; when full, the alerts are picked up by a catch-up pass instead of blocking the caller). Each
/// (alert, device) is claimed in the database before it is sent, so it goes once. Sends run concurrently up to
/// Push:MaxConcurrentSends, each with its own timeout, so a hanging push service only costs its own slot; a 429, a 5xx
/// or a timeout is tried again later (honouring Retry-After) by a timer on the clock, never by holding a slot; outcomes
/// are written by one writer in batches.
/// </summary>
public sealed class PushSender(
    IDbContextFactory<DispatchDbContext> dbFactory,
    VapidKeys keys,
    IHttpClientFactory httpClients,
    IOptions<PushOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<PushSender> logger) : BackgroundService, IAlertChannel
{
    public const string HttpClientName = "WebPush";
    private const int QueueCapacity = 10_000;
    private const int CatchUpLimit = 5_000;
    private const int ClaimChunk = 50;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSends, options.Value.MaxConcurrentSends);
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly ConcurrentDictionary<long, ITimer> _retryTimers = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _overflowSinceTicks = long.MaxValue;
    private Task? _writer;

    /// <summary>Raised after each outcome batch is written (tests and the benchmark wait on it).</summary>
    public event Action? OutcomesWritten;

    public void Deliver(IReadOnlyList<Notification> committed)
    {
        var ids = committed.Where(n => n.Id > 0).Select(n => n.Id).ToArray();
        if (ids.Length > 0 && !_queue.Writer.TryWrite(new AlertWork(ids)))
        {
            NoteOverflow(committed.Min(n => n.CreatedAt));
        }
    }

    /// <summary>A test alert to every device of one person (not stored as an alert, so not deduplicated).</summary>
    public bool SendTest(string userId) => _queue.Writer.TryWrite(new TestWork(userId));

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
        _writer = Task.Run(() => WriteOutcomesAsync(), CancellationToken.None);
        try
        {
            await keys.AuthenticationAsync(stoppingToken);
            await CatchUpAsync(time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.CatchUpMinutes), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Web Push could not catch up at start");
        }
        await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var overflowTicks = Interlocked.Exchange(ref _overflowSinceTicks, long.MaxValue);
                if (overflowTicks != long.MaxValue)
                {
                    await CatchUpAsync(new DateTimeOffset(overflowTicks, TimeSpan.Zero), stoppingToken);
                }
                await (work switch
                {
                    AlertWork alert => StartAlertsAsync(alert.NotificationIds, stoppingToken),
                    RetryWork retry => StartRetryAsync(retry.DeliveryId, stoppingToken),
                    TestWork test => StartTestAsync(test.UserId, stoppingToken),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Web Push could not start {Work}", work);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var timer in _retryTimers.Values)
        {
            timer.Dispose();
        }
        // Sends under way finish (each is bounded by its timeout) and their outcomes are written before the host stops.
        try
        {
            await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
        _outcomes.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Registered under three service types, so it may be disposed more than once.</summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stopping.Cancel();
        _stopping.Dispose();
        base.Dispose();
    }

    private int _disposed;

    private void NoteOverflow(DateTimeOffset since)
    {
        var ticks = since.UtcTicks;
        long seen;
        while (ticks < (seen = Interlocked.Read(ref _overflowSinceTicks)) && Interlocked.CompareExchange(ref _overflowSinceTicks, ticks, seen) != seen)
        {
        }
        logger.LogWarning("The Web Push queue is full: alerts since {Since} are sent by a catch-up pass", since);
    }

    /// <summary>
    /// Alerts since <paramref name="since"/> not yet pushed to a device their recipient had when they were made, and
    /// deliveries waiting for a retry: a restart (or a full queue) loses nothing, and a device added later gets no old alerts.
    /// </summary>
    private async Task CatchUpAsync(DateTimeOffset since, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<long> missing;
        List<(long Id, DateTimeOffset? At)> waiting;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            missing = await (from n in db.Notifications
                             where n.CreatedAt >= since && (n.ExpiresAt == null || n.ExpiresAt > now)
                             where db.PushSubscriptions.Any(s => s.UserId == n.UserId && s.CreatedAt <= n.CreatedAt
                                 && !db.PushDeliveries.Any(d => d.NotificationId == n.Id && d.SubscriptionId == s.Id))
                             orderby n.Id
                             select n.Id).Take(CatchUpLimit).ToListAsync(ct);
            waiting = (await db.PushDeliveries.Where(d => d.Outcome == PushOutcome.Retrying)
                .Select(d => new { d.Id, d.NextAttemptAt }).ToListAsync(ct)).Select(d => (d.Id, d.NextAttemptAt)).ToList();
        }
        if (missing.Count > 0)
        {
            logger.LogInformation("Web Push catch-up: {Count} recent alerts still to push", missing.Count);
            await StartAlertsAsync(missing.ToArray(), ct);
        }
        foreach (var (id, at) in waiting)
        {
            ScheduleRetry(id, (at ?? now) - now);
        }
    }

    private sealed record Target(Notification Alert, PushSubscription Subscription, bool IsStaff);

    /// <summary>
    /// Claims (alert, device) pairs not delivered yet, then sends each claimed one. Claims go in chunks, each sent as soon
    /// as it is committed, so the first devices hear of an alert while the rest are still being claimed.
    /// </summary>
    private async Task StartAlertsAsync(long[] notificationIds, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Target> targets;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var rows = await (from n in db.Notifications.AsNoTracking()
                              where notificationIds.Contains(n.Id)
                              join s in db.PushSubscriptions.AsNoTracking() on n.UserId equals s.UserId
                              where s.CreatedAt <= n.CreatedAt
                                  && !db.PushDeliveries.Any(d => d.NotificationId == n.Id && d.SubscriptionId == s.Id)
                              select new { Alert = n, Subscription = s, IsStaff = db.Staff.Any(m => m.UserId == n.UserId && m.IsActive) })
                .ToListAsync(ct);
            targets = rows.Where(r => Expiry(r.Alert) > now).Select(r => new Target(r.Alert, r.Subscription, r.IsStaff)).ToList();
        }
        foreach (var chunk in targets.Chunk(ClaimChunk))
        {
            await ClaimAndSendAsync(chunk, now, ct);
        }
    }

    private async Task ClaimAndSendAsync(Target[] chunk, DateTimeOffset now, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var claims = chunk.Select(t => NewClaim(t, now)).ToList();
            db.PushDeliveries.AddRange(claims);
            try
            {
                await db.SaveChangesAsync(ct);
                for (var i = 0; i < chunk.Length; i++)
                {
                    Send(claims[i].Id, chunk[i]);
                }
                return;
            }
            catch (DbUpdateException)
            {
                // Another sender claimed some of them in between: claim one by one, each insert deciding on its own.
            }
        }
        foreach (var target in chunk)
        {
            await using var single = await dbFactory.CreateDbContextAsync(ct);
            var claim = NewClaim(target, now);
            single.PushDeliveries.Add(claim);
            try
            {
                await single.SaveChangesAsync(ct);
                Send(claim.Id, target);
            }
            catch (DbUpdateException)
            {
            }
        }
    }

    private static PushDelivery NewClaim(Target target, DateTimeOffset now) => new()
    {
        NotificationId = target.Alert.Id, SubscriptionId = target.Subscription.Id, Outcome = PushOutcome.Sending, Attempts = 1, CreatedAt = now,
    };

    /// <summary>A retry is claimed by a conditional update: of two timers (or instances) only the one that changes the row sends.</summary>
    private async Task StartRetryAsync(long deliveryId, CancellationToken ct)
    {
        _retryTimers.TryRemove(deliveryId, out _);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.PushDeliveries
            .Where(d => d.Id == deliveryId && d.Outcome == PushOutcome.Retrying && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Outcome, PushOutcome.Sending).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct) == 1;
        if (!claimed)
        {
            return;
        }
        var row = await (from d in db.PushDeliveries.AsNoTracking()
                         where d.Id == deliveryId
                         join n in db.Notifications.AsNoTracking() on d.NotificationId equals n.Id
                         join s in db.PushSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                         select new { Alert = n, Subscription = s, IsStaff = db.Staff.Any(m => m.UserId == n.UserId && m.IsActive) })
            .FirstOrDefaultAsync(ct);
        if (row is not null)
        {
            Send(deliveryId, new Target(row.Alert, row.Subscription, row.IsStaff));
        }
    }

    private async Task StartTestAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = await db.PushSubscriptions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(ct);
        var expiry = time.GetUtcNow() + TimeSpan.FromMinutes(10);
        foreach (var device in devices)
        {
            Track(SendAsync(null, device, PushPayload.Test(), expiry, urgent: false));
        }
    }

    private void Send(long deliveryId, Target target) =>
        Track(SendAsync(deliveryId, target.Subscription, PushPayload.For(target.Alert, target.IsStaff), Expiry(target.Alert), target.Alert.Urgent));

    private void Track(Task send)
    {
        _inFlight[send] = true;
        _ = send.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private DateTimeOffset Expiry(Notification n) => n.ExpiresAt ?? n.CreatedAt + TimeSpan.FromHours(options.Value.DefaultTtlHours);

    private async Task SendAsync(long? deliveryId, PushSubscription device, PushPayload payload, DateTimeOffset expiry, bool urgent)
    {
        var stopping = _stopping.Token;
        await _slots.WaitAsync(stopping);
        Outcome outcome;
        try
        {
            outcome = await PushAsync(deliveryId, device, payload, expiry, urgent, stopping);
        }
        catch (Exception ex)
        {
            outcome = new Outcome(deliveryId, device.Id, Result.Retry, null, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            _slots.Release();
        }
        if (deliveryId is null && outcome.Result == Result.Retry)
        {
            outcome = outcome with { Result = Result.GiveUp }; // a test alert is tried once
        }
        _outcomes.Writer.TryWrite(outcome);
    }

    private async Task<Outcome> PushAsync(long? deliveryId, PushSubscription device, PushPayload payload, DateTimeOffset expiry, bool urgent,
        CancellationToken stopping)
    {
        var ttl = expiry - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return new Outcome(deliveryId, device.Id, Result.Expired, null, null);
        }
        var message = new PushMessage(payload.ToJson())
        {
            TimeToLive = (int)Math.Ceiling(ttl.TotalSeconds),
            Urgency = urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
            Topic = payload.Tag.Length <= 32 ? payload.Tag : null,
        };
        var subscription = new WebPushSubscription { Endpoint = device.Endpoint, Keys = new Dictionary<string, string> { ["p256dh"] = device.P256dh, ["auth"] = device.Auth } };
        // Retries are ours (scheduled on the clock): the library's inline Retry-After wait would hold a sending slot.
        var client = new PushServiceClient(httpClients.CreateClient(HttpClientName)) { AutoRetryAfter = false };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, await keys.AuthenticationAsync(linked.Token), linked.Token);
            return new Outcome(deliveryId, device.Id, Result.Delivered, null, null);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new Outcome(deliveryId, device.Id, Result.Gone, null, $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (PushServiceClientException ex) when ((int)ex.StatusCode == 429 || (int)ex.StatusCode >= 500)
        {
            return new Outcome(deliveryId, device.Id, Result.Retry, RetryAfter(ex), $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (PushServiceClientException ex)
        {
            logger.LogWarning("The push service refused a push to device {Device}: {Status} {Reason} {Body}", device.Id, (int)ex.StatusCode, ex.Message, ex.Body);
            return new Outcome(deliveryId, device.Id, Result.GiveUp, null, $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new Outcome(deliveryId, device.Id, Result.Retry, null, $"No answer within {options.Value.RequestTimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(deliveryId, device.Id, Result.Retry, null, $"HttpRequestException: {ex.Message}");
        }
    }

    private TimeSpan? RetryAfter(PushServiceClientException ex)
    {
        var header = ex.Headers?.RetryAfter;
        TimeSpan? delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, MaxRetryDelay.Ticks)) : null;
    }

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Max(0, attempts - 1))));

    private void ScheduleRetry(long deliveryId, TimeSpan delay)
    {
        var timer = time.CreateTimer(_ =>
        {
            if (!_queue.Writer.TryWrite(new RetryWork(deliveryId)))
            {
                NoteOverflow(time.GetUtcNow());
            }
        }, null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        if (_retryTimers.TryGetValue(deliveryId, out var previous))
        {
            previous.Dispose();
        }
        _retryTimers[deliveryId] = timer;
    }

    /// <summary>One writer: outcomes are batched into one transaction each, so 500 sends make a few writes, not 500 competing ones.</summary>
    private async Task WriteOutcomesAsync()
    {
        var reader = _outcomes.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<Outcome>();
            while (batch.Count < 1000 && reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }
            try
            {
                var retries = await WriteAsync(batch);
                foreach (var (id, delay) in retries)
                {
                    ScheduleRetry(id, delay);
                }
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Web Push could not record {Count} outcomes", batch.Count);
            }
            OutcomesWritten?.Invoke();
        }
    }

    private async Task<List<(long Id, TimeSpan Delay)>> WriteAsync(List<Outcome> batch)
    {
        var now = time.GetUtcNow();
        var retries = new List<(long, TimeSpan)>();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Successes (nearly all of them) are two set-based updates, not a load and an update per row.
        var delivered = batch.Where(o => o.Result == Result.Delivered).ToList();
        if (delivered.Count > 0)
        {
            var ids = delivered.Where(o => o.DeliveryId is not null).Select(o => o.DeliveryId!.Value).ToList();
            await db.PushDeliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Outcome, PushOutcome.Delivered).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null).SetProperty(d => d.Error, (string?)null));
            var deviceIdsOk = delivered.Select(o => o.SubscriptionId).Distinct().ToList();
            await db.PushSubscriptions.Where(d => deviceIdsOk.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.LastSuccessAt, now).SetProperty(d => d.ConsecutiveFailures, 0));
            batch = batch.Where(o => o.Result != Result.Delivered).ToList();
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
                case Result.Gone:
                    // The browser unsubscribed or the push service forgot it: the device will never receive again.
                    if (device is not null)
                    {
                        db.PushSubscriptions.Remove(device);
                        devices.Remove(device.Id);
                        logger.LogInformation("Removed push device {Device}: {Error}", outcome.SubscriptionId, outcome.Error);
                    }
                    break;
                case Result.Expired:
                    Complete(delivery, PushOutcome.Expired, now);
                    break;
                case Result.GiveUp:
                    Complete(delivery, PushOutcome.Failed, now);
                    Fail(device);
                    break;
                case Result.Retry:
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
                        logger.LogWarning("Gave up pushing alert {Alert} to device {Device} after {Attempts} attempts: {Error}",
                            delivery.NotificationId, outcome.SubscriptionId, delivery.Attempts, outcome.Error);
                        Complete(delivery, PushOutcome.Failed, now);
                        break;
                    }
                    delivery.Outcome = PushOutcome.Retrying;
                    delivery.NextAttemptAt = now + delay;
                    retries.Add((delivery.Id, delay));
                    break;
            }
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
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

    private abstract record Work;
    private sealed record AlertWork(long[] NotificationIds) : Work;
    private sealed record RetryWork(long DeliveryId) : Work;
    private sealed record TestWork(string UserId) : Work;

    private enum Result { Delivered, Gone, Retry, GiveUp, Expired }

    private sealed record Outcome(long? DeliveryId, long SubscriptionId, Result Result, TimeSpan? RetryAfter, string? Error);
}
