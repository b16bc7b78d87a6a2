using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Inspections.InspectionsText;

namespace DispatchBoard.Web.Inspections;

public sealed record RoundSummary(int Id, int AreaId, string AreaName, string AreaPath, DateOnly WeekOf, DateTimeOffset DueAt, int? AssignedToId,
    string? AssignedTo, int Total, int Done, int Hazards, DateTimeOffset? CompletedAt)
{
    public bool IsOverdue(DateTimeOffset now) => CompletedAt is null && now >= DueAt;
}

public sealed record RoundItemDto(int Id, int AreaId, string AreaName, string Text, InspectionResult Result, string? Note, int? TicketId, string? TicketCode);

public sealed record RoundDetail(RoundSummary Round, IReadOnlyList<RoundItemDto> Items);

/// <summary>What a staff member records for one checklist line.</summary>
public sealed record CheckRecord(InspectionResult Result, string? Note, string? Hazard = null, bool FixedOnTheSpot = false,
    string? FixNote = null, bool Urgent = false, IReadOnlyList<PhotoUpload>? Photos = null);

/// <summary>
/// The weekly safety rounds: one per area group (a floor, an outdoor area, a building without floors) per week, assigned
/// to the group's owner, with a checklist made from its rooms' kinds. Staff mark each line; a hazard becomes a ticket
/// (open, or resolved on the spot).
/// </summary>
public sealed class InspectionService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    TicketIntake intake,
    DispatchNotifier notifier,
    CalendarPeriods calendarPeriods,
    NotificationService notifications,
    SchoolClock clock)
{
    /// <summary>The places a round covers: floors, outdoor areas, and buildings that have no floors.</summary>
    public static IReadOnlyList<AreaInfo> Groups(AreaDirectory.Snapshot snapshot)
    {
        var live = snapshot.InTreeOrder.Where(a => !a.IsRetired).ToList();
        var hasChildren = live.Where(a => a.ParentId is not null).Select(a => a.ParentId!.Value).ToHashSet();
        return live.Where(a => a.Level is AreaLevel.Floor or AreaLevel.Outdoor || (a.Level == AreaLevel.Building && !hasChildren.Contains(a.Id)))
            .ToList();
    }

    /// <summary>
    /// Creates this week's rounds for every group that has none, once the schedule has fired this week: a start before
    /// Monday's time changes nothing, and a start after it (even days later in the week) catches the week up, once.
    /// The school calendar decides the day (<see cref="HolidayMoves.RoundDay"/>): a holiday week has no rounds, and when
    /// the scheduled day is a holiday the rounds are created at the firing for the first school day after it, at the
    /// same time of day.
    /// </summary>
    public async Task<int> CreateWeekAsync(string schedule, CancellationToken ct = default)
    {
        // Only this school week's firing counts: a first start late in a week does not invent last week's rounds.
        var weekStart = clock.StartOf(SchoolClock.MondayOf(clock.LocalDate(clock.UtcNow)));
        if (clock.LatestOccurrence(schedule, clock.UtcNow - weekStart) is not { } fired)
        {
            return 0;
        }
        var weekOf = SchoolClock.MondayOf(clock.LocalDate(fired));
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        if (HolidayMoves.RoundDay(calendar, clock.LocalDate(fired)) is not { } roundDay)
        {
            return 0;
        }
        var scheduledFor = roundDay == clock.LocalDate(fired) ? fired : clock.At(roundDay, TimeOnly.FromTimeSpan(clock.ToLocal(fired).TimeOfDay));
        var snapshot = await areas.GetAsync(ct);
        var groups = Groups(snapshot);
        Dictionary<AreaKind, List<string>> checklist;
        HashSet<int> done;
        HashSet<int> activeStaff;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            done = (await db.InspectionRounds.Where(r => r.WeekOf == weekOf).Select(r => r.AreaId).ToListAsync(ct)).ToHashSet();
            checklist = (await db.ChecklistItems.OrderBy(i => i.SortOrder).ToListAsync(ct))
                .GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.Select(i => i.Text).ToList());
            activeStaff = await StaffService.ActiveIdsAsync(db, ct);
        }

        var created = 0;
        foreach (var group in groups.Where(g => !done.Contains(g.Id)))
        {
            var round = new InspectionRound
            {
                AreaId = group.Id,
                WeekOf = weekOf,
                ScheduledFor = scheduledFor,
                DueAt = clock.EndOfDay(scheduledFor),
                AssignedToId = group.EffectiveOwnerId is { } owner && activeStaff.Contains(owner) ? owner : null,
                CreatedAt = clock.UtcNow,
            };
            var order = 0;
            foreach (var place in PlacesIn(group, snapshot))
            {
                var lines = checklist.GetValueOrDefault(place.Kind) ?? checklist.GetValueOrDefault(AreaKind.General) ?? [];
                foreach (var line in lines)
                {
                    round.Items.Add(new InspectionItem { AreaId = place.Id, Text = line, SortOrder = order++ });
                }
            }
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.InspectionRounds.Add(round);
            try
            {
                await db.SaveChangesAsync(ct);
                created++;
            }
            catch (DbUpdateException)
            {
                if (!await RoundExistsAsync(group.Id, weekOf, ct))
                {
                    throw;
                }
                // Another run (or instance) created this round a moment ago: the unique index kept it to one.
            }
        }
        if (created > 0)
        {
            notifier.Publish(new RoundsChanged(weekOf));
        }
        return created;
    }

    /// <summary>
    /// Rounds already created whose day has since become a holiday (a closure or skeleton day added to the calendar) and
    /// that nobody has started (no line recorded) move to the first school day after it in their week, or are removed
    /// when the week has none left; the person doing the round is told either way. Rounds with a line recorded stay.
    /// The move is a conditional update on the round's old day, so two runs at once move it once and tell once.
    /// </summary>
    public async Task<int> FollowCalendarAsync(CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        List<(int Id, int AreaId, DateOnly WeekOf, DateTimeOffset ScheduledFor, string? UserId)> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            candidates = (await db.InspectionRounds.AsNoTracking()
                    .Where(r => r.CompletedAt == null && r.DueAt > now && r.Items.All(i => i.Result == InspectionResult.Pending))
                    .Select(r => new { r.Id, r.AreaId, r.WeekOf, r.ScheduledFor, UserId = r.AssignedTo == null ? null : r.AssignedTo.UserId })
                    .ToListAsync(ct))
                .Select(r => (r.Id, r.AreaId, r.WeekOf, r.ScheduledFor, r.UserId))
                .Where(r => calendar.IsHoliday(clock.LocalDate(r.ScheduledFor)))
                .ToList();
        }
        if (candidates.Count == 0)
        {
            return 0;
        }
        var snapshot = await areas.GetAsync(ct);
        var changed = 0;
        var weeks = new HashSet<DateOnly>();
        foreach (var round in candidates)
        {
            var day = clock.LocalDate(round.ScheduledFor);
            var holidayName = calendar.SpecialDay(day)?.Name;
            string Holiday() => holidayName ?? L["a holiday"];
            var area = snapshot.ById.GetValueOrDefault(round.AreaId)?.Path ?? $"area #{round.AreaId}";
            var oldAt = round.ScheduledFor;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var unstarted = db.InspectionRounds.Where(r => r.Id == round.Id && r.ScheduledFor == oldAt && r.CompletedAt == null
                && r.Items.All(i => i.Result == InspectionResult.Pending));
            NewNotification? alert;
            if (HolidayMoves.RoundDay(calendar, day) is { } target && target != day)
            {
                var newAt = clock.At(target, TimeOnly.FromTimeSpan(clock.ToLocal(oldAt).TimeOfDay));
                var dueAt = clock.EndOfDay(newAt);
                if (await unstarted.ExecuteUpdateAsync(s => s.SetProperty(r => r.ScheduledFor, newAt).SetProperty(r => r.DueAt, dueAt), ct) != 1)
                {
                    continue;
                }
                alert = round.UserId is { } person
                    ? new NewNotification(person, NotificationKind.Reminder, ReaderText.Write(() => L["Safety round moved to {0}: {1}", Dates.Day(clock.ToLocal(newAt)), area]),
                        ReaderText.Write(() => L["{0} is now {1}; the round is due by the end of {2}.", Dates.Day(clock.ToLocal(oldAt)), Holiday(), Dates.WeekDay(clock.ToLocal(newAt))]), null,
                        $"/rounds/{round.Id}", $"round-moved:{round.Id}:{oldAt.ToUnixTimeSeconds()}:{person}", ExpiresAt: dueAt)
                    : null;
            }
            else
            {
                if (await unstarted.ExecuteDeleteAsync(ct) != 1)
                {
                    continue;
                }
                alert = round.UserId is { } person
                    ? new NewNotification(person, NotificationKind.Reminder, ReaderText.Write(() => L["No safety round this week: {0}", area]),
                        ReaderText.Write(() => L["{0} is now {1}, and no school day is left that week.", Dates.Day(clock.ToLocal(oldAt)), Holiday()]), null,
                        "/my", $"round-cancelled:{round.Id}:{person}")
                    : null;
            }
            var staged = alert is null ? [] : await notifications.StageAsync(db, [alert], ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(CancellationToken.None);
            notifications.Announce(staged);
            weeks.Add(round.WeekOf);
            changed++;
        }
        foreach (var week in weeks)
        {
            notifier.Publish(new RoundsChanged(week));
        }
        return changed;
    }

    public async Task<IReadOnlyList<RoundSummary>> WeekAsync(DateOnly? weekOf = null, int? assignedTo = null, CancellationToken ct = default)
    {
        var week = weekOf ?? SchoolClock.MondayOf(clock.LocalDate(clock.UtcNow));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SummariesAsync(db, db.InspectionRounds.Where(r => r.WeekOf == week && (assignedTo == null || r.AssignedToId == assignedTo)), ct);
    }

    /// <summary>The rounds of the staff member a signed-in user is: this week's, and any still overdue from the last two weeks.</summary>
    public async Task<IReadOnlyList<RoundSummary>> MineAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var week = SchoolClock.MondayOf(clock.LocalDate(now));
        var since = now.AddDays(-14);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SummariesAsync(db, db.InspectionRounds.Where(r => r.AssignedTo!.UserId == userId
            && (r.WeekOf == week || (r.CompletedAt == null && r.DueAt <= now && r.DueAt > since))), ct);
    }

    /// <summary>Rounds not finished by their due time, from the last two weeks (what the board flags).</summary>
    public async Task<IReadOnlyList<RoundSummary>> OverdueAsync(CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var since = now.AddDays(-14);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SummariesAsync(db, db.InspectionRounds.Where(r => r.CompletedAt == null && r.DueAt <= now && r.DueAt > since), ct);
    }

    public async Task<RoundDetail?> GetAsync(int roundId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var summary = (await SummariesAsync(db, db.InspectionRounds.Where(r => r.Id == roundId), ct)).FirstOrDefault();
        if (summary is null)
        {
            return null;
        }
        var snapshot = await areas.GetAsync(ct);
        var items = await (from i in db.InspectionItems
                           where i.RoundId == roundId
                           join t in db.Tickets on i.TicketId equals t.Id into linked
                           from t in linked.DefaultIfEmpty()
                           orderby i.SortOrder
                           select new { i, Code = t == null ? null : t.TrackingCode }).ToListAsync(ct);
        return new RoundDetail(summary, items.Select(x => new RoundItemDto(x.i.Id, x.i.AreaId,
            snapshot.ById.GetValueOrDefault(x.i.AreaId)?.Name ?? "", x.i.Text, x.i.Result, x.i.Note, x.i.TicketId, x.Code)).ToList());
    }

    /// <summary>
    /// Records one checklist line. A hazard becomes a ticket in the same step (channel Safety round), open for someone
    /// to fix, or already resolved when it was fixed on the spot. When the last line is checked the round is complete.
    /// </summary>
    public async Task<ServiceResult<RoundItemDto>> RecordAsync(int itemId, CheckRecord record, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var note = errors.Text("note", L["Note"], record.Note, InspectionItem.NoteMaxLength, required: false);
        string? hazard = null;
        string? fix = null;
        if (record.Result == InspectionResult.Pending)
        {
            errors.Add("result", L["Choose OK, hazard or not applicable."]);
        }
        if (record.Result == InspectionResult.Hazard)
        {
            hazard = errors.Text("hazard", L["What the hazard is"], record.Hazard, Ticket.DescriptionMaxLength, required: true);
            if (record.FixedOnTheSpot)
            {
                fix = errors.Text("fixNote", L["What you did"], record.FixNote, Ticket.NoteMaxLength, required: true);
            }
        }
        else if (record.Photos is { Count: > 0 })
        {
            errors.Add("photos", L["Photos go with a hazard."]);
        }
        if (errors.Any)
        {
            return ServiceResult<RoundItemDto>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.InspectionItems.AsNoTracking().Include(i => i.Round).FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null)
        {
            return ServiceResult<RoundItemDto>.NotFound(L["There is no checklist line #{0}.", itemId]);
        }
        if (item.Round!.CompletedAt is { } completed)
        {
            return ServiceResult<RoundItemDto>.Conflict(RoundCompleted(completed));
        }
        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, ct);
        if (staff is null && !actor.CanDispatch)
        {
            return ServiceResult<RoundItemDto>.Forbidden(L["Only staff members record safety rounds."]);
        }
        if (record.FixedOnTheSpot && staff is null)
        {
            var refusal = new ValidationErrors();
            refusal.Add("fixedOnTheSpot", L["Only a staff member who takes jobs records a fix on the spot; report the hazard, and it can be assigned."]);
            return ServiceResult<RoundItemDto>.Invalid(refusal);
        }
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(item.AreaId);
        PreparedReport? report = null;
        if (record.Result == InspectionResult.Hazard)
        {
            var prepared = await intake.PrepareAsync(new ReportTicket(area?.Code, nameof(TicketCategory.SafetyHazard), $"{item.Text}: {hazard}",
                record.Urgent, actor.Name, null, Photos: record.Photos), ct);
            if (!prepared.IsOk)
            {
                return prepared.Cast<RoundItemDto>();
            }
            report = prepared.Value!;
        }
        using (report)
        {
            // The line and the ticket its hazard becomes commit together. The line is written only while it has no ticket
            // and its round is not complete (a conditional update): of two people recording it at once, one makes the
            // ticket, the other is told; a completed round's record stays as it was.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.UtcNow;
            var checkedBy = staff?.Id;
            var written = await db.InspectionItems.Where(i => i.Id == itemId && i.TicketId == null && i.Round!.CompletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Result, record.Result).SetProperty(i => i.Note, note)
                    .SetProperty(i => i.CheckedAt, now).SetProperty(i => i.CheckedById, checkedBy), ct) == 1;
            if (!written)
            {
                var completedMeanwhile = await db.InspectionRounds.Where(r => r.Id == item.RoundId).Select(r => r.CompletedAt).FirstOrDefaultAsync(ct);
                return ServiceResult<RoundItemDto>.Conflict(completedMeanwhile is { } at
                    ? RoundCompleted(at)
                    : L["This line already became a ticket; follow it up there."]);
            }
            StagedTicket? ticket = null;
            if (report is not null)
            {
                ticket = await intake.StageAsync(db, report, TicketChannel.Inspection, actor, record.FixedOnTheSpot ? new FixedOnTheSpot(fix!) : null, ct);
                var ticketId = ticket.Ticket.Id;
                await db.InspectionItems.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.TicketId, ticketId), ct);
            }
            // Complete when no line is pending: one conditional update, right whichever line was recorded last.
            await db.InspectionRounds
                .Where(r => r.Id == item.RoundId && r.CompletedAt == null && !r.Items.Any(i => i.Result == InspectionResult.Pending))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletedAt, now), ct);
            await transaction.CommitAsync(CancellationToken.None);
            ticket?.Publish();
            notifier.Publish(new RoundsChanged(item.Round!.WeekOf));
            return ServiceResult<RoundItemDto>.Ok(new RoundItemDto(item.Id, item.AreaId, area?.Name ?? "", item.Text, record.Result, note,
                ticket?.Ticket.Id, ticket?.Ticket.TrackingCode));
        }
    }

    private string RoundCompleted(DateTimeOffset at) =>
        L["This round was completed on {0}; its record stays as it was. Report anything new as a ticket.", Dates.ShortDayAndTime(clock.ToLocal(at))];

    private static IEnumerable<AreaInfo> PlacesIn(AreaInfo group, AreaDirectory.Snapshot snapshot)
    {
        var inside = snapshot.InTreeOrder.Where(a => !a.IsRetired && a.Id != group.Id && a.Path.StartsWith(group.Path + " › ", StringComparison.Ordinal)
            && a.Level is AreaLevel.Room or AreaLevel.Outdoor).ToList();
        return inside.Count > 0 ? inside : [group];
    }

    private async Task<bool> RoundExistsAsync(int areaId, DateOnly weekOf, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.InspectionRounds.AnyAsync(r => r.AreaId == areaId && r.WeekOf == weekOf, ct);
    }

    private async Task<IReadOnlyList<RoundSummary>> SummariesAsync(DispatchDbContext db, IQueryable<InspectionRound> rounds, CancellationToken ct)
    {
        var rows = await rounds.OrderBy(r => r.DueAt).ThenBy(r => r.AreaId)
            .Select(r => new
            {
                r.Id, r.AreaId, r.WeekOf, r.DueAt, r.AssignedToId, AssignedTo = r.AssignedTo == null ? null : r.AssignedTo.DisplayName, r.CompletedAt,
                Total = r.Items.Count(),
                Done = r.Items.Count(i => i.Result != InspectionResult.Pending),
                Hazards = r.Items.Count(i => i.Result == InspectionResult.Hazard),
            })
            .ToListAsync(ct);
        var snapshot = await areas.GetAsync(ct);
        return rows.Select(r =>
        {
            var area = snapshot.ById.GetValueOrDefault(r.AreaId);
            return new RoundSummary(r.Id, r.AreaId, area?.Name ?? "", area?.Path ?? "", r.WeekOf, r.DueAt, r.AssignedToId, r.AssignedTo,
                r.Total, r.Done, r.Hazards, r.CompletedAt);
        }).ToList();
    }
}
