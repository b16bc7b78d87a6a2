using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Inspections;

/// <summary>Hangfire, on Inspections:Schedule (and at start): this week's safety rounds, one per area group, once.</summary>
public sealed class WeeklyInspectionJob(InspectionService inspections, IOptions<InspectionOptions> options)
{
    public Task<int> RunAsync(CancellationToken ct) => inspections.CreateWeekAsync(options.Value.Schedule, ct);
}
