using DispatchBoard.Web.Realtime;
using StackExchange.Redis;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// Fixed-window counters in Redis, shared by every instance (Realtime:Redis set): the anonymous limits then count a
/// client's attempts wherever the load balancer sends them. A window starts at its first attempt (the key expires one
/// window later), as the in-process limiter's do: windows on the wall clock's boundaries would let a burst that
/// straddles one through twice. Each call answers null when Redis is not configured or not
/// reachable, and the caller counts on its own instance instead: a Redis outage never refuses every report.
/// </summary>
public sealed class SharedCounters(RealtimeRedis redis, ILogger<SharedCounters> logger)
{
    private const string Prefix = "dispatchboard:limit:";

    // Counts one attempt for the client and, when the client was within its limit and there is an overall limit, one
    // for everyone: the same order and meaning as the in-memory limiter. 0 admitted, 1 client limited, 2 overall limited.
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        local n = redis.call('INCR', @client)
        if n == 1 then redis.call('PEXPIRE', @client, @windowMs) end
        if n > tonumber(@clientLimit) then return 1 end
        if tonumber(@overallLimit) < 0 then return 0 end
        local o = redis.call('INCR', @overall)
        if o == 1 then redis.call('PEXPIRE', @overall, @windowMs) end
        if o > tonumber(@overallLimit) then return 2 end
        return 0
        """);

    private int _failing;

    public bool IsConfigured => redis.IsConfigured;

    /// <summary>Null when the count could not be shared (not configured, Redis down): count locally.</summary>
    public ClientAdmission? TryAcquire(string limit, string client, int clientLimit, int? overallLimit, TimeSpan window)
    {
        if (!redis.IsConnected)
        {
            return Unavailable(null);
        }
        try
        {
            var result = (int)redis.Multiplexer.GetDatabase().ScriptEvaluate(Acquire, new
            {
                client = (RedisKey)$"{Prefix}{limit}:{client}",
                overall = (RedisKey)$"{Prefix}{limit}:*",
                windowMs = (long)window.TotalMilliseconds,
                clientLimit,
                overallLimit = overallLimit ?? -1,
            });
            Recovered();
            return (ClientAdmission)result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return Unavailable(ex);
        }
    }

    /// <summary>The client's count in the current window; null when it could not be read (count locally).</summary>
    public long? Count(string limit, string client)
    {
        if (!redis.IsConnected)
        {
            Unavailable(null);
            return null;
        }
        try
        {
            var value = redis.Multiplexer.GetDatabase().StringGet($"{Prefix}{limit}:{client}");
            Recovered();
            return value.IsNull ? 0 : (long)value;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Unavailable(ex);
            return null;
        }
    }

    private ClientAdmission? Unavailable(Exception? ex)
    {
        if (redis.IsConfigured && Interlocked.Exchange(ref _failing, 1) == 0)
        {
            logger.RateLimitsCountedLocally(ex);
        }
        return null;
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            logger.RateLimitsCountedInRedisAgain();
        }
    }
}
