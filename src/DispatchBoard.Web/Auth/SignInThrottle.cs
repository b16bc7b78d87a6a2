using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Slows password guessing without letting anyone lock a person out. Failures are counted per (account, client address)
/// and per client address: past a few, each further attempt from there waits twice as long as the last, up to a cap.
/// A guesser elsewhere never delays the right password from another address, and nothing locks for good.
/// Per account, an attempt counts as a failure when it starts (so a burst of guesses sent at once cannot slip past the
/// count) and is taken back when it succeeds. Per address, attempts still in flight count only beyond
/// <see cref="InFlightPerAddress"/>: a school's staff behind one address signing in at the same moment are not guessers,
/// and counting their attempts before they finish refused the 21st of them (seen as a rare 429 in the 20-claimer test).
/// Kept in memory on this instance: #13 moves it to a shared store for several instances.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
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
        var now = clock.GetUtcNow();
        var (accountKey, addressKey) = Keys(account, address);
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
}
