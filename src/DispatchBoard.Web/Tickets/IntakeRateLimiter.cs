using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// One limit for anonymous reports per client address, shared by the API and the report form (whose submits arrive
/// over the Blazor circuit, not as HTTP requests, so the ASP.NET rate-limiting middleware never sees them).
/// </summary>
public sealed class IntakeRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public IntakeRateLimiter(IOptions<IntakeOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.PermitLimit,
                Window = TimeSpan.FromSeconds(o.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        Window = TimeSpan.FromSeconds(o.WindowSeconds);
    }

    public TimeSpan Window { get; }

    /// <summary>True when this client may report now; each call uses one permit.</summary>
    public bool TryAcquire(string? clientAddress)
    {
        using var lease = _limiter.AttemptAcquire(string.IsNullOrEmpty(clientAddress) ? "unknown" : clientAddress);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
