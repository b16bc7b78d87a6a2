using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Calendar;

/// <summary>What happens to a recurring meeting that falls on a holiday (setting Meetings:OnHoliday).</summary>
public enum OnHoliday
{
    /// <summary>It moves to the next school day, at the same time of day.</summary>
    Move,

    /// <summary>It does not take place; the next one does.</summary>
    Skip,
}

/// <summary>
/// Where the clock's items land on the school calendar: the week's safety round, a recurring meeting, a semester's
/// planning meetings. Pure rules over a <see cref="WorkingCalendar"/>, shared by the jobs that create the items and the
/// run that moves items already created when a holiday is added, so both always agree.
/// </summary>
public static class HolidayMoves
{
    /// <summary>How far a planning meeting looks for a school day before there is none.</summary>
    public const int PlanningSearchDays = 60;

    /// <summary>
    /// The day of the week's round: the scheduled day, unless it is a holiday, then the first school day after it in the
    /// same week (Monday to Sunday). None in a holiday week (no school day at all, or only closures and skeleton days),
    /// nor when no school day is left in the week after a holiday.
    /// </summary>
    public static DateOnly? RoundDay(WorkingCalendar calendar, DateOnly scheduled)
    {
        var monday = SchoolClock.MondayOf(scheduled);
        if (!Enumerable.Range(0, 7).Any(i => calendar.IsTeachingDay(monday.AddDays(i))))
        {
            return null;
        }
        if (!calendar.IsHoliday(scheduled))
        {
            return scheduled;
        }
        for (var day = scheduled.AddDays(1); day <= monday.AddDays(6); day = day.AddDays(1))
        {
            if (calendar.IsTeachingDay(day))
            {
                return day;
            }
        }
        return null;
    }

    /// <summary>
    /// The day a recurring meeting planned for <paramref name="planned"/> takes place: that day unless it is a holiday;
    /// then, under <see cref="OnHoliday.Move"/>, the next school day within <paramref name="moveWithinDays"/> days. None
    /// when skipped, or when no school day is that near (a meeting in a break does not pile up after it).
    /// </summary>
    public static DateOnly? MeetingDay(WorkingCalendar calendar, DateOnly planned, OnHoliday policy, int moveWithinDays)
    {
        if (!calendar.IsHoliday(planned))
        {
            return planned;
        }
        if (policy == OnHoliday.Skip)
        {
            return null;
        }
        for (var day = planned.AddDays(1); day <= planned.AddDays(moveWithinDays); day = day.AddDays(1))
        {
            if (calendar.IsTeachingDay(day))
            {
                return day;
            }
        }
        return null;
    }

    /// <summary>
    /// The day of a semester planning meeting: a school day. When the planned day is not one, the next school day; for
    /// planning before the start (<paramref name="before"/> is the semester's first day) only while that is still before
    /// the start, else the nearest school day before the planned day that is after <paramref name="notBefore"/> (today),
    /// else the next one after all. None when there is no school day within <see cref="PlanningSearchDays"/> days.
    /// </summary>
    public static DateOnly? PlanningDay(WorkingCalendar calendar, DateOnly planned, DateOnly? before, DateOnly notBefore)
    {
        if (calendar.IsTeachingDay(planned))
        {
            return planned;
        }
        DateOnly? next = null;
        for (var day = planned.AddDays(1); day <= planned.AddDays(PlanningSearchDays); day = day.AddDays(1))
        {
            if (calendar.IsTeachingDay(day))
            {
                next = day;
                break;
            }
        }
        if (before is not { } start || next < start)
        {
            return next;
        }
        for (var day = planned.AddDays(-1); day > notBefore && day >= planned.AddDays(-PlanningSearchDays); day = day.AddDays(-1))
        {
            if (calendar.IsTeachingDay(day))
            {
                return day;
            }
        }
        return next;
    }
}
