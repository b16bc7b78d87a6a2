using DispatchBoard.Web.Calendar;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>What the card says about a ticket's response target at an instant.</summary>
/// <param name="Css">"ok", "soon", "late" or "waiting" (out of hours, the count has not started or is paused).</param>
public readonly record struct Countdown(string Css, string Text);

/// <summary>
/// A ticket's clock, the one place the school's time rules live: when a response is due, when the sweep raises each
/// level, how long each step took for the reports, and what the card's countdown says. Normal and low reports count
/// working time only (<see cref="WorkingCalendar"/>: nights, weekends and holidays do not count); urgent reports and
/// safety hazards count wall time, day and night.
/// </summary>
public sealed class ResponseClock(WorkingCalendar calendar, ResponseTargets targets)
{
    public WorkingCalendar Calendar => calendar;

    /// <summary>Urgent reports and safety hazards run on wall time: their target does not wait for the office to open.</summary>
    public static bool CountsWallTime(TicketPriority priority, TicketCategory category) =>
        priority == TicketPriority.Urgent || category == TicketCategory.SafetyHazard;

    public TimeSpan Target(TicketPriority priority) => targets.For(priority);

    /// <summary>The instant <paramref name="span"/> of the ticket's own time after <paramref name="from"/>.</summary>
    public DateTimeOffset After(TicketPriority priority, TicketCategory category, DateTimeOffset from, TimeSpan span) =>
        CountsWallTime(priority, category) ? from + span : calendar.AddWorkingTime(from, span);

