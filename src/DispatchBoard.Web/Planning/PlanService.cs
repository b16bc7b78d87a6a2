using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using System.Globalization;
using static DispatchBoard.Web.Planning.PlanningText;

namespace DispatchBoard.Web.Planning;

public sealed record PlanItemDto(int Id, int SemesterId, PlanPhase Phase, DateOnly? Month, string Title, PlanCategory Category, int? OwnerId, string? Owner,
    DateOnly? DueOn, PlanStatus Status, string? Notes, int SortOrder, int? CarriedFromId, IReadOnlyList<PlanHelperDto>? Helpers = null)
{
    /// <summary>The colleagues helping the owner, in the order they were asked.</summary>
    public IReadOnlyList<PlanHelperDto> Helpers { get; init; } = Helpers ?? [];
}

public static class PlanText
{
    public static string Label(this PlanStatus status) => status switch
    {
        PlanStatus.ToDo => L["To do"],
        PlanStatus.Doing => L["Doing"],
        PlanStatus.Done => L["Done"],
        PlanStatus.Dropped => L["Dropped"],
        _ => L["Carried"],
    };

    public static string Label(this PlanCategory category) => category switch
    {
        PlanCategory.Repairs => L["Repairs"],
        PlanCategory.Purchasing => L["Purchasing"],
        PlanCategory.Cleaning => L["Cleaning"],
        PlanCategory.Safety => L["Safety"],
        PlanCategory.Furniture => L["Furniture"],
        PlanCategory.Grounds => L["Grounds"],
        PlanCategory.Events => L["Events"],
        _ => L["Other"],
    };
}

public sealed record PlanHelperDto(int StaffId, string Name, bool Done);

public sealed record PlanItemInput(string? Title, PlanCategory Category, int? OwnerId, DateOnly? DueOn, string? Notes);

public sealed record MonthProgress(DateOnly Month, int Total, int Done, int Doing);

/// <summary>What /planning opens on: the semesters one may plan, and the one to show first.</summary>
public sealed record SemestersToPlan(IReadOnlyList<Semester> All, Semester? Current);

public sealed record SemesterPlan(Semester Semester, IReadOnlyList<PlanItemDto> PreStart, IReadOnlyList<(DateOnly Month, IReadOnlyList<PlanItemDto> Items)> Months);

