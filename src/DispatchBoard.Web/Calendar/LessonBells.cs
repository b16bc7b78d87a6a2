using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Calendar;

/// <summary>The bell schedule over the school's current working calendar, built again whenever the calendar is.</summary>
public sealed class LessonBells(CalendarPeriods periods, IOptions<BellOptions> bells, SchoolClock clock)
{
    private sealed record Built(WorkingCalendar From, BellSchedule Schedule);

    private volatile Built? _built;

    /// <summary>The schedule over the calendar as last built, without waiting; null before the first build or right after a change.</summary>
    public BellSchedule? Current => _built is { } built && ReferenceEquals(built.From, periods.Cached) ? built.Schedule : null;

    public async ValueTask<BellSchedule> ScheduleAsync(CancellationToken ct = default)
    {
        var calendar = await periods.WorkingCalendarAsync(ct);
        if (_built is { } built && ReferenceEquals(built.From, calendar))
        {
            return built.Schedule;
        }
        var schedule = new BellSchedule(clock.Zone, bells.Value, calendar);
        _built = new Built(calendar, schedule);
        return schedule;
    }
}
