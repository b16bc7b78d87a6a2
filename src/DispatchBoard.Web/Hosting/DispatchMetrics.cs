using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The school's work as numbers (meter <c>DispatchBoard</c>): what an IT person graphs and alerts on. Counters and
/// histograms are recorded where the work happens, after it is committed; gauges (open tickets, live circuits, hub
/// connections) are read when a scraper or exporter collects. Made by the host's <see cref="IMeterFactory"/>, so two
/// hosts in one process (tests) count apart. Exported by OpenTelemetry (see <see cref="Telemetry"/>) when
/// <c>Telemetry:OtlpEndpoint</c> or <c>Telemetry:Prometheus</c> is set; readable in tests with MetricCollector.
/// </summary>
public sealed class DispatchMetrics
{
    public const string MeterName = "DispatchBoard";

    /// <summary>Minutes to days: a claim takes minutes, a resolve hours, a planned repair days.</summary>
    private static readonly double[] StepBuckets = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200, 604800];

    private readonly Counter<long> _reports;
    private readonly Histogram<double> _timeToClaim;
    private readonly Histogram<double> _timeToOnSite;
    private readonly Histogram<double> _timeToResolve;
    private readonly Counter<long> _claims;
    private readonly Counter<long> _push;
    private readonly Counter<long> _email;
    private readonly Counter<long> _jobRuns;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _backups;

    public DispatchMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName, typeof(DispatchMetrics).Assembly.GetName().Version?.ToString());
        _reports = Meter.CreateCounter<long>("dispatchboard.reports.received", "{report}",
            "Repair reports received, by channel (Web, Qr, Api, Phone, Round), category and whether urgent.");
        _timeToClaim = Step("dispatchboard.ticket.time_to_claim", "From the report to a staff member taking the job.");
        _timeToOnSite = Step("dispatchboard.ticket.time_to_on_site", "From the report to the staff member at the scene.");
        _timeToResolve = Step("dispatchboard.ticket.time_to_resolve", "From the report to the job marked fixed.");
        _claims = Meter.CreateCounter<long>("dispatchboard.claims", "{claim}",
            "Claims pressed: outcome won, or refused with the reason (Conflict: someone was faster or the job moved on; Forbidden; NotFound; Invalid).");
        _push = Meter.CreateCounter<long>("dispatchboard.push.messages", "{message}",
            "Web Push messages to phones: sent, failed (given up or refused), retried.");
        _email = Meter.CreateCounter<long>("dispatchboard.email.messages", "{message}",
            "E-mails (kind: reminder, reporter, account_link, test): sent, failed, retried.");
        _jobRuns = Meter.CreateCounter<long>("dispatchboard.jobs.runs", "{run}", "Scheduled job runs, by job and outcome (succeeded, failed).");
        _jobDuration = Meter.CreateHistogram<double>("dispatchboard.jobs.duration", "s", "How long a scheduled job ran, by job.");
        _backups = Meter.CreateCounter<long>("dispatchboard.backups", "{backup}",
            "Backup runs that wrote a copy (written) or tried and failed (failed); runs with nothing due are not counted.");
        _refusals = Meter.CreateCounter<long>("dispatchboard.rate_limit.refusals", "{request}",
            "Requests refused by a rate limit, by limit (intake, tracking, sign_in, pairing, photos).");
    }

    /// <summary>The meter itself, for the gauges each feature observes (open tickets, circuits, hub connections).</summary>
    public Meter Meter { get; }

    public void ReportReceived(string channel, string category, bool urgent) =>
        _reports.Add(1, new TagList { { "channel", channel }, { "category", category }, { "urgent", urgent } });

    /// <summary>A ticket reached a step: the time since it was reported goes into that step's histogram.</summary>
    public void StepReached(TicketStep step, TimeSpan sinceReport, string category)
    {
        var histogram = step switch
        {
            TicketStep.Claimed => _timeToClaim,
            TicketStep.OnSite => _timeToOnSite,
            _ => _timeToResolve,
        };
        histogram.Record(Math.Max(0, sinceReport.TotalSeconds), new KeyValuePair<string, object?>("category", category));
    }

    public void Claimed(bool won, string? refusal) =>
        _claims.Add(1, won ? new TagList { { "outcome", "won" } } : new TagList { { "outcome", "refused" }, { "reason", refusal } });

    public void Push(string outcome, long count = 1) => _push.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void Email(string kind, string outcome) => _email.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });

    public void JobRan(string job, bool succeeded, TimeSpan took)
    {
        _jobRuns.Add(1, new TagList { { "job", job }, { "outcome", succeeded ? "succeeded" : "failed" } });
        _jobDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("job", job));
    }

    public void Backup(bool written) => _backups.Add(1, new KeyValuePair<string, object?>("outcome", written ? "written" : "failed"));

    public void Refused(string limit) => _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));

    private Histogram<double> Step(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StepBuckets });
}

public enum TicketStep
{
    Claimed,
    OnSite,
    Resolved,
}

/// <summary>
/// The app's own spans (source <c>DispatchBoard</c>): a report is followed from the HTTP request (ASP.NET Core's span)
/// through its database commit to the publish that tells the boards. Started only when something listens.
/// </summary>
public static class DispatchTracing
{
    public const string SourceName = "DispatchBoard";

    public static readonly ActivitySource Source = new(SourceName, typeof(DispatchTracing).Assembly.GetName().Version?.ToString());
}
