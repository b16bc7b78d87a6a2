using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

public sealed record RosterSlotInput(int? StaffId, DayOfWeek? Day, string? Start, string? End, RosterKind? Kind);

public sealed record RosterSwapInput(int? SlotId, DateOnly? Date, int? SubstituteId);

public sealed record RosterPerson(int Id, string Name, bool OnDuty);

public sealed record RosterSlotView(int Id, int StaffId, string StaffName, DayOfWeek Day, RosterKind Kind, string Label);

public sealed record RosterSwapView(int Id, int SlotId, DateOnly Date, string SlotLabel, RosterKind Kind, int OwnerId, string OwnerName,
    int SubstituteId, string SubstituteName);

/// <summary>The roster page's snapshot: people, their weekly slots, the occurrences of one week, its swaps, and who is on now.</summary>
public sealed record RosterWeek(
    DateOnly Monday,
    IReadOnlyList<RosterPerson> People,
    IReadOnlyList<RosterSlotView> Slots,
    IReadOnlyList<RosterOccurrence> Occurrences,
    IReadOnlyList<RosterSwapView> Swaps,
    IReadOnlyList<string> OnCallNow,
    IReadOnlyList<string> StandbyNow,
    IReadOnlySet<DateOnly> ClosedDays);

/// <summary>One person's duty as their phone shows it: this week's occurrences, the swaps that touch them, their next on-call.</summary>
public sealed record MyDuty(IReadOnlyList<RosterOccurrence> ThisWeek, IReadOnlyList<RosterSwapView> Swaps, RosterOccurrence? NextOnCall,
    IReadOnlyDictionary<int, string> Names, IReadOnlySet<DateOnly> ClosedDays);