    /// <summary>How much of the ticket's own time passed between two instants (zero when <paramref name="to"/> is not later).</summary>
    public TimeSpan Between(TicketPriority priority, TicketCategory category, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? TimeSpan.Zero
        : CountsWallTime(priority, category) ? to - from
        : calendar.WorkingTimeBetween(from, to);

    /// <summary>When a ticket queued at <paramref name="queuedAt"/> should be claimed by.</summary>
    public DateTimeOffset DueAt(TicketPriority priority, TicketCategory category, DateTimeOffset queuedAt) =>
        After(priority, category, queuedAt, Target(priority));

    /// <summary>
    /// The deadline of a ticket queued at <paramref name="queuedAt"/>; when it is planned for later (a break, after
    /// school), its target counts from the planned time instead, so nobody is chased for a job the office put off.
    /// </summary>
    public DateTimeOffset DueAt(TicketPriority priority, TicketCategory category, DateTimeOffset queuedAt, DateTimeOffset? plannedFor)
    {
        var due = DueAt(priority, category, queuedAt);
        return plannedFor is { } planned && DueAt(priority, category, planned) is var fromPlan && fromPlan > due ? fromPlan : due;
    }

    /// <summary>
    /// When the sweep raises an unclaimed ticket to <paramref name="level"/>: level 1 at the deadline, level 2 (the
    /// dispatcher) one more target later, both on the ticket's own time.
    /// </summary>
    public DateTimeOffset LevelAt(TicketPriority priority, TicketCategory category, DateTimeOffset dueAt, int level) =>
        level <= 1 ? dueAt : After(priority, category, dueAt, Target(priority) * (level - 1));

    /// <summary>Whether the school is open at an instant (the office, the staff on standby).</summary>
    public bool IsOpen(DateTimeOffset instant) => calendar.IsWorkingTime(instant);

    /// <summary>
    /// Sets the steps' durations the reports read (time to claim, to be on site, to fix; from the report) from the
    /// ticket's timestamps. Called on every save of a ticket, so no writer can leave them out of step.
    /// </summary>
    public void Stamp(Ticket ticket)
    {
        ticket.TimeToClaim = Elapsed(ticket, ticket.ClaimedAt);
        ticket.TimeToOnSite = Elapsed(ticket, ticket.OnSiteAt);
        ticket.TimeToResolve = Elapsed(ticket, ticket.ResolvedAt);
    }

    private TimeSpan? Elapsed(Ticket ticket, DateTimeOffset? at) =>
        at is { } to ? Between(ticket.Priority, ticket.Category, ticket.ReportedAt, to) : null;

    /// <summary>
    /// The card's countdown for an unclaimed ticket: time left or over, on the ticket's own time. Out of hours a
    /// school-time ticket says when it is due instead ("due Mon 07:50"), since nothing counts down until the office opens.
    /// </summary>
    public Countdown CountdownOf(TicketPriority priority, TicketCategory category, DateTimeOffset queuedAt, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var wall = CountsWallTime(priority, category);
        if (now >= dueAt)
        {
            var over = Between(priority, category, dueAt, now);
            return new Countdown("late", over >= TimeSpan.FromMinutes(1)
                ? L["{0} over target", Durations.Short(over)]
                : L["over target since {0}", DayAndTime(dueAt, now)]);
        }
        if (!wall && !calendar.IsWorkingTime(now))
        {
            return new Countdown("waiting", L["due {0}", DayAndTime(dueAt, now)]);
        }
        var left = Between(priority, category, now, dueAt);
        var total = Between(priority, category, queuedAt, dueAt);
        return new Countdown(left < total / 2 ? "soon" : "ok",
            left < TimeSpan.FromMinutes(1) ? L["under 1 min left"] : L["{0} left", Durations.Short(left)]);
    }

    /// <summary>"07:50" today, "Mon 07:50" within a week either way, "Mon 7 Dec 07:50" further off; in school time.</summary>
    /// <remarks>In the current culture: a ticket's history writes it in the school's (<see cref="TicketEdit.InSchoolLanguage"/>).</remarks>
    public string DayAndTime(DateTimeOffset instant, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(instant, calendar.Zone);
        var today = TimeZoneInfo.ConvertTime(now, calendar.Zone).Date;
        var days = (local.Date - today).TotalDays;
        // In the reader's culture and word order ("Mon 07:50", "周一 07:50"); the formats are translated texts.
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        return days == 0 ? local.ToString("HH:mm", culture)
            : Math.Abs(days) < 7 ? local.ToString(L["ddd HH:mm"], culture)
            : local.ToString(L["ddd d MMM HH:mm"], culture);
    }

    /// <summary>
    /// What a reporter is told while the office is closed: when their report was received, when it will be looked at,
    /// and whom to call meanwhile. Null while the office is open. An urgent report or a hazard is not left waiting
    /// (the person on call, else the dispatcher, is alerted at once).
    /// </summary>
    public string? OutOfHoursNotice(TicketPriority priority, TicketCategory category, DateTimeOffset reportedAt, DateTimeOffset now, string? officePhone)
    {
        if (calendar.IsWorkingTime(now))
        {
            return null;
        }
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        var local = TimeZoneInfo.ConvertTime(reportedAt, calendar.Zone);
        var dayName = local.ToString("dddd", culture);
        var day = calendar.SpecialDay(DateOnly.FromDateTime(local.DateTime)) is { Kind: not CalendarDayKind.MakeUpDay } special
            ? L["{0} ({1})", dayName, special.Name]
            : dayName;
        var time = local.ToString("HH:mm", culture);
        var phone = string.IsNullOrWhiteSpace(officePhone) ? null : officePhone.Trim();
        var received = calendar.IsWorkingTime(reportedAt)
            ? L["Received on {0} at {1}. The office has closed since", day, time]
            : L["Received on {0} at {1}, outside office hours", day, time];
        if (CountsWallTime(priority, category))
        {
            // Not "the person on call has it": there may be nobody on call, and a reporter must not wait on a promise.
            return phone is null
                ? L["{0}: urgent reports are passed on at once, day and night. If anyone is in danger, tell the nearest member of staff now.", received]
                : L["{0}: urgent reports are passed on at once, day and night. If anyone is in danger, call {1} now.", received, phone];
        }
        var opens = DayAndTime(calendar.NextOpening(now), now);
        return phone is null
            ? L["{0}: the office opens {1}, and your report will be looked at then. Urgent or dangerous? Tell the nearest member of staff.", received, opens]
            : L["{0}: the office opens {1}, and your report will be looked at then. Urgent or dangerous? Call {2}.", received, opens, phone];
    }
}

/// <summary>The response clock as the calendar and the settings have it now (the calendar is cached until it changes).</summary>
public sealed class ResponseClocks(CalendarPeriods periods, IOptions<DispatchOptions> options)
{
    public async ValueTask<ResponseClock> NowAsync(CancellationToken ct = default) =>
        new(await periods.WorkingCalendarAsync(ct), options.Value.ResponseTargets);

    /// <summary>The clock from the calendar as last built, without waiting; null right after a change (until it is built again).</summary>
    public ResponseClock? Current => periods.Cached is { } calendar ? new(calendar, options.Value.ResponseTargets) : null;
}
