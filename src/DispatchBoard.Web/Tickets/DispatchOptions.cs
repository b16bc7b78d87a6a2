using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Anonymous intake (the report form, POST /api/tickets, the reporter's confirm and reopen): writes per client network per
/// window, a ceiling for all anonymous writes together, and a limit on wrong tracking codes. Signed-in staff are not counted.
/// </summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Anonymous writes per client network (an IPv4 address, an IPv6 /64) per window.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    /// <summary>Anonymous writes from everyone together per window: what a spread-out flood can cost the office.</summary>
    [Range(1, 1_000_000)]
    public int OverallPermitLimit { get; set; } = 300;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Wrong tracking codes a client network may try per <see cref="TrackingMissWindowMinutes"/> before lookups stop.</summary>
    [Range(1, 100_000)]
    public int TrackingMissLimit { get; set; } = 30;

    [Range(1, 1_440)]
    public int TrackingMissWindowMinutes { get; set; } = 10;
}

/// <summary>How fast tickets must be answered, and when the sweeps run.</summary>
public sealed class DispatchOptions : IValidatableObject
{
    public const string Section = "Dispatch";

    public ResponseTargets ResponseTargets { get; set; } = new();

    /// <summary>A resolved ticket the reporter has not confirmed or reopened is closed after this long.</summary>
    public TimeSpan AutoCloseAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Cron (in School:TimeZone) of the sweep that escalates unclaimed tickets.</summary>
    public string UnclaimedSweepSchedule { get; set; } = "* * * * *";

    /// <summary>Cron (in School:TimeZone) of the sweep that auto-closes resolved tickets.</summary>
    public string AutoCloseSchedule { get; set; } = "*/10 * * * *";

    /// <summary>
    /// Open reports of the same category in the same area (or on the same floor) reported within this long of each other
    /// are offered to the dispatcher as possible duplicates.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(4);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (priority, target) in new[] { (TicketPriority.Urgent, ResponseTargets.Urgent), (TicketPriority.Normal, ResponseTargets.Normal), (TicketPriority.Low, ResponseTargets.Low) })
        {
            if (target <= TimeSpan.Zero || target > TimeSpan.FromDays(30))
            {
                yield return new ValidationResult($"Dispatch:ResponseTargets:{priority} must be between 0 and 30 days (got {target}).");
            }
        }
        if (AutoCloseAfter < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Dispatch:AutoCloseAfter must be at least a minute (got {AutoCloseAfter}).");
        }
        if (DuplicateWindow < TimeSpan.FromMinutes(1) || DuplicateWindow > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult($"Dispatch:DuplicateWindow must be between a minute and 7 days (got {DuplicateWindow}).");
        }
        foreach (var (key, cron) in new[] { ("UnclaimedSweepSchedule", UnclaimedSweepSchedule), ("AutoCloseSchedule", AutoCloseSchedule) })
        {
            if (!Cron.IsValid(cron))
            {
                yield return new ValidationResult($"Dispatch:{key} '{cron}' is not a cron expression (e.g. \"* * * * *\").");
            }
        }
    }
}

public sealed class ResponseTargets
{
    public TimeSpan Urgent { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan Normal { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan Low { get; set; } = TimeSpan.FromHours(4);

    public TimeSpan For(TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => Urgent,
        TicketPriority.Low => Low,
        _ => Normal,
    };
}
