using System.Threading.RateLimiting;
using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Displays;

/// <summary>
/// Throttles pairing attempts, per client address and overall (many addresses guessing together), so a short code
/// cannot be guessed in the ten minutes it is valid.
/// </summary>
public sealed class PairingRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly RateLimiter _overall;

    public PairingRateLimiter(IOptions<DisplayOptions> options)
    {
        var o = options.Value;
        Window = TimeSpan.FromSeconds(o.AttemptWindowSeconds);
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = o.AttemptsPerAddress, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
        _overall = new FixedWindowRateLimiter(
            new FixedWindowRateLimiterOptions { PermitLimit = o.AttemptsOverall, Window = Window, QueueLimit = 0, AutoReplenishment = true });
    }

    public TimeSpan Window { get; }

    /// <summary>True when this client may try a code now; each call uses one permit.</summary>
    public bool TryAcquire(string? clientAddress)
    {
        using var lease = _perAddress.AttemptAcquire(ClientNetwork.KeyOf(clientAddress));
        if (!lease.IsAcquired)
        {
            return false;
        }
        using var overall = _overall.AttemptAcquire();
        return overall.IsAcquired;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _overall.Dispose();
    }
}
