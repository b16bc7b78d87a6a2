namespace DispatchBoard.Web.Calendar;

/// <summary>What kind of day a dated calendar entry makes.</summary>
public enum CalendarDayKind
{
    /// <summary>No work that day (a holiday or closure).</summary>
    Closure,

    /// <summary>A holiday with a few staff in, working the Holiday hours.</summary>
    SkeletonDay,

    /// <summary>A weekend day that is a school day, working the MakeUpDay hours.</summary>
    MakeUpDay,
}

/// <summary>One dated entry of the school's calendar: a closure, a skeleton day or a make-up day.</summary>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// The school's working time: which instants are working hours, and targets counted in working time only. Pure and
/// immutable, built from the school's zone, its working hours and its dated days, so one instance can be shared and
/// every figure (countdown, sweep, reports) comes from the same arithmetic.
/// </summary>
/// <remarks>
/// Wall times are converted like <see cref="Hosting.SchoolClock.At"/>: a time skipped by a daylight-saving change moves
/// forward, a repeated one takes its first occurrence, so a working period lasts its real elapsed length on a change
/// day. When two entries share a date the most closed one wins (closure, then skeleton day, then make-up day).
/// </remarks>
public sealed class WorkingCalendar
{
    /// <summary>How far the calendar looks for the next school day before deciding there is none.</summary>
    public const int SearchDays = 400;

    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly Start, TimeOnly End)>> _weekdays = [];
    private readonly IReadOnlyList<(TimeOnly Start, TimeOnly End)> _holiday;
    private readonly IReadOnlyList<(TimeOnly Start, TimeOnly End)> _makeUpDay;
    private readonly Dictionary<DateOnly, CalendarDay> _days = [];

    public WorkingCalendar(TimeZoneInfo zone, WorkingHoursOptions hours, IEnumerable<CalendarDay> days)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(days);
        _zone = zone;
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            _weekdays[day] = Parse(day.ToString(), hours.RangesOf(day));
        }
        _holiday = Parse(nameof(WorkingHoursOptions.Holiday), hours.HolidayRanges);
        _makeUpDay = Parse(nameof(WorkingHoursOptions.MakeUpDay), hours.MakeUpDayRanges);
        foreach (var day in days)
        {
            if (!_days.TryGetValue(day.Date, out var known) || day.Kind < known.Kind)
            {
                _days[day.Date] = day;
            }
        }
    }

    /// <summary>The school's time zone, in which the hours and dates are read.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>
    /// The working hours on a date in school time, sorted; empty when the school is closed. An end of 00:00 is midnight
    /// at the end of the day (<see cref="WorkingHoursOptions.EndOf"/>).
    /// </summary>
    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> HoursOn(DateOnly date) => SpecialDay(date)?.Kind switch
    {
        CalendarDayKind.Closure => [],
        CalendarDayKind.SkeletonDay => _holiday,
        CalendarDayKind.MakeUpDay => _makeUpDay,
        _ => _weekdays[date.DayOfWeek],
    };

    /// <summary>Whether the school has working hours on a date.</summary>
    public bool IsSchoolDay(DateOnly date) => HoursOn(date).Count > 0;

    /// <summary>
    /// Whether a date is a holiday: a closure, or a skeleton day (a holiday with a few staff in, which has working hours
    /// but no rounds and no meetings).
    /// </summary>
    public bool IsHoliday(DateOnly date) => SpecialDay(date)?.Kind is CalendarDayKind.Closure or CalendarDayKind.SkeletonDay;

    /// <summary>
    /// Whether a date is a full school day, the kind that has rounds and meetings: a day with working hours that is not a
    /// holiday (a usual working weekday, or a make-up day).
    /// </summary>
    public bool IsTeachingDay(DateOnly date) => !IsHoliday(date) && IsSchoolDay(date);

    /// <summary>The calendar entry (closure, skeleton or make-up day) on a date, if any.</summary>
    public CalendarDay? SpecialDay(DateOnly date) => _days.GetValueOrDefault(date);

    /// <summary>Whether an instant falls inside working hours (a period includes its start, not its end).</summary>
    public bool IsWorkingTime(DateTimeOffset instant)
    {
        var date = LocalDate(instant);
        for (var day = date.AddDays(-1); day <= date.AddDays(1); day = day.AddDays(1))
        {
            foreach (var (start, end) in PeriodsOn(day))
            {
                if (start <= instant && instant < end)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The instant itself when it is working time, else the start of the next working period.</summary>
    /// <exception cref="InvalidOperationException">No school day within <see cref="SearchDays"/> days.</exception>
    public DateTimeOffset NextOpening(DateTimeOffset instant) => AddWorkingTime(instant, TimeSpan.Zero);

    /// <summary>
    /// The deadline: the instant by which <paramref name="workingTime"/> of working time has passed since
    /// <paramref name="start"/>. Out of hours the count begins at the next opening, so a zero target from a closed
    /// instant is the next opening. A target that ends exactly at closing time ends then, not at the next opening.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative working time.</exception>
    /// <exception cref="InvalidOperationException">No school day within <see cref="SearchDays"/> days.</exception>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        var remaining = workingTime;
        foreach (var (periodStart, periodEnd) in PeriodsFrom(start))
        {
            var from = periodStart > start ? periodStart : start;
            var available = periodEnd - from;
            if (remaining <= available)
            {
                return from + remaining;
            }
            remaining -= available;
        }
        throw new InvalidOperationException("unreachable: the periods either go on or throw");
    }

    /// <summary>The working time between two instants; zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }
        var total = TimeSpan.Zero;
        var last = LocalDate(to).AddDays(1);
        var previousEnd = DateTimeOffset.MinValue;
        for (var day = LocalDate(from).AddDays(-1); day <= last; day = day.AddDays(1))
        {
            foreach (var (periodStart, periodEnd) in PeriodsOn(day))
            {
                var start = Max(Max(periodStart, previousEnd), from);
                var end = periodEnd < to ? periodEnd : to;
                if (end > start)
                {
                    total += end - start;
                }
                previousEnd = Max(previousEnd, periodEnd);
            }
        }
        return total;
    }

    /// <summary>The date itself when it is a school day, else the next one.</summary>
    /// <exception cref="InvalidOperationException">No school day within <see cref="SearchDays"/> days.</exception>
    public DateOnly NextSchoolDay(DateOnly date)
    {
        for (var offset = 0; offset <= SearchDays; offset++)
        {
            var day = date.AddDays(offset);
            if (IsSchoolDay(day))
            {
                return day;
            }
        }
        throw NoSchoolDay(date);
    }

    /// <summary>
    /// Working periods as instants that end after <paramref name="instant"/>, in order and never overlapping, for as
    /// long as the caller reads; throws after <see cref="SearchDays"/> days in a row without working time.
    /// </summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> PeriodsFrom(DateTimeOffset instant)
    {
        var previousEnd = instant;
        var today = LocalDate(instant);
        var daysWithout = 0;
        for (var day = today.AddDays(-1); ; day = day.AddDays(1))
        {
            var any = false;
            foreach (var (start, end) in PeriodsOn(day))
            {
                // A repeated hour can bring a period's start before the one that precedes it; count no instant twice.
                var from = Max(start, previousEnd);
                if (end > from)
                {
                    any = true;
                    previousEnd = end;
                    yield return (from, end);
                }
            }
            // Counted like NextSchoolDay: today is the first of the days searched.
            daysWithout = any ? 0 : day < today ? 0 : daysWithout + 1;
            if (daysWithout > SearchDays)
            {
                throw NoSchoolDay(today);
            }
        }
    }

    /// <summary>A date's working periods as UTC instants; a period that a daylight-saving gap swallows whole is left out.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> PeriodsOn(DateOnly date)
    {
        foreach (var (start, end) in HoursOn(date))
        {
            var from = At(date, start);
            var to = end == TimeOnly.MinValue ? At(date.AddDays(1), TimeOnly.MinValue) : At(date, end);
            if (to > from)
            {
                yield return (from, to);
            }
        }
    }

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    private DateTimeOffset At(DateOnly day, TimeOnly time) => Hosting.SchoolClock.At(_zone, day, time);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static InvalidOperationException NoSchoolDay(DateOnly date) =>
        new($"There is no school day within {SearchDays} days of {date:yyyy-MM-dd}; check Calendar:WorkingHours and the calendar's closures.");

    private static IReadOnlyList<(TimeOnly Start, TimeOnly End)> Parse(string name, string[] texts) =>
        WorkingHoursOptions.TryParse(texts, out var ranges, out var errors)
            ? ranges
            : throw new ArgumentException($"{WorkingHoursOptions.Section}:{name} {string.Join(" ", errors)}", "hours");
}
