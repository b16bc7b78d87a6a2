using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Displays;

/// <summary>
/// Throttles pairing attempts, per client address and overall (many addresses guessing together), so a short code
/// cannot be guessed in the ten minutes it is valid.
/// </summary>
public sealed class PairingRateLimiter(IOptions<DisplayOptions> options, SharedCounters shared, DispatchMetrics metrics) : IDisposable
{
    private readonly ClientWindowLimiter _limit = new(options.Value.AttemptsPerAddress, options.Value.AttemptsOverall,
        TimeSpan.FromSeconds(options.Value.AttemptWindowSeconds), shared, "pairing");

    public TimeSpan Window => _limit.Window;

    /// <summary>True when this client may try a code now; each call uses one permit.</summary>
    public bool TryAcquire(string? clientAddress)
    {
        if (_limit.TryAcquire(clientAddress) == ClientAdmission.Admitted)
        {
            return true;
        }
        metrics.Refused("pairing");
        return false;
    }

    public void Dispose() => _limit.Dispose();
}
