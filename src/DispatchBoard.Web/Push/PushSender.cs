using System.Collections.Concurrent;
using System.Threading.Channels;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;

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
    PushDeliveries deliveries,
    RecipientLanguages languages,
    VapidKeys keys,
    WebPushClient client,
    PushOutcomeLog outcomeLog,
    IOptions<PushOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<PushSender> logger) : BackgroundService, IAlertChannel
{
    private const int QueueCapacity = 10_000;
    private const int ClaimChunk = 50;
    private const int AlertBatch = 500;

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly Channel<PushAttempt> _outcomes = Channel.CreateUnbounded<PushAttempt>(new UnboundedChannelOptions { SingleReader = true });
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
        var stored = committed.Where(n => n.Id > 0).ToList();
        if (stored.Count > 0 && !_queue.Writer.TryWrite(new AlertWork(stored.Select(n => n.Id).ToArray(), stored.Select(n => n.UserId).Distinct().ToArray())))
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
            logger.PushCatchUpAtStartFailed(ex);
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
                    AlertWork alert => StartWithQueuedAlertsAsync(alert, stoppingToken),
                    RetryWork retry => StartRetryAsync(retry.DeliveryId, stoppingToken),
                    TestWork test => StartTestAsync(test.UserId, stoppingToken),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.PushWorkFailed(ex, work);
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
            // Cancelled sends write their outcome as they end; give them that moment.
            await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    /// <summary>
    /// Starts these alerts with those of the alert works queued right behind them (up to <see cref="AlertBatch"/>): under a
    /// burst of reports, one look-up of the devices owed covers many reports instead of one each (measured: that look-up,
    /// one per report, was a tenth of the intake's CPU with nobody subscribed).
    /// </summary>
    private Task StartWithQueuedAlertsAsync(AlertWork work, CancellationToken ct)
    {
        var ids = new List<long>(work.NotificationIds);
        var recipients = new HashSet<string>(work.Recipients);
        while (ids.Count < AlertBatch && _queue.Reader.TryPeek(out var next) && next is AlertWork more && _queue.Reader.TryRead(out _))
        {
            ids.AddRange(more.NotificationIds);
            recipients.UnionWith(more.Recipients);
        }
        return StartAlertsAsync([.. ids], [.. recipients], ct);
    }

    private void NoteOverflow(DateTimeOffset since)
    {
        var ticks = since.UtcTicks;
        long seen;
        while (ticks < (seen = Interlocked.Read(ref _overflowSinceTicks)) && Interlocked.CompareExchange(ref _overflowSinceTicks, ticks, seen) != seen)
        {
        }
        logger.PushQueueFull(since);
    }

    /// <summary>
    /// Alerts since <paramref name="since"/> not yet pushed to a device their recipient had when they were made, and
    /// deliveries waiting for a retry: a restart (or a full queue) loses nothing, and a device added later gets no old alerts.
    /// </summary>
    private async Task CatchUpAsync(DateTimeOffset since, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var backlog = await deliveries.BacklogAsync(since, ct);
        if (backlog.Missing.Count > 0)
        {
            logger.PushCatchingUp(backlog.Missing.Count);
            await StartAlertsAsync([.. backlog.Missing], recipients: null, ct);
        }
        foreach (var (id, at) in backlog.Waiting)
        {
            ScheduleRetry(id, at ?? now);
        }
    }

    /// <summary>
    /// Claims (alert, device) pairs not delivered yet, then sends each claimed one. Claims go in chunks, each sent as soon
    /// as it is committed, so the first devices hear of an alert while the rest are still being claimed.
    /// </summary>
    /// <param name="recipients">The alerts' recipients when known (alerts just made; not in a catch-up).</param>
    private async Task StartAlertsAsync(long[] notificationIds, string[]? recipients, CancellationToken ct)
    {
        foreach (var chunk in (await deliveries.OwedAsync(notificationIds, recipients, ct)).Chunk(ClaimChunk))
        {
            foreach (var (deliveryId, target) in await deliveries.ClaimAsync(chunk, ct))
            {
                Send(deliveryId, target);
            }
        }
    }

    private async Task StartRetryAsync(long deliveryId, CancellationToken ct)
    {
        _retryTimers.TryRemove(deliveryId, out _);
        switch (await deliveries.ClaimRetryAsync(deliveryId, ct))
        {
            case RetryClaim.Won won:
                Send(deliveryId, won.Target);
                break;
            case RetryClaim.NotDue notDue:
                ScheduleRetry(deliveryId, notDue.At);
                break;
        }
    }

    private async Task StartTestAsync(string userId, CancellationToken ct)
    {
        var expiry = time.GetUtcNow() + TimeSpan.FromMinutes(10);
        foreach (var device in await deliveries.DevicesAsync(userId, ct))
        {
            Track(SendAsync(null, device, PushPayload.Test(languages.Of(await deliveries.CultureAsync(userId, ct))), expiry, urgent: false));
        }
    }

    private void Send(long deliveryId, PushTarget target) =>
        Track(SendAsync(deliveryId, target.Subscription, PushPayload.For(target.Alert, target.IsStaff, languages.Of(target.Culture)), deliveries.Expiry(target.Alert), target.Alert.Urgent));

    private void Track(Task send)
    {
        _inFlight[send] = true;
        _ = send.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SendAsync(long? deliveryId, PushSubscription device, PushPayload payload, DateTimeOffset expiry, bool urgent)
    {
        var stopping = _stopping.Token;
        try
        {
            await _slots.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping before it was sent: it waits as a retry, taken up again at the next start.
            _outcomes.Writer.TryWrite(new PushAttempt(deliveryId, device.Id, PushResult.Retry, TimeSpan.Zero, "Not sent before the app stopped"));
            return;
        }
        PushAttempt outcome;
        try
        {
            outcome = await client.PushAsync(deliveryId, device, payload, expiry, urgent, stopping);
        }
        catch (Exception ex)
        {
            outcome = new PushAttempt(deliveryId, device.Id, PushResult.Retry, null, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            _slots.Release();
        }
        if (deliveryId is null && outcome.Result == PushResult.Retry)
        {
            outcome = outcome with { Result = PushResult.GiveUp }; // a test alert is tried once
        }
        _outcomes.Writer.TryWrite(outcome);
    }

    /// <summary>
    /// Arms the retry for the instant it is due. The clock is read again once the timer exists: had it jumped between the
    /// two reads (a suspended VM, a test's fake clock), the timer is set again, so a retry is never armed late.
    /// </summary>
    private void ScheduleRetry(long deliveryId, DateTimeOffset dueAt)
    {
        var timer = time.CreateTimer(_ =>
        {
            if (!_queue.Writer.TryWrite(new RetryWork(deliveryId)))
            {
                NoteOverflow(time.GetUtcNow());
            }
        }, null, Until(dueAt, time.GetUtcNow()), Timeout.InfiniteTimeSpan);
        for (var armedAt = time.GetUtcNow(); ; )
        {
            timer.Change(Until(dueAt, armedAt), Timeout.InfiniteTimeSpan);
            var now = time.GetUtcNow();
            if (now - armedAt < TimeSpan.FromMilliseconds(100))
            {
                break;
            }
            armedAt = now;
        }
        if (_retryTimers.TryGetValue(deliveryId, out var previous))
        {
            previous.Dispose();
        }
        _retryTimers[deliveryId] = timer;
    }

    private static TimeSpan Until(DateTimeOffset dueAt, DateTimeOffset now) => dueAt > now ? dueAt - now : TimeSpan.Zero;

    /// <summary>One writer: outcomes are batched into one transaction each, so 500 sends make a few writes, not 500 competing ones.</summary>
    private async Task WriteOutcomesAsync()
    {
        var reader = _outcomes.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<PushAttempt>();
            while (batch.Count < 1000 && reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var retries = await outcomeLog.RecordAsync(batch);
                    foreach (var (id, dueAt) in retries)
                    {
                        ScheduleRetry(id, dueAt);
                    }
                    break;
                }
                catch (Exception ex) when (attempt < 3)
                {
                    // The database was busy for a moment: the outcomes (and the retries they schedule) are worth another try.
                    logger.PushOutcomesRetrying(ex, batch.Count, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), time);
                }
                catch (Exception ex)
                {
                    logger.PushOutcomesNotRecorded(ex, batch.Count);
                    break;
                }
            }
            OutcomesWritten?.Invoke();
        }
    }

    private abstract record Work;
    /// <param name="Recipients">The alerts' recipients: if none has a device, nothing more is looked up.</param>
    private sealed record AlertWork(long[] NotificationIds, string[] Recipients) : Work;
    private sealed record RetryWork(long DeliveryId) : Work;
    private sealed record TestWork(string UserId) : Work;
}
