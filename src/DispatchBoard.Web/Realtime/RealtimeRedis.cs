using DispatchBoard.Web.Hosting;
using StackExchange.Redis;

namespace DispatchBoard.Web.Realtime;

public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>, <c>redis:6379,password=…</c>). Empty: one
    /// instance, events stay in the process, limits are counted in memory.
    /// </summary>
    public string? Redis { get; set; }
}

/// <summary>
/// The one Redis connection of the instance, shared by the board-event transport, the hub's backplane, the
/// cross-instance revocations, the shared rate-limit counters and the health check. Made on first use; the app starts
/// and serves while Redis is down (<c>AbortOnConnectFail=false</c>), and commands fail at once instead of queueing
/// (<see cref="BacklogPolicy.FailFast"/>): every user falls back to its local behaviour rather than waiting.
/// </summary>
public sealed class RealtimeRedis(IConfiguration configuration, ILogger<RealtimeRedis> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private ConnectionMultiplexer? _multiplexer;
    private bool _disposed;

    public string? Configuration { get; } = configuration[$"{RealtimeOptions.Section}:{nameof(RealtimeOptions.Redis)}"] is { Length: > 0 } c && !string.IsNullOrWhiteSpace(c) ? c : null;

    public bool IsConfigured => Configuration is not null;

    /// <summary>True when configured and the connection is up now.</summary>
    public bool IsConnected => IsConfigured && Multiplexer.IsConnected;

    public ConnectionMultiplexer Multiplexer
    {
        get
        {
            if (_multiplexer is { } made)
            {
                return made;
            }
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _multiplexer ??= Connect();
            }
        }
    }

    public static bool IsValid(string configuration)
    {
        try
        {
            return Options(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // A Redis restart is noticed and healed within seconds, not the default's growing back-off.
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        options.ClientName ??= "DispatchBoard";
        // A Redis that hangs rather than drops must not hold a report or a sign-in for the default 5 s: the limits then
        // count on this instance instead. (Unless the configuration names its own timeouts.)
        if (!configuration.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.SyncTimeout = 1000;
        }
        if (!configuration.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = 1000;
        }
        return options;
    }

    private ConnectionMultiplexer Connect()
    {
        if (Configuration is null)
        {
            throw new InvalidOperationException("Realtime:Redis is not set.");
        }
        var multiplexer = ConnectionMultiplexer.Connect(Options(Configuration));
        multiplexer.ConnectionFailed += (_, e) =>
            logger.RedisConnectionLost(e.Exception, e.ConnectionType, e.FailureType);
        multiplexer.ConnectionRestored += (_, e) => logger.RedisConnectionRestored(e.ConnectionType);
        if (!multiplexer.IsConnected)
        {
            logger.RedisUnreachableAtStart(
                string.Join(", ", multiplexer.GetEndPoints().Select(e => e.ToString())));
        }
        return multiplexer;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _multiplexer?.Dispose();
        }
    }
}