/// <summary>
/// The duty roster: weekly standby and on-call slots per staff member, swaps for a date, and the questions the rest of
/// the app asks of it (who is on call at an instant, when a person's next roster edge is). Administrators edit it.
/// </summary>
public sealed class RosterService(IDbContextFactory<DispatchDbContext> dbFactory, CalendarPeriods calendarPeriods, SchoolClock clock,
    AuditLog audit, Realtime.DispatchNotifier notifier)
{
    /// <summary>How far back the sweep looks for a person's latest edge (a restart after a long outage still settles it).</summary>
    public const int LookBackDays = 15;

    /// <summary>Who is on call at <paramref name="at"/> (swaps applied), or null when nobody is.</summary>
    public async Task<StaffRecipient?> OnCallAsync(DateTimeOffset at, CancellationToken ct = default)
    {
        var date = clock.LocalDate(at);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var occurrences = await OccurrencesAsync(db, date.AddDays(-1), date, ct);
        var covering = occurrences.Where(o => o.Kind == RosterKind.OnCall && o.Covers(at))
            .OrderBy(o => o.Start).ThenBy(o => o.SlotId).ToList();
        foreach (var occurrence in covering)
        {
            if (await Recipients.StaffAsync(db, occurrence.StaffId, ct) is { } recipient)
            {
                return recipient;
            }
        }
        return null;
    }

    /// <summary>The next edge of a person's standby after <paramref name="after"/>; null when the roster does not lead their duty.</summary>
    public async Task<RosterEdge?> NextEdgeAsync(DispatchDbContext db, int staffId, DateTimeOffset after, CancellationToken ct)
    {
        var date = clock.LocalDate(after);
        var occurrences = await OccurrencesAsync(db, date.AddDays(-1), date.AddDays(LookBackDays), ct);
        return Roster.StandbyEdges(occurrences, staffId).FirstOrDefault(e => e.At > after);
    }

    /// <summary>The occurrences of every active person's slots that start on the dates given, swaps and the calendar applied.</summary>
    public async Task<IReadOnlyList<RosterOccurrence>> OccurrencesAsync(DispatchDbContext db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var slots = await db.RosterSlots.AsNoTracking().Where(s => s.Staff!.IsActive).ToListAsync(ct);
        var swaps = await db.RosterSwaps.AsNoTracking().Where(s => s.Date >= from && s.Date <= to && s.Substitute!.IsActive).ToListAsync(ct);
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        return Roster.Occurrences(slots, swaps, calendar, clock.Zone, from, to).ToList();
    }

    public async Task<RosterWeek> WeekAsync(DateOnly anyDay, CancellationToken ct = default)
    {
        var monday = SchoolClock.MondayOf(anyDay);
        var now = clock.UtcNow;
        var today = clock.LocalDate(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await db.Staff.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.DisplayName)
            .Select(s => new RosterPerson(s.Id, s.DisplayName, s.OnDuty)).ToListAsync(ct);
        var names = people.ToDictionary(p => p.Id, p => p.Name);
        var slots = await db.RosterSlots.AsNoTracking().Where(s => s.Staff!.IsActive).ToListAsync(ct);
        var slotViews = slots.OrderBy(s => ((int)s.Day + 6) % 7).ThenBy(s => s.StartMinute)
            .Select(s => new RosterSlotView(s.Id, s.StaffId, names.GetValueOrDefault(s.StaffId, "?"), s.Day, s.Kind, s.Label)).ToList();
        var week = await OccurrencesAsync(db, monday, monday.AddDays(6), ct);
        var around = await OccurrencesAsync(db, today.AddDays(-1), today, ct);
        var swaps = await SwapsAsync(db, s => s.Date >= (monday < today ? monday : today), ct);
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        var closed = Enumerable.Range(0, 7).Select(monday.AddDays).Where(d => !calendar.IsSchoolDay(d)).ToHashSet();
        return new RosterWeek(monday, people, slotViews, week, swaps,
            NamesCovering(around, RosterKind.OnCall, now, names), NamesCovering(around, RosterKind.Standby, now, names), closed);
    }

    public async Task<MyDuty> MyDutyAsync(int staffId, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var today = clock.LocalDate(now);
        var monday = SchoolClock.MondayOf(today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var week = (await OccurrencesAsync(db, monday, monday.AddDays(6), ct))
            .Where(o => o.StaffId == staffId || o.OwnerId == staffId).ToList();
        var ahead = await OccurrencesAsync(db, today.AddDays(-1), today.AddDays(LookBackDays), ct);
        var nextOnCall = ahead.Where(o => o.Kind == RosterKind.OnCall && o.StaffId == staffId && o.End > now).MinBy(o => o.Start);
        var swaps = await SwapsAsync(db, s => s.Date >= today && (s.SubstituteId == staffId || s.Slot!.StaffId == staffId), ct);
        var calendar = await calendarPeriods.WorkingCalendarAsync(ct);
        var closed = Enumerable.Range(0, 7).Select(monday.AddDays).Where(d => !calendar.IsSchoolDay(d)).ToHashSet();
        return new MyDuty(week, swaps, nextOnCall, names, closed);
    }

    public async Task<ServiceResult<RosterSlotView>> AddSlotAsync(RosterSlotInput input, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (input.StaffId is null)
        {
            errors.Add("staffId", L["Choose the staff member."]);
        }
        if (input.Day is not { } day || !Enum.IsDefined(day))
        {
            errors.Add("day", L["Choose the day of the week."]);
            day = default;
        }
        if (!Roster.TryParseTime(input.Start, isEnd: false, out var start))
        {
            errors.Add("start", L["Give the start as HH:mm between 00:00 and 23:59 (e.g. 07:30)."]);
        }
        if (!Roster.TryParseTime(input.End, isEnd: true, out var end))
        {
            errors.Add("end", L["Give the end as HH:mm (e.g. 12:00; 24:00 is midnight; an end before the start runs overnight)."]);
        }
        if (input.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors.Add("kind", L["Say what kind of slot it is: one of {0}.", EnumNames.List<RosterKind>()]);
            kind = default;
        }
        if (errors.Any)
        {
            return ServiceResult<RosterSlotView>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<RosterSlotView>.Forbidden(L["Only an administrator edits the duty roster."]);
        }
        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == input.StaffId, ct);
        if (staff is not { IsActive: true })
        {
            errors.Add("staffId", staff is null ? L["There is no staff member #{0}.", input.StaffId] : L["{0} is no longer on the staff.", staff.DisplayName]);
            return ServiceResult<RosterSlotView>.Invalid(errors);
        }
        var slot = new RosterSlot { StaffId = staff.Id, Day = day, StartMinute = start, EndMinute = end, Kind = kind };
        var theirs = await db.RosterSlots.AsNoTracking().Where(s => s.StaffId == staff.Id).ToListAsync(ct);
        if (theirs.FirstOrDefault(s => Roster.Overlap(s, slot)) is { } clash)
        {
            errors.Add("start", clash.Kind == RosterKind.OnCall
                ? L["{0} overlaps {1}'s on-call slot {2}; change or remove that first.", RosterText.Slot(slot), staff.DisplayName, RosterText.Slot(clash)]
                : L["{0} overlaps {1}'s standby slot {2}; change or remove that first.", RosterText.Slot(slot), staff.DisplayName, RosterText.Slot(clash)]);
            return ServiceResult<RosterSlotView>.Invalid(errors);
        }
        db.RosterSlots.Add(slot);
        audit.Stage(db, AuditEvent.By(actor, AuditKind.RosterEdited, staff.DisplayName, $"Added {KindText(kind)} slot {slot.Label}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        notifier.Publish(new Realtime.RosterChanged());
        return ServiceResult<RosterSlotView>.Ok(new RosterSlotView(slot.Id, staff.Id, staff.DisplayName, day, kind, slot.Label));
    }

    public async Task<ServiceResult<bool>> RemoveSlotAsync(int slotId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<bool>.Forbidden(L["Only an administrator edits the duty roster."]);
        }
        var slot = await db.RosterSlots.Include(s => s.Staff).FirstOrDefaultAsync(s => s.Id == slotId, ct);
        if (slot is null)
        {
            return ServiceResult<bool>.NotFound(L["There is no roster slot #{0}.", slotId]);
        }
        db.RosterSlots.Remove(slot); // its swaps go with it (cascade)
        audit.Stage(db, AuditEvent.By(actor, AuditKind.RosterEdited, slot.Staff!.DisplayName, $"Removed {KindText(slot.Kind)} slot {slot.Label}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        notifier.Publish(new Realtime.RosterChanged());
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<ServiceResult<RosterSwapView>> AddSwapAsync(RosterSwapInput input, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (input.SlotId is null)
        {
            errors.Add("slotId", L["Choose the slot to swap."]);
        }
        if (input.Date is not { } date)
        {
            errors.Add("date", L["Give the date of the occurrence to swap."]);
            date = default;
        }
        if (input.SubstituteId is null)
        {
            errors.Add("substituteId", L["Choose who covers it."]);
        }
        if (errors.Any)
        {
            return ServiceResult<RosterSwapView>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<RosterSwapView>.Forbidden(L["Only an administrator edits the duty roster."]);
        }
        var slot = await db.RosterSlots.AsNoTracking().Include(s => s.Staff).FirstOrDefaultAsync(s => s.Id == input.SlotId, ct);
        if (slot is null)
        {
            errors.Add("slotId", L["There is no roster slot #{0}.", input.SlotId]);
            return ServiceResult<RosterSwapView>.Invalid(errors);
        }
        var today = clock.LocalDate(clock.UtcNow);
        if (date.DayOfWeek != slot.Day)
        {
            errors.Add("date", L["{0} falls on {1}s; {2:yyyy-MM-dd} is a {3}.", RosterText.Slot(slot), RosterText.DayName(slot.Day), date, RosterText.DayName(date.DayOfWeek)]);
        }
        else if (date < today.AddDays(-1) || date > today.AddDays(400))
        {
            errors.Add("date", L["Swap an occurrence from yesterday to a year ahead ({0:yyyy-MM-dd} is out of range).", date]);
        }
        var substitute = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == input.SubstituteId, ct);
        if (substitute is not { IsActive: true })
        {
            errors.Add("substituteId", substitute is null ? L["There is no staff member #{0}.", input.SubstituteId] : L["{0} is no longer on the staff.", substitute.DisplayName]);
        }
        else if (substitute.Id == slot.StaffId)
        {
            errors.Add("substituteId", L["{0} already has this slot; choose a colleague.", substitute.DisplayName]);
        }
        else if ((await db.RosterSlots.AsNoTracking().Where(s => s.StaffId == substitute.Id).ToListAsync(ct))
                 .FirstOrDefault(s => Roster.Overlap(s, slot)) is { } busy)
        {
            errors.Add("substituteId", busy.Kind == RosterKind.OnCall
                ? L["{0} has their own on-call slot {1} at that time.", substitute.DisplayName, RosterText.Slot(busy)]
                : L["{0} has their own standby slot {1} at that time.", substitute.DisplayName, RosterText.Slot(busy)]);
        }
        if (errors.Any)
        {
            return ServiceResult<RosterSwapView>.Invalid(errors);
        }
        if (await db.RosterSwaps.AnyAsync(s => s.SlotId == slot.Id && s.Date == date, ct))
        {
            return ServiceResult<RosterSwapView>.Conflict(L["{0} on {1:yyyy-MM-dd} is already swapped; remove that swap first.", RosterText.Slot(slot), date]);
        }
        var swap = new RosterSwap { SlotId = slot.Id, Date = date, SubstituteId = substitute!.Id };
        db.RosterSwaps.Add(swap);
        audit.Stage(db, AuditEvent.By(actor, AuditKind.RosterEdited, slot.Staff!.DisplayName,
            $"Swap: {substitute.DisplayName} covers {KindText(slot.Kind)} {slot.Label} on {date:yyyy-MM-dd}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        notifier.Publish(new Realtime.RosterChanged());
        return ServiceResult<RosterSwapView>.Ok(new RosterSwapView(swap.Id, slot.Id, date, slot.Label, slot.Kind, slot.StaffId,
            slot.Staff.DisplayName, substitute.Id, substitute.DisplayName));
    }

    public async Task<ServiceResult<bool>> RemoveSwapAsync(int swapId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<bool>.Forbidden(L["Only an administrator edits the duty roster."]);
        }
        var swap = await db.RosterSwaps.Include(s => s.Slot!).ThenInclude(s => s.Staff).Include(s => s.Substitute)
            .FirstOrDefaultAsync(s => s.Id == swapId, ct);
        if (swap is null)
        {
            return ServiceResult<bool>.NotFound(L["There is no swap #{0}.", swapId]);
        }
        db.RosterSwaps.Remove(swap);
        audit.Stage(db, AuditEvent.By(actor, AuditKind.RosterEdited, swap.Slot!.Staff!.DisplayName,
            $"Removed swap: {swap.Substitute!.DisplayName} covering {swap.Slot.Label} on {swap.Date:yyyy-MM-dd}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        notifier.Publish(new Realtime.RosterChanged());
        return ServiceResult<bool>.Ok(true);
    }

    public static string KindText(RosterKind kind) => kind == RosterKind.OnCall ? "on-call" : "standby";

    private static IReadOnlyList<string> NamesCovering(IEnumerable<RosterOccurrence> occurrences, RosterKind kind, DateTimeOffset now,
        IReadOnlyDictionary<int, string> names) =>
        occurrences.Where(o => o.Kind == kind && o.Covers(now)).Select(o => o.StaffId).Distinct()
            .Where(names.ContainsKey).Select(id => names[id]).Order().ToList();

    private static async Task<IReadOnlyList<RosterSwapView>> SwapsAsync(DispatchDbContext db,
        System.Linq.Expressions.Expression<Func<RosterSwap, bool>> where, CancellationToken ct) =>
        (await db.RosterSwaps.AsNoTracking().Where(where).Include(s => s.Slot!).ThenInclude(s => s.Staff).Include(s => s.Substitute)
            .OrderBy(s => s.Date).ThenBy(s => s.Id).Take(200).ToListAsync(ct))
        .Select(s => new RosterSwapView(s.Id, s.SlotId, s.Date, s.Slot!.Label, s.Slot.Kind, s.Slot.StaffId, s.Slot.Staff!.DisplayName,
            s.SubstituteId, s.Substitute!.DisplayName))
        .ToList();
}
