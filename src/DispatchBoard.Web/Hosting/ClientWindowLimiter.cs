using System.Threading.RateLimiting;

namespace DispatchBoard.Web.Hosting;

public enum ClientAdmission
{
    Admitted,
    /// <summary>This client network has used its permits for the window.</summary>
    ClientLimited,
    /// <summary>Everyone together has used the overall permits for the window.</summary>
    OverallLimited,
}

/// <summary>
/// Fixed-window permits per client network (<see cref="ClientNetwork"/>) and for everyone together: what the anonymous
/// limits (reports, display pairing, wrong tracking codes) are made of. Used from pages as well as endpoints, since a
/// page's actions arrive over the Blazor circuit where the ASP.NET rate-limiting middleware never sees them.
/// With Realtime:Redis set, the windows are counted in Redis (<see cref="SharedCounters"/>), so every instance sees the
/// same counts; while Redis cannot be reached, this instance counts on its own.
/// </summary>
public sealed class ClientWindowLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly RateLimiter? _overall;
    private readonly int _perClientLimit;
    private readonly int? _overallLimit;
    private readonly SharedCounters? _shared;
    private readonly string _name;

    /// <param name="overall">Permits for everyone together per window; null for no overall limit.</param>
    /// <param name="shared">Where the counts are shared across instances, if anywhere.</param>
    /// <param name="name">The limit's name among the shared counters.</param>
    public ClientWindowLimiter(int perClient, int? overall, TimeSpan window, SharedCounters? shared = null, string name = "limit")
    {
        Window = window;
        _perClientLimit = perClient;
        _overallLimit = overall;
        _shared = shared is { IsConfigured: true } ? shared : null;
        _name = name;
        _perClient = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = perClient, Window = window, QueueLimit = 0, AutoReplenishment = true }));
        _overall = overall is { } limit
            ? new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0, AutoReplenishment = true })
            : null;
    }

    public TimeSpan Window { get; }

    /// <summary>Uses one of the client's permits and, if it had one, one of everyone's.</summary>
    public ClientAdmission TryAcquire(string? clientAddress)
    {
        if (_shared?.TryAcquire(_name, ClientNetwork.KeyOf(clientAddress), _perClientLimit, _overallLimit, Window) is { } shared)
        {
            return shared;
        }
        using var own = _perClient.AttemptAcquire(ClientNetwork.KeyOf(clientAddress));
        if (!own.IsAcquired)
        {
            return ClientAdmission.ClientLimited;
        }
        if (_overall is null)
        {
            return ClientAdmission.Admitted;
        }
        using var everyone = _overall.AttemptAcquire();
        return everyone.IsAcquired ? ClientAdmission.Admitted : ClientAdmission.OverallLimited;
    }

    /// <summary>Whether the client has no permit left this window (asking uses none).</summary>
    public bool IsExhausted(string? clientAddress) =>
        _shared?.Count(_name, ClientNetwork.KeyOf(clientAddress)) is { } used
            ? used >= _perClientLimit
            : _perClient.GetStatistics(ClientNetwork.KeyOf(clientAddress))?.CurrentAvailablePermits is 0;

    public void Dispose()
    {
        _perClient.Dispose();
        _overall?.Dispose();
    }
}
