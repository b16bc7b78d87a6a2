using DispatchBoard.Web.Hosting;
using StackExchange.Redis;

namespace DispatchBoard.Web.Realtime;

/// <summary>How board events reach the listeners of every instance; none means this process only.</summary>
public interface IBoardEventTransport
{
    /// <summary>Called once by the notifier: where events that arrive for this instance go.</summary>
    void Start(Action<BoardEvent> deliver);

    /// <summary>
    /// Sends the event to every instance, this one included, without waiting for it. False when it may not come back to
    /// this instance (the transport is down, or only just back): the notifier then delivers it to its own listeners.
    /// </summary>
    bool TrySend(BoardEvent boardEvent);
}

/// <summary>
/// Board events over one Redis pub/sub channel: every instance, the sender too, delivers what arrives on it to its own
/// listeners, in the order the channel brings it (so a ticket's versions arrive in order from its publisher). While
/// Redis is down, publishing never throws or waits: the event goes to this instance's listeners only. When the
/// subscription comes back, events may have been missed on any side, so <see cref="Resync"/> goes round the channel
/// (every instance's screens reload), and is repeated until it has come back to this instance too (which proves its own
/// subscription is live again before its screens reload).
/// </summary>
public sealed class RedisBoardTransport(RealtimeRedis redis, ILogger<RedisBoardTransport> logger) : IBoardEventTransport, IDisposable
{
    public const string ChannelName = "dispatchboard:events";
    private static readonly RedisChannel Channel = RedisChannel.Literal(ChannelName);
    private static readonly TimeSpan ResyncEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ResyncGiveUpAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private Action<BoardEvent> _deliver = _ => { };
    private readonly Lock _subscribing = new();
    private ChannelMessageQueue? _queue;
    private Timer? _retry;
    private int _resyncPending;
    private volatile bool _lostSome;

    /// <summary>Names this instance in what it sends (its own Resync is recognised when it comes back).</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    public void Start(Action<BoardEvent> deliver)
    {
        _deliver = deliver;
        var multiplexer = redis.Multiplexer;
        // Either connection lost means events may have been missed on some side (or sent by this one to nobody else).
        multiplexer.ConnectionFailed += (_, _) => _lostSome = true;
        multiplexer.ConnectionRestored += (_, _) =>
        {
            TrySubscribe();
            _ = ResyncAsync();
        };
        if (!TrySubscribe())
        {
            // Down at start: subscribe as soon as Redis answers (whether or not the client calls that a restore).
            _lostSome = true;
            _retry = new Timer(_ =>
            {
                if (TrySubscribe())
                {
                    _retry?.Dispose();
                    _ = ResyncAsync();
                }
            }, null, SubscribeRetry, SubscribeRetry);
        }
    }

    /// <summary>Subscribes once; true when the subscription is in place.</summary>
    private bool TrySubscribe()
    {
        lock (_subscribing)
        {
            if (_queue is not null)
            {
                return true;
            }
            if (!redis.Multiplexer.IsConnected)
            {
                return false;
            }
            var subscriber = redis.Multiplexer.GetSubscriber();
            try
            {
                _queue = subscriber.Subscribe(Channel);
                _queue.OnMessage(Receive);
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.RedisSubscribeFailed(ex, ChannelName);
                try
                {
                    // A queue nobody reads must not stay registered (it would keep every message).
                    subscriber.Unsubscribe(Channel, null, CommandFlags.FireAndForget);
                }
                catch (Exception ignored) when (ignored is RedisException or TimeoutException)
                {
                }
                return false;
            }
        }
    }

    public bool TrySend(BoardEvent boardEvent)
    {
        if (!redis.Multiplexer.IsConnected)
        {
            return false;
        }
        try
        {
            redis.Multiplexer.GetSubscriber().Publish(Channel, BoardEventCodec.Encode(boardEvent, Origin), CommandFlags.FireAndForget);
            // Just back and this instance's subscription not yet proven: its own listeners get it directly as well
            // (a second copy carries the same version and changes nothing).
            return !_lostSome;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.RedisPublishFailed(ex, boardEvent.GetType().Name);
            return false;
        }
    }

    private void Receive(ChannelMessage message)
    {
        (BoardEvent Event, string Origin)? decoded;
        try
        {
            decoded = BoardEventCodec.Decode(message.Message!);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
        {
            logger.RedisMessageNotBoardEvent(ex, ChannelName);
            return;
        }
        if (decoded is not { } received)
        {
            return;
        }
        if (received.Event is Resync && received.Origin == Origin)
        {
            // Our own Resync came round: our subscription is live again, and so is sending.
            _lostSome = false;
            Interlocked.Exchange(ref _resyncPending, 0);
        }
        if (received.Event is Resync { Round: var round } && !FirstOfItsRound(received.Origin, round))
        {
            // An instance repeats one round's Resync until it comes back to it; one reload per round is enough everywhere.
            return;
        }
        _deliver(received.Event);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _roundsHeard = new(StringComparer.Ordinal);

    /// <summary>True for the first copy of an instance's Resync round (rounds are remembered for a minute).</summary>
    private bool FirstOfItsRound(string origin, string? round)
    {
        if (round is null)
        {
            return true;
        }
        var now = Environment.TickCount64;
        foreach (var old in _roundsHeard.Where(r => now - r.Value > 60_000))
        {
            _roundsHeard.TryRemove(old.Key, out _);
        }
        return _roundsHeard.TryAdd(origin + "/" + round, now);
    }

    /// <summary>Sends Resync round the channel until it comes back; delivers it here anyway if it never does.</summary>
    private async Task ResyncAsync()
    {
        if (Interlocked.Exchange(ref _resyncPending, 1) == 1)
        {
            return;
        }
        var giveUpAt = Environment.TickCount64 + (long)ResyncGiveUpAfter.TotalMilliseconds;
        var round = new Resync(Guid.NewGuid().ToString("N"));
        try
        {
            while (Volatile.Read(ref _resyncPending) == 1 && Environment.TickCount64 < giveUpAt)
            {
                try
                {
                    await redis.Multiplexer.GetSubscriber().PublishAsync(Channel, BoardEventCodec.Encode(round, Origin));
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    logger.LogDebug(ex, "Resync not sent yet");
                }
                await Task.Delay(ResyncEvery, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (Interlocked.Exchange(ref _resyncPending, 0) == 1)
        {
            logger.ResyncNotEchoed();
            _deliver(new Resync());
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _retry?.Dispose();
        try
        {
            _queue?.Unsubscribe();
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
        }
    }
}
