using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>The school's wall clock: UTC instants from <see cref="TimeProvider"/>, shown and bucketed in the school's zone.</summary>
public sealed class SchoolClock(TimeProvider time, IOptions<SchoolOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant today began at the school (midnight local time), as UTC.</summary>
    public DateTimeOffset StartOfToday() => StartOf(LocalDate(UtcNow));

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant a school day begins (its local midnight).</summary>
    public DateTimeOffset StartOf(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The end of the school day that contains <paramref name="instant"/> (the next local midnight).</summary>
    public DateTimeOffset EndOfDay(DateTimeOffset instant) => StartOf(LocalDate(instant).AddDays(1));

    /// <summary>
    /// A wall-clock time at the school as an instant. A time skipped by a daylight-saving change is moved forward by
    /// the gap; a repeated time takes its first occurrence.
    /// </summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time) => At(Zone, day, time);

    /// <inheritdoc cref="At(DateOnly, TimeOnly)"/>
    public static DateTimeOffset At(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The Monday of the school week that contains <paramref name="day"/>.</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>When a cron schedule (in school time) fires after <paramref name="from"/> up to <paramref name="to"/>.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(string cron, DateTimeOffset from, DateTimeOffset to, bool fromInclusive = false) =>
        Cronos.CronExpression.Parse(cron, Format(cron)).GetOccurrences(from, to, Zone, fromInclusive, toInclusive: true);

    /// <summary>The latest firing of a cron schedule at or before now, within <paramref name="lookBack"/>.</summary>
    public DateTimeOffset? LatestOccurrence(string cron, TimeSpan lookBack)
    {
        var now = UtcNow;
        DateTimeOffset? latest = null;
        foreach (var occurrence in Occurrences(cron, now - lookBack, now, fromInclusive: true))
        {
            latest = occurrence;
        }
        return latest;
    }

    private static Cronos.CronFormat Format(string cron) =>
        cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard;
}
