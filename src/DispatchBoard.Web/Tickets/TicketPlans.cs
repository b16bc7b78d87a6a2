using System.Globalization;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>When a planned repair is to be done: the next break, after school, or a time the person chose.</summary>
public enum PlanSlot
{
    NextBreak,
    AfterSchool,
    At,
}

/// <param name="At">The chosen time (an instant; today or tomorrow, not during a lesson), with <see cref="PlanSlot.At"/>.</param>
public sealed record PlanTicket(PlanSlot? Slot, DateTimeOffset? At = null);

/// <summary>
/// Repairs that respect teaching: a non-urgent job in a teaching room can be planned for the next break, for after
/// school or for a chosen time today or tomorrow (<see cref="Ticket.PlannedFor"/>), and the plan cleared. The dispatcher
/// plans any such job, a staff member the jobs they claimed. Every plan is a change of the ticket like any other
/// (<see cref="TicketChanges.UpdateAsync"/>: version-checked, on the timeline, published live).
/// </summary>
public sealed class TicketPlans(TicketChanges changes, LessonBells bells, SchoolClock clock)
{
    /// <summary>Whether a report of this priority and category may wait for a break: urgent reports and hazards never do.</summary>
    public static bool MayWait(TicketPriority priority, TicketCategory category) => !ResponseClock.CountsWallTime(priority, category);

    /// <summary>Whether a ticket is a job the lessons concern: open, waiting for its repair, non-urgent, in a teaching room.</summary>
    public static bool RespectsLessons(TicketDto t) =>
        t.InTeachingRoom && MayWait(t.Priority, t.Category) && t.Status is TicketStatus.New or TicketStatus.Claimed or TicketStatus.OnSite;

