using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Slows password guessing without letting anyone lock a person out. Failures are counted per (account, client address)
/// and per client address: past a few, each further attempt from there waits twice as long as the last, up to a cap.
/// A guesser elsewhere never delays the right password from another address, and nothing locks for good.
/// Per account, an attempt counts as a failure when it starts (so a burst of guesses sent at once cannot slip past the
/// count) and is taken back when it succeeds. Per address, attempts still in flight count only beyond
/// <see cref="InFlightPerAddress"/>: a school's staff behind one address signing in at the same moment are not guessers,
/// and counting their attempts before they finish refused the 21st of them (seen as a rare 429 in the 20-claimer test).
/// Kept in memory on this instance; with Realtime:Redis set, the same counts are kept in Redis (one small script per
/// step, so two instances' attempts cannot slip between a read and a write), so a guesser gains nothing by being spread
/// over several instances. While Redis cannot be reached, this instance counts on its own (and says so in the log).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, RealtimeRedis? redis = null, ILogger<SignInThrottle>? logger = null, DispatchMetrics? metrics = null)
{
    public const int FreeFailuresPerAccount = 5;
    public const int FreeFailuresPerAddress = 20;

    /// <summary>Attempts from one address that may be in flight at once before each further one counts as a failure.</summary>
    public const int InFlightPerAddress = 50;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this are forgotten (longer than the cap, so a patient guesser stays slow).</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    private sealed class Failures
    {
        /// <summary>Failures, and attempts still in flight.</summary>
        public int Count;

        /// <summary>Attempts begun and not yet known to have failed or succeeded.</summary>
        public int InFlight;
        public DateTimeOffset Last;
    }

    private readonly Dictionary<string, Failures> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep;

    /// <summary>Null when the attempt may go ahead (and is counted); otherwise how long this address must wait.</summary>
    public TimeSpan? TryBegin(string account, string? address)
    {
        var wait = Begin(account, address);
        if (wait is not null)
        {
            metrics?.Refused("sign_in");
        }
        return wait;
    }

    private TimeSpan? Begin(string account, string? address)
    {
        var now = clock.GetUtcNow();
        var (accountKey, addressKey) = Keys(account, address);
        if (Shared(BeginScript, accountKey, addressKey, now) is { } waitMs)
        {
            return waitMs > 0 ? TimeSpan.FromMilliseconds(waitMs) : null;
        }
        lock (_lock)
        {
            Sweep(now);
            var wait = Max(Wait(accountKey, FreeFailuresPerAccount, 0, now), Wait(addressKey, FreeFailuresPerAddress, InFlightPerAddress, now));
            if (wait > TimeSpan.Zero)
            {
                return wait;
            }
            Count(accountKey, now);
            Count(addressKey, now);
            return null;
        }
    }

    /// <summary>The right password: this account's failures from this address are forgotten, and this attempt is taken back.</summary>
    public void Succeeded(string account, string? address)
    {
        var (accountKey, addressKey) = Keys(account, address);
        if (Shared(SucceededScript, accountKey, addressKey, clock.GetUtcNow()) is not null)
        {
            return;
        }
        lock (_lock)
        {
            _failures.Remove(accountKey);
            if (_failures.TryGetValue(addressKey, out var entry))
            {
                entry.InFlight = Math.Max(0, entry.InFlight - 1);
                if (--entry.Count <= 0)
                {
                    _failures.Remove(addressKey);
                }
            }
        }
    }

    /// <summary>A wrong password (or no such account): the attempt stays counted, and is no longer in flight.</summary>
    public void Failed(string account, string? address)
    {
        var (accountKey, addressKey) = Keys(account, address);
        if (Shared(FailedScript, accountKey, addressKey, clock.GetUtcNow()) is not null)
        {
            return;
        }
        lock (_lock)
        {
            foreach (var key in new[] { accountKey, addressKey })
            {
                if (_failures.TryGetValue(key, out var entry))
                {
                    entry.InFlight = Math.Max(0, entry.InFlight - 1);
                }
            }
        }
    }

    public static TimeSpan DelayAfter(int failures, int free) =>
        failures < free ? TimeSpan.Zero
            : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - free + 1), MaxDelay.TotalSeconds));

    private static (string Account, string Address) Keys(string account, string? address)
    {
        var client = ClientNetwork.KeyOf(address);
        return ($"account:{account.Trim().ToUpperInvariant()}|{client}", $"address:{client}");
    }

    private TimeSpan Wait(string key, int free, int inFlightAllowed, DateTimeOffset now) =>
        _failures.TryGetValue(key, out var entry) && now - entry.Last < ForgetAfter
            ? entry.Last + DelayAfter(entry.Count - Math.Min(entry.InFlight, inFlightAllowed), free) - now
            : TimeSpan.Zero;

    private void Count(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var entry) || now - entry.Last >= ForgetAfter)
        {
            _failures[key] = entry = new Failures();
        }
        entry.Count++;
        entry.InFlight++;
        entry.Last = now;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < TimeSpan.FromMinutes(5))
        {
            return;
        }
        _lastSweep = now;
        foreach (var key in _failures.Where(f => now - f.Value.Last >= ForgetAfter).Select(f => f.Key).ToList())
        {
            _failures.Remove(key);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // The same rules as the in-memory code above, on a hash per key: c = failures and attempts in flight, f = in flight,
    // l = the last attempt (unix ms). ARGV: now, forget-after, free per account, free per address, in flight allowed per
    // address, the longest delay (all ms or counts). Returns the wait in ms, 0 when the attempt was counted.
    private static readonly StackExchange.Redis.LuaScript BeginScript = StackExchange.Redis.LuaScript.Prepare("""
        local now, forget, maxDelay = tonumber(@now), tonumber(@forget), tonumber(@maxDelay)
        local function wait(key, free, allowed)
          local v = redis.call('HMGET', key, 'c', 'f', 'l')
          if not v[1] or not v[3] then return 0 end
          local c, f, l = tonumber(v[1]), tonumber(v[2] or 0), tonumber(v[3])
          if now - l >= forget then return 0 end
          local n = c - math.min(f, allowed)
          if n < free then return l - now end
          return l + math.min(math.pow(2, n - free + 1) * 1000, maxDelay) - now
        end
        local w = math.max(wait(@account, tonumber(@freeAccount), 0), wait(@address, tonumber(@freeAddress), tonumber(@inFlight)))
        if w > 0 then return math.ceil(w) end
        local function count(key)
          local l = redis.call('HGET', key, 'l')
          if not l or now - tonumber(l) >= forget then redis.call('HSET', key, 'c', 0, 'f', 0) end
          redis.call('HINCRBY', key, 'c', 1)
          redis.call('HINCRBY', key, 'f', 1)
          redis.call('HSET', key, 'l', now)
          redis.call('PEXPIRE', key, forget)
        end
        count(@account)
        count(@address)
        return 0
        """);

    private static readonly StackExchange.Redis.LuaScript SucceededScript = StackExchange.Redis.LuaScript.Prepare("""
        redis.call('DEL', @account)
        if redis.call('EXISTS', @address) == 1 then
          if tonumber(redis.call('HGET', @address, 'f') or 0) > 0 then redis.call('HINCRBY', @address, 'f', -1) end
          if redis.call('HINCRBY', @address, 'c', -1) <= 0 then redis.call('DEL', @address) end
        end
        return 0
        """);

    private static readonly StackExchange.Redis.LuaScript FailedScript = StackExchange.Redis.LuaScript.Prepare("""
        for _, key in ipairs({@account, @address}) do
          if tonumber(redis.call('HGET', key, 'f') or 0) > 0 then redis.call('HINCRBY', key, 'f', -1) end
        end
        return 0
        """);

    private int _sharedFailing;

    /// <summary>Runs a step in Redis; null when Redis is not configured or not reachable (the step runs in memory).</summary>
    private long? Shared(StackExchange.Redis.LuaScript script, string accountKey, string addressKey, DateTimeOffset now)
    {
        if (redis is not { IsConfigured: true })
        {
            return null;
        }
        try
        {
            if (!redis.IsConnected)
            {
                throw new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, "Redis is not connected");
            }
            var result = (long)redis.Multiplexer.GetDatabase().ScriptEvaluate(script, new
            {
                account = (StackExchange.Redis.RedisKey)$"dispatchboard:signin:{accountKey}",
                address = (StackExchange.Redis.RedisKey)$"dispatchboard:signin:{addressKey}",
                now = now.ToUnixTimeMilliseconds(),
                forget = (long)ForgetAfter.TotalMilliseconds,
                freeAccount = FreeFailuresPerAccount,
                freeAddress = FreeFailuresPerAddress,
                inFlight = InFlightPerAddress,
                maxDelay = (long)MaxDelay.TotalMilliseconds,
            });
            if (Interlocked.Exchange(ref _sharedFailing, 0) == 1)
            {
                if (logger is not null)
                {
                    logger.SignInAttemptsCountedInRedisAgain();
                }
            }
            return result;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
        {
            if (Interlocked.Exchange(ref _sharedFailing, 1) == 0)
            {
                if (logger is not null)
                {
                    logger.SignInAttemptsCountedLocally(ex);
                }
            }
            return null;
        }
    }
}
