using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>The school's wall clock: UTC instants from <see cref="TimeProvider"/>, shown and bucketed in the school's zone.</summary>
public sealed class SchoolClock(TimeProvider time, IOptions<SchoolOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant today began at the school (midnight local time), as UTC.</summary>
    public DateTimeOffset StartOfToday()
    {
        var local = ToLocal(UtcNow);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
