using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Inspections;

/// <summary>
/// Hangfire, on Inspections:Schedule (and at start): this week's safety rounds, one per area group, once, on the day the
/// school calendar gives them. Nightly (<see cref="FollowCalendarAsync"/>, also at start): rounds not yet started whose
/// day has since become a holiday move or are removed.
/// </summary>
public sealed class WeeklyInspectionJob(InspectionService inspections, IOptions<InspectionOptions> options) : Calendar.ICalendarFollower
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var moved = await inspections.FollowCalendarAsync(ct);
        return moved + await inspections.CreateWeekAsync(options.Value.Schedule, ct);
    }

    public Task<int> FollowCalendarAsync(CancellationToken ct) => inspections.FollowCalendarAsync(ct);

    /// <summary>
    /// The calendar just changed: this week's rounds not yet started move now, not at the nightly check; and a week
    /// that a removed holiday opened again gets its rounds (both steps are idempotent).
    /// </summary>
    Task Calendar.ICalendarFollower.FollowCalendarAsync(CancellationToken ct) => RunAsync(ct);
}
