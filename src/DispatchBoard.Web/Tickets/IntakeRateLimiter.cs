using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The limits on anonymous reporters, shared by the API and the pages (whose submits arrive over the Blazor circuit, not
/// as HTTP requests, so the ASP.NET rate-limiting middleware never sees them). Clients are counted by
/// <see cref="ClientNetwork"/> (an IPv6 client cannot escape by rotating within its /64). Refusals name what to do instead:
/// a burning smell cannot wait for a rate limit, so the office's phone number is in every message.
/// </summary>
public sealed class IntakeRateLimiter : IDisposable
{
    private readonly ClientWindowLimiter _writes;
    private readonly ClientWindowLimiter _trackingMisses;
    private readonly string? _officePhone;
    private readonly DispatchMetrics _metrics;

    public IntakeRateLimiter(IOptions<IntakeOptions> options, IOptions<SchoolOptions> school, SharedCounters shared, DispatchMetrics metrics)
    {
        _metrics = metrics;
        var o = options.Value;
        _writes = new ClientWindowLimiter(o.PermitLimit, o.OverallPermitLimit, TimeSpan.FromSeconds(o.WindowSeconds), shared, "reports");
        _trackingMisses = new ClientWindowLimiter(o.TrackingMissLimit, overall: null, TimeSpan.FromMinutes(o.TrackingMissWindowMinutes), shared, "tracking-misses");
        // The refusals say "call the office" (at its number when there is one) in the reader's language.
        _officePhone = string.IsNullOrWhiteSpace(school.Value.OfficePhone) ? null : school.Value.OfficePhone.Trim();
    }

    public TimeSpan Window => _writes.Window;

    public TimeSpan TrackingWindow => _trackingMisses.Window;

    /// <summary>
    /// Null when this anonymous client may write now (using one permit of its own and one of everyone's), else the refusal
    /// to show. Call it only for a request that passed validation: a typo costs no permit.
    /// </summary>
    public string? TryAdmit(string? clientAddress) => Counted("intake", _writes.TryAcquire(clientAddress) switch
    {
        ClientAdmission.Admitted => null,
        ClientAdmission.ClientLimited => _officePhone is null
            ? L["Too many reports from your network in a short time. Please wait a minute and try again; if it is urgent or dangerous, call the office now."]
            : L["Too many reports from your network in a short time. Please wait a minute and try again; if it is urgent or dangerous, call the office at {0} now.", _officePhone],
        _ => _officePhone is null
            ? L["The report form is very busy right now. Please try again in a minute; if it is urgent or dangerous, call the office now."]
            : L["The report form is very busy right now. Please try again in a minute; if it is urgent or dangerous, call the office at {0} now.", _officePhone],
    });

    /// <summary>
    /// Null when this client may look a tracking code up, else the refusal: after too many wrong codes from one network,
    /// lookups stop for the rest of the window (guessing codes is what wrong codes in bulk mean).
    /// </summary>
    public string? TrackingRefusal(string? clientAddress) => !_trackingMisses.IsExhausted(clientAddress) ? null
        : Counted("tracking", _officePhone is null
            ? L["Too many wrong tracking codes from your network. Please wait {0:0} minutes and check the code on your confirmation, or call the office.", TrackingWindow.TotalMinutes]
            : L["Too many wrong tracking codes from your network. Please wait {0:0} minutes and check the code on your confirmation, or call the office at {1}.", TrackingWindow.TotalMinutes, _officePhone]);

    private string? Counted(string limit, string? refusal)
    {
        if (refusal is not null)
        {
            _metrics.Refused(limit);
        }
        return refusal;
    }

    /// <summary>Counts a lookup of a tracking code that does not exist.</summary>
    public void RecordTrackingMiss(string? clientAddress) => _trackingMisses.TryAcquire(clientAddress);

    public void Dispose()
    {
        _writes.Dispose();
        _trackingMisses.Dispose();
    }
}