    /// <summary>
    /// What a card says while a lesson is on in the ticket's teaching room: "Lesson until 09:40 · next break 09:40–10:00"
    /// (or "· after school 16:35" during the last lesson); null when the lessons do not concern the ticket or none is on.
    /// </summary>
    public static string? LessonLine(TicketDto t, BellSchedule? bells, SchoolClock clock, DateTimeOffset now)
    {
        if (bells is null || !RespectsLessons(t) || bells.LessonAt(now) is not { } lesson)
        {
            return null;
        }
        string Time(DateTimeOffset instant) => clock.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);
        return bells.NextBreak(now) is { } next
            ? L["Lesson until {0} · next break {1}–{2}", Time(lesson.End), Time(next.Start), Time(next.End)]
            : L["Lesson until {0} · after school {1}", Time(lesson.End), Time(lesson.End)];
    }

    /// <summary>"Planned for 12:10" (or "tomorrow 08:00") on an open ticket with a plan; null otherwise.</summary>
    public static string? PlannedLine(TicketDto t, SchoolClock clock, DateTimeOffset now) =>
        t.PlannedFor is { } at && t.Status is TicketStatus.New or TicketStatus.Claimed or TicketStatus.OnSite
            ? L["Planned for {0}", Describe(clock, at, now)]
            : null;

    public async Task<ServiceResult<TicketDto>> PlanAsync(int ticketId, PlanTicket input, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (input.Slot is not { } slot || !Enum.IsDefined(slot))
        {
            errors.Add("slot", L["Say when: one of {0} (At with a time).", EnumNames.List<PlanSlot>()]);
            slot = default;
        }
        else if (slot == PlanSlot.At && input.At is null)
        {
            errors.Add("at", L["Give the time to plan the repair for."]);
        }
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        var schedule = await bells.ScheduleAsync(ct);

        return await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            if (Refusal(actor, staff?.Id, ticket) is { } refusal)
            {
                edit.Refuse(refusal);
                return;
            }
            var area = await edit.Db.Areas.AsNoTracking().Where(a => a.Id == ticket.AreaId).Select(a => new { a.Name, a.IsTeachingRoom }).FirstAsync(token);
            if (!area.IsTeachingRoom)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(L["{0} is not a teaching room: there are no lessons to wait for.", area.Name]));
                return;
            }
            var now = edit.Now;
            var problems = new ValidationErrors();
            DateTimeOffset? when = null;
            Func<string>? why = null; // written in the school's language, with the history's note
            switch (slot)
            {
                case PlanSlot.NextBreak when schedule.NextBreak(now) is { } next:
                    (when, why) = (next.Start, () => L["next break {0}–{1}", Time(next.Start), Time(next.End)]);
                    break;
                case PlanSlot.NextBreak:
                    problems.Add("slot", L["No break is left today: plan it for after school or for a time."]);
                    break;
                case PlanSlot.AfterSchool when schedule.AfterSchool(now) is { } end && end > now:
                    (when, why) = (end, () => L["after school"]);
                    break;
                case PlanSlot.AfterSchool:
                    problems.Add("slot", L["Lessons are over for today: go now, or plan a time tomorrow."]);
                    break;
                default:
                    var at = input.At!.Value.ToUniversalTime();
                    var endOfTomorrow = clock.StartOf(clock.LocalDate(now).AddDays(2));
                    if (at <= now)
                    {
                        problems.Add("at", L["{0} has passed: plan a later time.", Describe(at, now)]);
                    }
                    else if (at >= endOfTomorrow)
                    {
                        problems.Add("at", L["Plan it for today or tomorrow."]);
                    }
                    else if (!edit.Clock.IsOpen(at))
                    {
                        // Nobody is in to do it, and its reminder would ring on a holiday or at night.
                        problems.Add("at", L["{0} is outside the school's working hours: plan it for a time the office is open.", Describe(at, now)]);
                    }
                    else if (schedule.LessonAt(at) is { } lesson)
                    {
                        problems.Add("at", L["{0} is during a lesson ({1}–{2}): plan it for a break or after school.", Describe(at, now), Time(lesson.Start), Time(lesson.End)]);
                    }
                    else
                    {
                        when = at;
                    }
                    break;
            }
            if (problems.Any)
            {
                edit.Refuse(ServiceResult<TicketDto>.Invalid(problems));
                return;
            }
            ticket.PlannedFor = when;
            ticket.ResponseDueAt = edit.Clock.DueAt(ticket.Priority, ticket.Category, ticket.QueuedAt, ticket.PlannedFor);
            edit.Record(TicketEventKind.Planned, actor, staff, () => why is null
                ? L["Planned for {0}", Describe(clock, when!.Value, now)]
                : L["Planned for {0} ({1})", Describe(clock, when!.Value, now), why()]);
        }, ct);
    }

    public Task<ServiceResult<TicketDto>> ClearAsync(int ticketId, Actor actor, CancellationToken ct = default) =>
        changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            // Whether a ticket is planned is on every board: saying so first tells nobody anything new.
            if (ticket.PlannedFor is null)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(L["Ticket #{0} is not planned for any time.", ticketId]));
                return;
            }
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            if (!actor.CanDispatch && (staff is null || ticket.ClaimedById != staff.Id))
            {
                edit.Refuse(ServiceResult<TicketDto>.Forbidden(L["Only the dispatcher or the person who claimed the job changes its plan."]));
                return;
            }
            ticket.PlannedFor = null;
            ticket.ResponseDueAt = edit.Clock.DueAt(ticket.Priority, ticket.Category, ticket.QueuedAt);
            edit.Record(TicketEventKind.Planned, actor, staff, () => L["Plan cleared: do it when you can"]);
        }, ct);

    private static ServiceResult<TicketDto>? Refusal(Actor actor, int? staffId, Ticket ticket)
    {
        if (!actor.CanDispatch && (staffId is null || ticket.ClaimedById != staffId))
        {
            return ServiceResult<TicketDto>.Forbidden(L["Only the dispatcher or the person who claimed the job plans it."]);
        }
        if (ticket.Status is not (TicketStatus.New or TicketStatus.Claimed or TicketStatus.OnSite))
        {
            return ServiceResult<TicketDto>.Conflict(L["Ticket #{0} is {1}: only an open job waiting for its repair is planned.", ticket.Id, ticket.Status.Label().ToLowerInvariant()]);
        }
        if (!MayWait(ticket.Priority, ticket.Category))
        {
            return ServiceResult<TicketDto>.Conflict(L["An urgent report or a safety hazard does not wait for a break: go now."]);
        }
        return null;
    }

    private string Time(DateTimeOffset instant) => clock.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"12:10" today, "tomorrow 08:00", else the day and time, in school time.</summary>
    private string Describe(DateTimeOffset instant, DateTimeOffset now) => Describe(clock, instant, now);

    /// <inheritdoc cref="Describe(DateTimeOffset, DateTimeOffset)"/>
    /// <remarks>In the current culture: a ticket's history writes it in the school's (<see cref="TicketEdit.InSchoolLanguage"/>).</remarks>
    public static string Describe(SchoolClock clock, DateTimeOffset instant, DateTimeOffset now)
    {
        var day = clock.LocalDate(instant);
        var today = clock.LocalDate(now);
        var time = clock.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);
        return day == today ? time
            : day == today.AddDays(1) ? L["tomorrow {0}", time]
            : clock.ToLocal(instant).ToString(L["ddd d MMM HH:mm"], CultureInfo.CurrentCulture);
    }
}
