namespace DispatchBoard.Web.Calendar;

/// <summary>A lesson or a break between two lessons, as instants.</summary>
public sealed record BellPeriod(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The school's bell schedule: when lessons are on, so that repairs in teaching rooms can wait for a break. Pure and
/// immutable, built from the school's zone, the configured bells and the <see cref="WorkingCalendar"/> (for its dated
/// days), so one instance is shared like the calendar.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No lessons on a date the calendar marks as a closure or a skeleton day (a holiday with a few staff in).</item>
/// <item>A make-up day rings the bells of its own weekday when that weekday has lessons, else Monday's: the usual make-up
/// Saturday or Sunday follows a full weekday timetable, and schools that run a particular day's timetable can set the
/// weekend day's bells.</item>
/// <item>A break is a gap between two lessons of the same day; "after school" is the end of the day's last lesson.</item>
/// <item>Wall times become instants like <see cref="Hosting.SchoolClock.At"/> (a time skipped by daylight saving moves
/// forward; a repeated one takes its first occurrence), so on a change day a lesson lasts its real elapsed length and a
/// lesson the gap swallows whole is left out.</item>
/// <item>A period includes its start, not its end: at 09:40 the 08:55–09:40 lesson is over and the break has begun.</item>
/// </list>
/// </remarks>
public sealed class BellSchedule
{
    private readonly TimeZoneInfo _zone;
    private readonly WorkingCalendar _calendar;
    private readonly Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly Start, TimeOnly End)>> _weekdays = [];

    public BellSchedule(TimeZoneInfo zone, BellOptions bells, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(bells);
        ArgumentNullException.ThrowIfNull(calendar);
        _zone = zone;
        _calendar = calendar;
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            _weekdays[day] = WorkingHoursOptions.TryParse(bells.PeriodsOf(day), out var ranges, out var errors)
                ? ranges
                : throw new ArgumentException($"{BellOptions.Section}:{day} {string.Join(" ", errors)}", nameof(bells));
        }
    }

    /// <summary>The wall-clock lesson periods on a date in school time (none on closures and skeleton days).</summary>
    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> PeriodsOn(DateOnly date) => _calendar.SpecialDay(date)?.Kind switch
    {
        CalendarDayKind.Closure or CalendarDayKind.SkeletonDay => [],
        CalendarDayKind.MakeUpDay => _weekdays[date.DayOfWeek] is { Count: > 0 } own ? own : _weekdays[DayOfWeek.Monday],
        _ => _weekdays[date.DayOfWeek],
    };

    /// <summary>The lessons on a date as instants, in order.</summary>
    public IReadOnlyList<BellPeriod> LessonsOn(DateOnly date)
    {
        var lessons = new List<BellPeriod>();
        foreach (var (start, end) in PeriodsOn(date))
        {
            var from = Hosting.SchoolClock.At(_zone, date, start);
            var to = end == TimeOnly.MinValue ? Hosting.SchoolClock.At(_zone, date.AddDays(1), TimeOnly.MinValue) : Hosting.SchoolClock.At(_zone, date, end);
            var previousEnd = lessons.Count > 0 ? lessons[^1].End : DateTimeOffset.MinValue;
            // A repeated hour can bring a lesson's start before the previous end; no instant belongs to two lessons.
            from = from > previousEnd ? from : previousEnd;
            if (to > from)
            {
                lessons.Add(new BellPeriod(from, to));
            }
        }
        return lessons;
    }

    /// <summary>The lesson going on at an instant, if any.</summary>
    public BellPeriod? LessonAt(DateTimeOffset instant) => LessonsOn(LocalDate(instant)).FirstOrDefault(l => l.Start <= instant && instant < l.End);

    /// <summary>Whether a lesson is going on at an instant.</summary>
    public bool IsLesson(DateTimeOffset instant) => LessonAt(instant) is not null;

    /// <summary>
    /// The first break of the instant's day that starts after it (during a lesson, the break after it); null when
    /// no break is left that day. A break already going on is not "next": it is now.
    /// </summary>
    public BellPeriod? NextBreak(DateTimeOffset instant) => BreaksOn(LocalDate(instant)).FirstOrDefault(b => b.Start > instant);

    /// <summary>The break going on at an instant, if any (between two lessons of a day; not before the first or after the last).</summary>
    public BellPeriod? BreakAt(DateTimeOffset instant) => BreaksOn(LocalDate(instant)).FirstOrDefault(b => b.Start <= instant && instant < b.End);

    /// <summary>The end of the last lesson of the instant's day when that is still to come (or now); null when lessons are over or there are none.</summary>
    public DateTimeOffset? AfterSchool(DateTimeOffset instant) =>
        LessonsOn(LocalDate(instant)) is { Count: > 0 } lessons && lessons[^1].End >= instant ? lessons[^1].End : null;

    /// <summary>The gaps between consecutive lessons of a date.</summary>
    public IReadOnlyList<BellPeriod> BreaksOn(DateOnly date)
    {
        var lessons = LessonsOn(date);
        var breaks = new List<BellPeriod>();
        for (var i = 1; i < lessons.Count; i++)
        {
            if (lessons[i].Start > lessons[i - 1].End)
            {
                breaks.Add(new BellPeriod(lessons[i - 1].End, lessons[i].Start));
            }
        }
        return breaks;
    }

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);
}
