using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Meetings.MeetingsText;

namespace DispatchBoard.Web.Meetings;

public sealed record SeriesDto(int Id, string Key, string Name, string Cron, int DurationMinutes, string? Place, string? AgendaTemplate, string AttendeeRoles, bool IsActive);

public sealed record SeriesInput(string? Name, string? Cron, int DurationMinutes, string? Place, string? AgendaTemplate, string? AttendeeRoles, bool IsActive);

public sealed record OneOffInput(string? Title, DateTimeOffset? StartsAt, int DurationMinutes, string? Place, string? Agenda, IReadOnlyList<string>? AttendeeRoles);

/// <summary>
/// When the school's meetings happen: recurring series (the monthly staff meeting), the two planning meetings of each
/// semester, and one-off meetings. The scheduler puts occurrences in the calendar ahead of time; each has a unique
/// occurrence key, so running it again (or on two instances, or after a restart) creates nothing twice. What happens at
/// a meeting (agenda, minutes, attendance) is <see cref="MeetingService"/>'s.
/// </summary>
public sealed class MeetingScheduler(
    IDbContextFactory<DispatchDbContext> dbFactory,
    MeetingService meetings,
    IOptions<MeetingOptions> options,
    DispatchNotifier notifier,
    AuditLog audit,
    CalendarPeriods calendarPeriods,
    NotificationService notifications,
    SchoolClock clock)
{
    /// <summary>Adds the series named in configuration that the database does not have yet.</summary>
    public async Task SyncConfigurationAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.MeetingSeries.Select(s => s.Key).ToListAsync(ct);
        foreach (var series in options.Value.Series.Where(s => !keys.Contains(s.Key)))
        {
            db.MeetingSeries.Add(new MeetingSeries
            {
                Key = series.Key, Name = series.Name, Cron = series.Cron, DurationMinutes = series.DurationMinutes, Place = series.Place,
                AgendaTemplate = series.Agenda, AttendeeRoles = series.AttendeeRoles,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Creates the meetings of the coming <see cref="MeetingOptions.HorizonDays"/> that do not exist yet, on the days the
    /// school calendar allows (<see cref="HolidayMoves"/>): a series occurrence on a holiday moves to the next school day
    /// or is skipped (Meetings:OnHoliday), planning meetings land on school days. An occurrence keeps its key wherever it
    /// lands. First, auto-created meetings not yet held whose day has since become a holiday are moved or cancelled
    /// (<see cref="FollowCalendarAsync"/>).
    /// </summary>
    public async Task<int> ScheduleAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.UtcNow;
        var horizon = now.AddDays(o.HorizonDays);
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        await FollowCalendarAsync(calendar, now, ct);
        List<MeetingSeries> series;
        List<Semester> semesters;
        HashSet<string> existing;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            series = await db.MeetingSeries.AsNoTracking().Where(s => s.IsActive).ToListAsync(ct);
            var today = clock.LocalDate(now);
            var earliestStart = today.AddDays(-o.PlanningAfterStartDays - 1);
            var latestStart = clock.LocalDate(horizon).AddDays(o.PlanningBeforeStartDays + 1);
            semesters = await db.Semesters.AsNoTracking().Where(s => s.StartsOn >= earliestStart && s.StartsOn <= latestStart).ToListAsync(ct);
            existing = (await db.Meetings.Where(m => m.StartsAt > now.AddDays(-1)).Select(m => m.OccurrenceKey).ToListAsync(ct)).ToHashSet();
        }

        var wanted = series.SelectMany(s => Occurrences(s, calendar, now, horizon)).ToList();
        foreach (var semester in semesters)
        {
            foreach (var (kind, planned, title) in new[]
                     {
                         (MeetingKind.SemesterBefore, semester.StartsOn.AddDays(-o.PlanningBeforeStartDays), $"Planning before {semester.Name} starts"),
                         (MeetingKind.SemesterAfter, semester.StartsOn.AddDays(o.PlanningAfterStartDays), $"Planning after {semester.Name} started"),
                     })
            {
                if (HolidayMoves.PlanningDay(calendar, planned, kind == MeetingKind.SemesterBefore ? semester.StartsOn : null, clock.LocalDate(now)) is not { } day)
                {
                    continue;
                }
                var start = clock.At(day, o.PlanningTime);
                if (start > now && start <= horizon)
                {
                    wanted.Add(new Meeting
                    {
                        Kind = kind, SemesterId = semester.Id, Title = title, StartsAt = start, EndsAt = start.AddMinutes(o.PlanningDurationMinutes),
                        Place = o.PlanningPlace, Agenda = kind == MeetingKind.SemesterBefore
                            ? "1. The checklist of work before school opens\n2. Owners and dates\n3. Purchases needing approval"
                            : "1. How the opening went\n2. This semester's priorities and the monthly work accounts\n3. Suggestions for the principal",
                        OccurrenceKey = $"semester:{semester.Id}:{(kind == MeetingKind.SemesterBefore ? "before" : "after")}",
                    });
                }
            }
        }

        var created = 0;
        foreach (var meeting in wanted.Where(m => !existing.Contains(m.OccurrenceKey)))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var roles = meeting.SeriesId is { } sid ? series.First(s => s.Id == sid).AttendeeRoles : o.PlanningAttendeeRoles;
            foreach (var userId in await AttendeesAsync(db, roles, ct))
            {
                meeting.Attendees.Add(new MeetingAttendee { UserId = userId });
            }
            db.Meetings.Add(meeting);
            try
            {
                await db.SaveChangesAsync(ct);
                created++;
            }
            catch (DbUpdateException)
            {
                if (!await OccurrenceExistsAsync(meeting.OccurrenceKey, ct))
                {
                    throw;
                }
            }
        }
        if (created > 0)
        {
            notifier.Publish(new MeetingsChanged(null));
        }
        return created;
    }

    public async Task<IReadOnlyList<SeriesDto>> SeriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MeetingSeries.AsNoTracking().OrderBy(s => s.Name).Select(s => ToDto(s)).ToListAsync(ct);
    }

    /// <summary>
    /// Edits a series: its future meetings without minutes are replaced by ones on the new schedule. The edit, the
    /// deletion and the new meetings are one transaction, so a failure part-way leaves the old schedule and its meetings.
    /// </summary>
    public async Task<ServiceResult<SeriesDto>> UpdateSeriesAsync(int id, SeriesInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<SeriesDto>.Forbidden(L["Only an administrator edits meeting series."]);
        }
        var errors = new ValidationErrors();
        var name = errors.Text("name", L["Name"], input.Name, MeetingSeries.NameMaxLength, required: true);
        var place = errors.Text("place", L["Place"], input.Place, MeetingSeries.PlaceMaxLength, required: false);
        var agenda = errors.Text("agendaTemplate", L["Agenda"], input.AgendaTemplate, MeetingSeries.TextMaxLength, required: false);
        if (!Cron.IsValid(input.Cron))
        {
            errors.Add("cron", L["'{0}' is not a schedule; e.g. \"0 16 * * MON#1\" is the first Monday of the month at 16:00.", input.Cron]);
        }
        if (input.DurationMinutes is < 5 or > 600)
        {
            errors.Add("durationMinutes", L["A meeting lasts between 5 minutes and 10 hours."]);
        }
        var roles = CheckRoles(input.AttendeeRoles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), errors);
        if (errors.Any)
        {
            return ServiceResult<SeriesDto>.Invalid(errors);
        }
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<SeriesDto>.Forbidden(L["Only an administrator edits meeting series."]);
        }
        // Begun before the series is read: a second edit at the same moment waits for this one, then replaces its meetings in turn.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var series = await db.MeetingSeries.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (series is null)
        {
            return ServiceResult<SeriesDto>.NotFound(L["There is no meeting series #{0}.", id]);
        }
        var before = Describe(series);
        (series.Name, series.Cron, series.DurationMinutes, series.Place, series.AgendaTemplate, series.AttendeeRoles, series.IsActive) =
            (name!, input.Cron!.Trim(), input.DurationMinutes, place, agenda, string.Join(",", roles), input.IsActive);
        // The standing meetings are the one school setting an administrator changes in the app; the line goes in this transaction.
        audit.Stage(db, AuditEvent.By(actor, AuditKind.SettingsChanged, $"Meeting series {series.Name}", $"{before} → {Describe(series)}"));
        await db.Meetings.Where(m => m.SeriesId == id && m.StartsAt > now && m.Minutes == null).ExecuteDeleteAsync(ct);
        if (series.IsActive)
        {
            // The same occurrence keys the scheduler makes, so its next run finds these and adds nothing.
            var kept = (await db.Meetings.Where(m => m.SeriesId == id && m.StartsAt > now).Select(m => m.OccurrenceKey).ToListAsync(ct)).ToHashSet();
            var attendees = await AttendeesAsync(db, roles, ct);
            var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
            foreach (var meeting in Occurrences(series, calendar, now, now.AddDays(options.Value.HorizonDays)).Where(m => !kept.Contains(m.OccurrenceKey)))
            {
                meeting.Attendees.AddRange(attendees.Select(userId => new MeetingAttendee { UserId = userId }));
                db.Meetings.Add(meeting);
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(new MeetingsChanged(null));
        return ServiceResult<SeriesDto>.Ok(ToDto(series));
    }

    private static string Describe(MeetingSeries s) =>
        $"\"{s.Name}\" {s.Cron}, {s.DurationMinutes} min, {s.Place ?? "no place"}, for {s.AttendeeRoles}{(s.IsActive ? "" : ", paused")}";

    public async Task<ServiceResult<MeetingDto>> CreateOneOffAsync(OneOffInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin && !actor.CanDispatch)
        {
            return ServiceResult<MeetingDto>.Forbidden(L["Only the office (dispatcher or admin) schedules meetings."]);
        }
        var errors = new ValidationErrors();
        var title = errors.Text("title", L["Title"], input.Title, Meeting.TitleMaxLength, required: true);
        var place = errors.Text("place", L["Place"], input.Place, MeetingSeries.PlaceMaxLength, required: false);
        var agenda = errors.Text("agenda", L["Agenda"], input.Agenda, MeetingSeries.TextMaxLength, required: false);
        if (input.StartsAt is not { } start)
        {
            errors.Add("startsAt", L["Say when the meeting starts."]);
        }
        else if (start <= clock.UtcNow)
        {
            errors.Add("startsAt", L["The start is in the past."]);
        }
        if (input.DurationMinutes is < 5 or > 600)
        {
            errors.Add("durationMinutes", L["A meeting lasts between 5 minutes and 10 hours."]);
        }
        var roles = CheckRoles(input.AttendeeRoles, errors);
        if (errors.Any)
        {
            return ServiceResult<MeetingDto>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var meeting = new Meeting
        {
            Kind = MeetingKind.OneOff, Title = title!, StartsAt = input.StartsAt!.Value, EndsAt = input.StartsAt.Value.AddMinutes(input.DurationMinutes),
            Place = place, Agenda = agenda, OccurrenceKey = $"oneoff:{Guid.NewGuid():N}",
        };
        foreach (var userId in await AttendeesAsync(db, roles, ct))
        {
            meeting.Attendees.Add(new MeetingAttendee { UserId = userId });
        }
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(ct);
        notifier.Publish(new MeetingsChanged(meeting.Id));
        return ServiceResult<MeetingDto>.Ok((await meetings.GetAsync(meeting.Id, ct))!);
    }

    public async Task<ServiceResult<MeetingDto>> CancelAsync(int id, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin && !actor.CanDispatch)
        {
            return ServiceResult<MeetingDto>.Forbidden(L["Only the office (dispatcher or admin) cancels meetings."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var changed = await db.Meetings.Where(m => m.Id == id && m.CancelledAt == null && m.StartsAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.CancelledAt, now), ct);
        if (changed == 0)
        {
            return await db.Meetings.AnyAsync(m => m.Id == id, ct)
                ? ServiceResult<MeetingDto>.Conflict(L["Only a future meeting that is not cancelled can be cancelled."])
                : ServiceResult<MeetingDto>.NotFound(L["There is no meeting #{0}.", id]);
        }
        notifier.Publish(new MeetingsChanged(id));
        return ServiceResult<MeetingDto>.Ok((await meetings.GetAsync(id, ct))!);
    }

    /// <summary>
    /// A series' meetings starting after <paramref name="from"/> up to <paramref name="to"/> as the calendar places them,
    /// keyed by series and the start the schedule gave (so a moved occurrence keeps its key, and a skipped one has none).
    /// </summary>
    private IEnumerable<Meeting> Occurrences(MeetingSeries series, WorkingCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var o = options.Value;
        // From a little earlier: an occurrence on a holiday just past may have moved to a day still ahead.
        foreach (var planned in clock.Occurrences(series.Cron, from.AddDays(-o.MoveWithinDays), to))
        {
            if (HolidayMoves.MeetingDay(calendar, clock.LocalDate(planned), o.HolidayPolicy, o.MoveWithinDays) is not { } day)
            {
                continue;
            }
            var start = day == clock.LocalDate(planned) ? planned : clock.At(day, TimeOnly.FromTimeSpan(clock.ToLocal(planned).TimeOfDay));
            if (start <= from)
            {
                continue;
            }
            yield return new Meeting
            {
                Kind = MeetingKind.Series, SeriesId = series.Id, Title = series.Name, StartsAt = start, EndsAt = start.AddMinutes(series.DurationMinutes),
                Place = series.Place, Agenda = series.AgendaTemplate, OccurrenceKey = $"series:{series.Id}:{planned.ToUnixTimeSeconds()}",
            };
        }
    }

    /// <summary>
    /// Meetings created by the scheduler (series occurrences, planning meetings), not yet held, not cancelled and without
    /// minutes, whose day has since become a holiday: each is cancelled and, unless skipped, replaced by a meeting on the
    /// day the rules give now (same attendees; its key is the old one with the new start appended), and every attendee
    /// is told. Reminders follow by themselves: the cancelled meeting gets none, the new one gets its own. The
    /// cancellation is a conditional update, so of two runs at once one moves the meeting and tells once. A one-off
    /// meeting is someone's deliberate choice and stays where it is; a meeting moved once stays moved if the holiday is
    /// later removed.
    /// </summary>
    private async Task<int> FollowCalendarAsync(WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        List<Meeting> affected;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            affected = (await db.Meetings.AsNoTracking().Include(m => m.Attendees).Include(m => m.Semester)
                    .Where(m => m.StartsAt > now && m.CancelledAt == null && m.Minutes == null && m.Kind != MeetingKind.OneOff)
                    .ToListAsync(ct))
                .Where(m => calendar.IsHoliday(clock.LocalDate(m.StartsAt)))
                .ToList();
        }
        var changed = 0;
        foreach (var old in affected)
        {
            var oldDay = clock.LocalDate(old.StartsAt);
            var newDay = old.Kind == MeetingKind.Series
                ? HolidayMoves.MeetingDay(calendar, oldDay, o.HolidayPolicy, o.MoveWithinDays)
                : HolidayMoves.PlanningDay(calendar, oldDay, old.Kind == MeetingKind.SemesterBefore ? old.Semester?.StartsOn : null, clock.LocalDate(now));
            var newStart = newDay is { } d ? clock.At(d, TimeOnly.FromTimeSpan(clock.ToLocal(old.StartsAt).TimeOfDay)) : (DateTimeOffset?)null;
            if (newStart <= now)
            {
                newStart = null;
            }
            var key = newStart is { } moved ? $"{old.OccurrenceKey}>{moved.ToUnixTimeSeconds()}" : null;
            if (key?.Length > Meeting.OccurrenceKeyMaxLength)
            {
                newStart = null;
                key = null;
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var oldStart = old.StartsAt;
            if (await db.Meetings.Where(m => m.Id == old.Id && m.CancelledAt == null && m.Minutes == null && m.StartsAt == oldStart)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.CancelledAt, now), ct) != 1)
            {
                continue;
            }
            Meeting? replacement = null;
            if (newStart is { } start)
            {
                replacement = new Meeting
                {
                    Kind = old.Kind, SeriesId = old.SeriesId, SemesterId = old.SemesterId, Title = old.Title, StartsAt = start,
                    EndsAt = start + (old.EndsAt - old.StartsAt), Place = old.Place, Agenda = old.Agenda, OccurrenceKey = key!,
                };
                replacement.Attendees.AddRange(old.Attendees.Select(a => new MeetingAttendee { UserId = a.UserId }));
                db.Meetings.Add(replacement);
                await db.SaveChangesAsync(ct);
            }
            var holidayName = calendar.SpecialDay(oldDay)?.Name;
            var was = clock.ToLocal(old.StartsAt);
            // Each attendee reads it in their language (see ReaderText).
            string Holiday() => holidayName ?? L["a holiday"];
            var alerts = old.Attendees.Select(a => replacement is null
                ? new NewNotification(a.UserId, NotificationKind.Reminder, ReaderText.Write(() => L["Cancelled: {0}", old.Title]),
                    ReaderText.Write(() => L["{0} is now {1}; this meeting does not take place.", Dates.DayAndTime(was), Holiday()]), null, $"/meetings/{old.Id}",
                    $"meeting-cancelled:{old.Id}:{a.UserId}", ExpiresAt: old.StartsAt)
                : new NewNotification(a.UserId, NotificationKind.Reminder, ReaderText.Write(() => L["Moved: {0}", old.Title]),
                    ReaderText.Write(() => replacement.Place is null
                        ? L["Now {0} (was {1}: {2}).", Dates.DayAndTime(clock.ToLocal(replacement.StartsAt)), Dates.Day(was), Holiday()]
                        : L["Now {0} · {1} (was {2}: {3}).", Dates.DayAndTime(clock.ToLocal(replacement.StartsAt)), replacement.Place, Dates.Day(was), Holiday()]),
                    null, $"/meetings/{replacement.Id}",
                    $"meeting-moved:{old.Id}:{a.UserId}", ExpiresAt: replacement.StartsAt)).ToList();
            var staged = await notifications.StageAsync(db, alerts, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(CancellationToken.None);
            notifications.Announce(staged);
            changed++;
        }
        if (changed > 0)
        {
            notifier.Publish(new MeetingsChanged(null));
        }
        return changed;
    }

    private static SeriesDto ToDto(MeetingSeries s) =>
        new(s.Id, s.Key, s.Name, s.Cron, s.DurationMinutes, s.Place, s.AgendaTemplate, s.AttendeeRoles, s.IsActive);

    private static List<string> CheckRoles(IEnumerable<string>? roles, ValidationErrors errors)
    {
        var list = new List<string>();
        foreach (var role in roles ?? [])
        {
            var known = Roles.All.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors.Add("attendeeRoles", L["'{0}' is not a role; use {1}.", role, string.Join(", ", Roles.All)]);
            }
            else if (!list.Contains(known))
            {
                list.Add(known);
            }
        }
        if (list.Count == 0 && !errors.Any)
        {
            errors.Add("attendeeRoles", L["Say who attends (one or more roles)."]);
        }
        return list;
    }

    private static async Task<List<string>> AttendeesAsync(DispatchDbContext db, string roles, CancellationToken ct)
    {
        var names = roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return await AttendeesAsync(db, names, ct);
    }

    private static Task<List<string>> AttendeesAsync(DispatchDbContext db, IEnumerable<string> roles, CancellationToken ct)
    {
        var names = roles.ToList();
        return (from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                join u in db.Users on ur.UserId equals u.Id
                where names.Contains(r.Name!) && u.IsActive
                select u.Id).Distinct().ToListAsync(ct);
    }

    private async Task<bool> OccurrenceExistsAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Meetings.AnyAsync(m => m.OccurrenceKey == key, ct);
    }
}