/// <summary>
/// Semester plans: the checklist of work before school opens and, after it starts, the monthly work accounts. Items have
/// a category, an owner, a due date, a status and notes, and a queue order. A new semester can start from a copy of the
/// last one's checklist; unfinished items of a month can be carried to the next one.
/// </summary>
public sealed class PlanService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    SemesterService semesters,
    NotificationService notifications,
    DispatchNotifier notifier,
    SchoolClock clock)
{
    private static readonly PlanStatus[] Open = [PlanStatus.ToDo, PlanStatus.Doing];

    public static IReadOnlyList<DateOnly> MonthsOf(Semester semester)
    {
        var months = new List<DateOnly>();
        for (var m = new DateOnly(semester.StartsOn.Year, semester.StartsOn.Month, 1); m <= semester.EndsOn; m = m.AddMonths(1))
        {
            months.Add(m);
        }
        return months;
    }

    /// <summary>The semesters, and the one to open on: under way today, else the next, else the last.</summary>
    public async Task<SemestersToPlan> SemestersToPlanAsync(CancellationToken ct = default) =>
        new(await semesters.ListAsync(ct), await semesters.CurrentAsync(ct));

    public async Task<SemesterPlan?> PlanAsync(int semesterId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var semester = await db.Semesters.AsNoTracking().FirstOrDefaultAsync(s => s.Id == semesterId, ct);
        if (semester is null)
        {
            return null;
        }
        var items = await Project(db.PlanItems.Where(i => i.SemesterId == semesterId)).ToListAsync(ct);
        return new SemesterPlan(semester,
            items.Where(i => i.Phase == PlanPhase.PreStart).OrderBy(i => i.SortOrder).ToList(),
            MonthsOf(semester).Select(m => (m, (IReadOnlyList<PlanItemDto>)items.Where(i => i.Phase == PlanPhase.PostStart && i.Month == m).OrderBy(i => i.SortOrder).ToList())).ToList());
    }

    /// <summary>
    /// A new semester; with <paramref name="copyFrom"/>, its pre-start checklist is copied, due dates moved with the start.
    /// The semester and the copy are one transaction: the semester is checked and staged by <see cref="SemesterService"/>.
    /// </summary>
    public async Task<ServiceResult<Semester>> CreateSemesterAsync(SemesterInput input, int? copyFrom, Actor actor, CancellationToken ct = default)
    {
        if (!CanPlan(actor))
        {
            return ServiceResult<Semester>.Forbidden(L["Only the office and the principal plan semesters."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var errors = new ValidationErrors();
        var source = copyFrom is null ? null : await db.Semesters.AsNoTracking().FirstOrDefaultAsync(s => s.Id == copyFrom, ct);
        if (copyFrom is not null && source is null)
        {
            errors.Add("copyFrom", L["There is no semester #{0} to copy from.", copyFrom]);
        }
        if (await semesters.StageAsync(db, input, errors, ct) is not { } semester)
        {
            return ServiceResult<Semester>.Invalid(errors);
        }
        if (source is not null)
        {
            var shift = semester.StartsOn.DayNumber - source.StartsOn.DayNumber;
            // What the office dropped last time stays dropped: the copy is the checklist it kept.
            var checklist = await db.PlanItems.AsNoTracking().Where(i => i.SemesterId == source.Id && i.Phase == PlanPhase.PreStart && i.Status != PlanStatus.Dropped)
                .OrderBy(i => i.SortOrder).ToListAsync(ct);
            var activeOwners = await StaffService.ActiveIdsAsync(db, ct);
            db.PlanItems.AddRange(checklist.Select((i, order) => new PlanItem
            {
                SemesterId = semester.Id, Phase = PlanPhase.PreStart, Title = i.Title, Category = i.Category,
                OwnerId = i.OwnerId is { } o && activeOwners.Contains(o) ? o : null,
                DueOn = i.DueOn?.AddDays(shift), Status = PlanStatus.ToDo, Notes = i.Notes, SortOrder = order, CreatedAt = clock.UtcNow,
            }));
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return ServiceResult<Semester>.Ok(semester);
    }

    public async Task<ServiceResult<PlanItemDto>> AddAsync(int semesterId, PlanPhase phase, DateOnly? month, PlanItemInput input, Actor actor, CancellationToken ct = default)
    {
        if (!CanPlan(actor))
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only the office and the principal change plans."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var semester = await db.Semesters.AsNoTracking().FirstOrDefaultAsync(s => s.Id == semesterId, ct);
        if (semester is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no semester #{0}.", semesterId]);
        }
        var errors = new ValidationErrors();
        if (phase == PlanPhase.PostStart && (month is null || !MonthsOf(semester).Contains(month.Value)))
        {
            errors.Add("month", L["Choose a month of {0}.", semester.Name]);
        }
        var (title, notes) = await CheckAsync(db, input, errors, ct);
        if (errors.Any)
        {
            return ServiceResult<PlanItemDto>.Invalid(errors);
        }
        var last = await db.PlanItems.Where(i => i.SemesterId == semesterId && i.Phase == phase && i.Month == (phase == PlanPhase.PreStart ? null : month))
            .MaxAsync(i => (int?)i.SortOrder, ct) ?? -1;
        var item = new PlanItem
        {
            SemesterId = semesterId, Phase = phase, Month = phase == PlanPhase.PreStart ? null : month, Title = title!, Category = input.Category,
            OwnerId = input.OwnerId, DueOn = input.DueOn, Notes = notes, SortOrder = last + 1, CreatedAt = clock.UtcNow,
        };
        db.PlanItems.Add(item);
        var staged = await AlertOwnerAsync(db, item, null, ct);
        await db.SaveChangesAsync(ct);
        notifications.Announce(staged);
        notifier.Publish(new PlansChanged(semesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, item.Id, ct));
    }

    public async Task<ServiceResult<PlanItemDto>> UpdateAsync(int id, PlanItemInput input, Actor actor, CancellationToken ct = default)
    {
        if (!CanPlan(actor))
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only the office and the principal change plans."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        var errors = new ValidationErrors();
        // An owner who has since left may stay on the item while other fields change; a new owner must be active.
        var (title, notes) = await CheckAsync(db, input, errors, ct, keptOwner: item.OwnerId);
        if (errors.Any)
        {
            return ServiceResult<PlanItemDto>.Invalid(errors);
        }
        var previousOwner = item.OwnerId;
        (item.Title, item.Category, item.OwnerId, item.DueOn, item.Notes) = (title!, input.Category, input.OwnerId, input.DueOn, notes);
        var staged = await AlertOwnerAsync(db, item, previousOwner, ct);
        await db.SaveChangesAsync(ct);
        notifications.Announce(staged);
        notifier.Publish(new PlansChanged(item.SemesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    /// <summary>The office sets any status; an item's owner moves their own item between to do, doing and done.</summary>
    public async Task<ServiceResult<PlanItemDto>> SetStatusAsync(int id, PlanStatus status, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.Include(i => i.Owner).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        var isOwner = item.Owner?.UserId == actor.UserId;
        if (!CanPlan(actor) && !isOwner && await db.PlanItemHelpers.AnyAsync(h => h.PlanItemId == id && h.Staff!.UserId == actor.UserId, ct))
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only the owner, {0}, finishes this item; mark your part done instead.", item.Owner?.DisplayName ?? L["who owns the item"]]);
        }
        if (!CanPlan(actor) && !(isOwner && status is PlanStatus.ToDo or PlanStatus.Doing or PlanStatus.Done))
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only the office, or the item's owner (to do, doing, done), changes its status."]);
        }
        if (status == PlanStatus.Carried)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["Carry unfinished items with \"Carry to next month\"."]);
        }
        if (item.Status == PlanStatus.Carried)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["This item was carried to the next month; change it there."]);
        }
        item.Status = status;
        item.DoneAt = status == PlanStatus.Done ? item.DoneAt ?? clock.UtcNow : null;
        await db.SaveChangesAsync(ct);
        notifier.Publish(new PlansChanged(item.SemesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    /// <summary>Moves an item one place up (-1) or down (+1) in its queue.</summary>
    public async Task<ServiceResult<PlanItemDto>> MoveAsync(int id, int direction, Actor actor, CancellationToken ct = default)
    {
        if (!CanPlan(actor))
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only the office and the principal reorder plans."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        var list = await db.PlanItems.Where(i => i.SemesterId == item.SemesterId && i.Phase == item.Phase && i.Month == item.Month)
            .OrderBy(i => i.SortOrder).ThenBy(i => i.Id).ToListAsync(ct);
        var index = list.FindIndex(i => i.Id == id);
        var target = index + Math.Sign(direction);
        if (target >= 0 && target < list.Count)
        {
            (list[index], list[target]) = (list[target], list[index]);
            for (var i = 0; i < list.Count; i++)
            {
                list[i].SortOrder = i;
            }
            await db.SaveChangesAsync(ct);
            notifier.Publish(new PlansChanged(item.SemesterId));
        }
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    /// <summary>
    /// Carries a month's unfinished items (to do, doing) to the next month: each becomes Carried and a copy, linked back,
    /// is queued at the end of the next month's account. Nothing is carried twice; the last month has no next.
    /// </summary>
    public async Task<ServiceResult<int>> CarryAsync(int semesterId, DateOnly month, Actor actor, CancellationToken ct = default)
    {
        if (!CanPlan(actor))
        {
            return ServiceResult<int>.Forbidden(L["Only the office and the principal carry work over."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var semester = await db.Semesters.AsNoTracking().FirstOrDefaultAsync(s => s.Id == semesterId, ct);
        if (semester is null)
        {
            return ServiceResult<int>.NotFound(L["There is no semester #{0}.", semesterId]);
        }
        var months = MonthsOf(semester);
        var at = months.ToList().IndexOf(month);
        if (at < 0)
        {
            var errors = new ValidationErrors();
            errors.Add("month", L["{0} is not a month of {1}.", month.ToString(Dates.MonthYearPattern, CultureInfo.CurrentCulture), semester.Name]);
            return ServiceResult<int>.Invalid(errors);
        }
        if (at == months.Count - 1)
        {
            return ServiceResult<int>.Conflict(L["{0} is the semester's last month; carry its work into the next semester's plan.", month.ToString("MMMM", CultureInfo.CurrentCulture)]);
        }
        var next = months[at + 1];
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var unfinished = await db.PlanItems.Where(i => i.SemesterId == semesterId && i.Phase == PlanPhase.PostStart && i.Month == month && Open.Contains(i.Status))
            .OrderBy(i => i.SortOrder).ToListAsync(ct);
        var last = await db.PlanItems.Where(i => i.SemesterId == semesterId && i.Phase == PlanPhase.PostStart && i.Month == next)
            .MaxAsync(i => (int?)i.SortOrder, ct) ?? -1;
        var activeOwners = await StaffService.ActiveIdsAsync(db, ct);
        foreach (var item in unfinished)
        {
            // Work under way stays under way; work of someone who has left waits for a new owner.
            db.PlanItems.Add(new PlanItem
            {
                SemesterId = semesterId, Phase = PlanPhase.PostStart, Month = next, Title = item.Title, Category = item.Category,
                OwnerId = item.OwnerId is { } o && activeOwners.Contains(o) ? o : null,
                DueOn = item.DueOn, Status = item.Status, Notes = item.Notes, SortOrder = ++last, CarriedFromId = item.Id, CreatedAt = clock.UtcNow,
            });
            item.Status = PlanStatus.Carried;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(new PlansChanged(semesterId));
        return ServiceResult<int>.Ok(unfinished.Count);
    }

    /// <summary>This month's work account progress (the board's small panel).</summary>
    public async Task<MonthProgress?> ThisMonthAsync(CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.PlanItems.Where(i => i.Phase == PlanPhase.PostStart && i.Month == month && i.Status != PlanStatus.Dropped && i.Status != PlanStatus.Carried)
            .GroupBy(_ => 1)
            .Select(g => new { Total = g.Count(), Done = g.Count(i => i.Status == PlanStatus.Done), Doing = g.Count(i => i.Status == PlanStatus.Doing) })
            .FirstOrDefaultAsync(ct);
        return counts is null ? null : new MonthProgress(month, counts.Total, counts.Done, counts.Doing);
    }

    /// <summary>The open plan items of the staff member a signed-in user is (on /my).</summary>
    public async Task<IReadOnlyList<PlanItemDto>> OwnedByUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Project(db.PlanItems.Where(i => i.Owner!.UserId == userId && Open.Contains(i.Status)).OrderBy(i => i.DueOn == null).ThenBy(i => i.DueOn))
            .Take(50).ToListAsync(ct);
    }

    /// <summary>The open plan items a signed-in user helps the owner with (on /my), theirs still to do first.</summary>
    public async Task<IReadOnlyList<PlanItemDto>> HelpedByUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Project(db.PlanItems.Where(i => Open.Contains(i.Status) && i.Helpers.Any(h => h.Staff!.UserId == userId))
            .OrderBy(i => i.Helpers.Any(h => h.Staff!.UserId == userId && h.DoneAt != null)).ThenBy(i => i.DueOn == null).ThenBy(i => i.DueOn))
            .Take(50).ToListAsync(ct);
    }

    /// <summary>The item's owner or a planner asks a colleague to help; the helper is alerted.</summary>
    public async Task<ServiceResult<PlanItemDto>> AddHelperAsync(int id, int staffId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.Include(i => i.Owner).Include(i => i.Helpers).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        var helper = await db.Staff.FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, ct);
        if (helper is null)
        {
            var errors = new ValidationErrors();
            errors.Add("staffId", L["There is no active staff member #{0}.", staffId]);
            return ServiceResult<PlanItemDto>.Invalid(errors);
        }
        if (TeamRefusal(item, actor, adding: true) is { } refusal)
        {
            return refusal;
        }
        if (item.OwnerId == staffId)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["{0} owns this item; choose someone else to help.", helper.DisplayName]);
        }
        if (item.Helpers.Any(h => h.StaffId == staffId))
        {
            return ServiceResult<PlanItemDto>.Conflict(L["{0} is already helping with this item.", helper.DisplayName]);
        }
        item.Helpers.Add(new PlanItemHelper { StaffId = staffId, AddedAt = clock.UtcNow });
        var staged = await notifications.StageAsync(db, [new NewNotification(helper.UserId, NotificationKind.Assigned, ReaderText.Write(() => L["{0} asked you to help: {1}", actor.Name, item.Title]),
            item.DueOn is { } d ? ReaderText.Write(() => L["Due {0}", Dates.ShortDay(d)]) : null, null, "/my", $"planhelper:{item.Id}:{helper.UserId}:{clock.UtcNow.ToUnixTimeMilliseconds()}")], ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone else asked them a moment ago (the pair is unique).
            if (await IsHelperAsync(id, staffId, ct))
            {
                return ServiceResult<PlanItemDto>.Conflict(L["{0} is already helping with this item.", helper.DisplayName]);
            }
            throw;
        }
        notifications.Announce(staged);
        notifier.Publish(new PlansChanged(item.SemesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    public async Task<ServiceResult<PlanItemDto>> RemoveHelperAsync(int id, int staffId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.Include(i => i.Owner).Include(i => i.Helpers).ThenInclude(h => h.Staff).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        if (TeamRefusal(item, actor, adding: false) is { } refusal)
        {
            return refusal;
        }
        if (item.Helpers.FirstOrDefault(h => h.StaffId == staffId) is not { } row)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["They are not helping with this item."]);
        }
        db.PlanItemHelpers.Remove(row);
        await db.SaveChangesAsync(ct);
        notifier.Publish(new PlansChanged(item.SemesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    /// <summary>A helper says their part is done; only the owner (or a planner) finishes the item.</summary>
    public async Task<ServiceResult<PlanItemDto>> HelperDoneAsync(int id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PlanItems.Include(i => i.Helpers).ThenInclude(h => h.Staff).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return ServiceResult<PlanItemDto>.NotFound(L["There is no plan item #{0}.", id]);
        }
        if (item.Helpers.FirstOrDefault(h => h.Staff?.UserId == actor.UserId) is not { } mine)
        {
            return ServiceResult<PlanItemDto>.Forbidden(L["Only a helper marks their own part done, and you are not helping with this item."]);
        }
        if (!Open.Contains(item.Status))
        {
            return ServiceResult<PlanItemDto>.Conflict(L["This item is {0}; there is no part left to mark done.", item.Status.Label().ToLowerInvariant()]);
        }
        if (mine.DoneAt is not null)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["You already marked your part done."]);
        }
        mine.DoneAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        notifier.Publish(new PlansChanged(item.SemesterId));
        return ServiceResult<PlanItemDto>.Ok(await GetAsync(db, id, ct));
    }

    private static ServiceResult<PlanItemDto>? TeamRefusal(PlanItem item, Actor actor, bool adding)
    {
        if (!CanPlan(actor) && item.Owner?.UserId != actor.UserId)
        {
            var owner = item.Owner?.DisplayName ?? L["once there is one"];
            return ServiceResult<PlanItemDto>.Forbidden(adding
                ? L["Only the owner, {0}, or the office adds helpers to this item.", owner]
                : L["Only the owner, {0}, or the office removes helpers from this item.", owner]);
        }
        if (item.OwnerId is null)
        {
            return ServiceResult<PlanItemDto>.Conflict(L["This item has no owner yet; give it one before asking others to help."]);
        }
        return Open.Contains(item.Status) ? null
            : ServiceResult<PlanItemDto>.Conflict(L["This item is {0}; its helpers change only while it is open.", item.Status.Label().ToLowerInvariant()]);
    }

    private async Task<bool> IsHelperAsync(int id, int staffId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PlanItemHelpers.AnyAsync(h => h.PlanItemId == id && h.StaffId == staffId, ct);
    }

    private static bool CanPlan(Actor actor) => actor.CanPlan;

    private static async Task<(string? Title, string? Notes)> CheckAsync(DispatchDbContext db, PlanItemInput input, ValidationErrors errors, CancellationToken ct,
        int? keptOwner = null)
    {
        var title = errors.Text("title", L["Title"], input.Title, PlanItem.TitleMaxLength, required: true);
        var notes = errors.Text("notes", L["Notes"], input.Notes, PlanItem.NotesMaxLength, required: false);
        if (!Enum.IsDefined(input.Category))
        {
            errors.Add("category", L["Use one of {0}.", EnumNames.List<PlanCategory>()]);
        }
        if (input.OwnerId is { } owner && owner != keptOwner && !await db.Staff.AnyAsync(s => s.Id == owner && s.IsActive, ct))
        {
            errors.Add("ownerId", L["There is no active staff member #{0}.", owner]);
        }
        if (input.DueOn is { } due && (due.Year < 2000 || due.Year > 2100))
        {
            errors.Add("dueOn", L["That due date is not a school date."]);
        }
        return (title, notes);
    }

    private async Task<IReadOnlyList<Notification>> AlertOwnerAsync(DispatchDbContext db, PlanItem item, int? previousOwner, CancellationToken ct)
    {
        if (item.OwnerId is null || item.OwnerId == previousOwner || await Recipients.StaffAsync(db, item.OwnerId, ct) is not { } owner)
        {
            return [];
        }
        return await notifications.StageAsync(db, [new NewNotification(owner.UserId, NotificationKind.Assigned, ReaderText.Write(() => L["Added to your work: {0}", item.Title]),
            item.DueOn is { } d ? ReaderText.Write(() => L["Due {0}", Dates.ShortDay(d)]) : null, null, "/my", $"plan:{item.SemesterId}:{item.Title}:{item.Month}:{owner.UserId}:{clock.UtcNow.ToUnixTimeMilliseconds()}")], ct);
    }

    private static async Task<PlanItemDto> GetAsync(DispatchDbContext db, int id, CancellationToken ct) =>
        await Project(db.PlanItems.Where(i => i.Id == id)).FirstAsync(ct);

    private static IQueryable<PlanItemDto> Project(IQueryable<PlanItem> items) => items.AsNoTracking().Select(i => new PlanItemDto(i.Id, i.SemesterId, i.Phase, i.Month,
        i.Title, i.Category, i.OwnerId, i.Owner == null ? null : i.Owner.DisplayName, i.DueOn, i.Status, i.Notes, i.SortOrder, i.CarriedFromId,
        i.Helpers.OrderBy(h => h.Id).Select(h => new PlanHelperDto(h.StaffId, h.Staff!.DisplayName, h.DoneAt != null)).ToList()));
}
