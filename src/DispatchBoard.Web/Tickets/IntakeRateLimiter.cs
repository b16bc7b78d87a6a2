using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The limits on anonymous reporters, shared by the API and the pages (whose submits arrive over the Blazor circuit, not
/// as HTTP requests, so the ASP.NET rate-limiting middleware never sees them). Clients are counted by
/// <see cref="ClientNetwork"/> (an IPv6 client cannot escape by rotating within its /64). Refusals name what to do instead:
/// a burning smell cannot wait for a rate limit, so the office's phone number is in every message.
/// </summary>
public sealed class IntakeRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly RateLimiter _overall;
    private readonly PartitionedRateLimiter<string> _trackingMisses;
    private readonly string _callTheOffice;

    public IntakeRateLimiter(IOptions<IntakeOptions> options, IOptions<SchoolOptions> school)
    {
        var o = options.Value;
        Window = TimeSpan.FromSeconds(o.WindowSeconds);
        TrackingWindow = TimeSpan.FromMinutes(o.TrackingMissWindowMinutes);
        _perClient = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = o.PermitLimit, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
        _overall = new FixedWindowRateLimiter(
            new FixedWindowRateLimiterOptions { PermitLimit = o.OverallPermitLimit, Window = Window, QueueLimit = 0, AutoReplenishment = true });
        _trackingMisses = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = o.TrackingMissLimit, Window = TrackingWindow, QueueLimit = 0, AutoReplenishment = true }));
        _callTheOffice = school.Value.CallTheOffice;
    }

    public TimeSpan Window { get; }

    public TimeSpan TrackingWindow { get; }

    /// <summary>
    /// Null when this anonymous client may write now (using one permit of its own and one of everyone's), else the refusal
    /// to show. Call it only for a request that passed validation: a typo costs no permit.
    /// </summary>
    public string? TryAdmit(string? clientAddress)
    {
        using var own = _perClient.AttemptAcquire(ClientNetwork.KeyOf(clientAddress));
        if (!own.IsAcquired)
        {
            return $"Too many reports from your network in a short time. Please wait a minute and try again; if it is urgent or dangerous, {_callTheOffice} now.";
        }
        using var overall = _overall.AttemptAcquire();
        return overall.IsAcquired
            ? null
            : $"The report form is very busy right now. Please try again in a minute; if it is urgent or dangerous, {_callTheOffice} now.";
    }

    /// <summary>
    /// Null when this client may look a tracking code up, else the refusal: after too many wrong codes from one network,
    /// lookups stop for the rest of the window (guessing codes is what wrong codes in bulk mean).
    /// </summary>
    public string? TrackingRefusal(string? clientAddress) =>
        _trackingMisses.GetStatistics(ClientNetwork.KeyOf(clientAddress))?.CurrentAvailablePermits is 0
            ? $"Too many wrong tracking codes from your network. Please wait {TrackingWindow.TotalMinutes:0} minutes and check the code on your confirmation, or {_callTheOffice}."
            : null;

    /// <summary>Counts a lookup of a tracking code that does not exist.</summary>
    public void RecordTrackingMiss(string? clientAddress)
    {
        using var _ = _trackingMisses.AttemptAcquire(ClientNetwork.KeyOf(clientAddress));
    }

    public void Dispose()
    {
        _perClient.Dispose();
        _overall.Dispose();
        _trackingMisses.Dispose();
    }
}
