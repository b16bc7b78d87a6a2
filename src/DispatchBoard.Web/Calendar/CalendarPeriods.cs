using System.Globalization;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

public sealed record CalendarPeriodInput(string? Name, CalendarDayKind? Kind, DateOnly? From, DateOnly? To);

/// <summary>
/// The school's holidays, closures, skeleton days and make-up days, and the <see cref="WorkingCalendar"/> they make with
/// the configured working hours: the one calendar every target, sweep and schedule asks. It is built once and built again
/// after each change here.
/// </summary>
public sealed class CalendarPeriods(IDbContextFactory<DispatchDbContext> dbFactory, IOptions<CalendarOptions> options,
    IOptions<WorkingHoursOptions> hours, SchoolClock clock, Audit.AuditLog audit, IServiceScopeFactory scopes, ILogger<CalendarPeriods> log)
{
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile WorkingCalendar? _calendar;
    // Counts changes: a calendar built from rows read before a change is returned to its caller but never cached.
    private int _version;

    public async Task<IReadOnlyList<CalendarPeriod>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CalendarPeriods.AsNoTracking().OrderBy(e => e.From).ThenBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>The calendar as last built, or null when a change has made it stale (a ticking screen keeps its own until then).</summary>
    public WorkingCalendar? Cached => _calendar;

    /// <summary>The working calendar as the database has it now.</summary>
    public async ValueTask<WorkingCalendar> WorkingCalendarAsync(CancellationToken ct = default)
    {
        if (_calendar is { } built)
        {
            return built;
        }
        await _building.WaitAsync(ct);
        try
        {
            if (_calendar is { } builtMeanwhile)
            {
                return builtMeanwhile;
            }
            var version = Volatile.Read(ref _version);
            var calendar = new WorkingCalendar(clock.Zone, hours.Value, (await ListAsync(ct)).SelectMany(e => e.Days()));
            if (version == Volatile.Read(ref _version))
            {
                _calendar = calendar;
            }
            return calendar;
        }
        finally
        {
            _building.Release();
        }
    }

    /// <summary>Adds a holiday, closure, skeleton day or make-up day (administrators; checked against the database).</summary>
    public async Task<ServiceResult<CalendarPeriod>> AddAsync(CalendarPeriodInput input, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = errors.Text("name", L["Name"], input.Name, CalendarPeriod.NameMaxLength, required: true);
        if (input.Kind is not { } kind)
        {
            errors.Add("kind", L["Say what kind of day it is: one of {0}.", EnumNames.List<CalendarDayKind>()]);
            kind = default;
        }
        if (input.From is not { } from)
        {
            errors.Add("from", L["Give the first day."]);
            from = default;
        }
        var to = input.To ?? input.From ?? default;
        if (!errors.Any)
        {
            foreach (var problem in Problems(name, kind, from, to))
            {
                errors.Add("to", problem);
            }
        }
        if (errors.Any)
        {
            return ServiceResult<CalendarPeriod>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<CalendarPeriod>.Forbidden(L["Only an administrator edits the school calendar."]);
        }
        // One meaning per day: a make-up Saturday inside a break, or two holidays over each other, is a mistake to fix first.
        if (await db.CalendarPeriods.AsNoTracking().FirstOrDefaultAsync(e => e.From <= to && from <= e.To, ct) is { } clash)
        {
            return ServiceResult<CalendarPeriod>.Conflict(L["{0} overlaps '{1}' ({2}); change or remove that first.", Days(from, to), clash.Name, Days(clash.From, clash.To)]);
        }
        var entry = new CalendarPeriod { Name = name!, Kind = kind, From = from, To = to };
        db.CalendarPeriods.Add(entry);
        audit.Stage(db, Audit.AuditEvent.By(actor, Audit.AuditKind.CalendarChanged, entry.Name, $"{kind} {Describe(from, to)} added"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        await ChangedByAdministratorAsync();
        return ServiceResult<CalendarPeriod>.Ok(entry);
    }

    public async Task<ServiceResult<bool>> RemoveAsync(int id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<bool>.Forbidden(L["Only an administrator edits the school calendar."]);
        }
        if (await db.CalendarPeriods.FirstOrDefaultAsync(e => e.Id == id, ct) is not { } entry)
        {
            return ServiceResult<bool>.NotFound(L["There is no calendar entry #{0}.", id]);
        }
        db.CalendarPeriods.Remove(entry);
        audit.Stage(db, Audit.AuditEvent.By(actor, Audit.AuditKind.CalendarChanged, entry.Name, $"{entry.Kind} {Describe(entry.From, entry.To)} removed"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        await ChangedByAdministratorAsync();
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>
    /// Imports a CSV or .ics file, all or nothing, through the rules of <see cref="AddAsync"/>: each row is an entry to
    /// add, one already there (same name and first day, or a day of the same kind already covered: skipped), or an
    /// error naming its line and field. Only a file without errors is stored, in one transaction; a dry run stores
    /// nothing and answers what the import would do.
    /// </summary>
    public async Task<ServiceResult<CalendarImportResult>> ImportAsync(CalendarImportRequest request, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<CalendarImportResult>.Forbidden(L["Only an administrator imports the school calendar."]);
        }
        var file = CalendarImportFile.Read(request.Content.Span, request.Format, request.Kind, clock.LocalDate(clock.UtcNow));
        if (file.FileError is { } fileError)
        {
            var errors = new ValidationErrors();
            errors.Add("file", fileError);
            return ServiceResult<CalendarImportResult>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read and write in one transaction, so that the overlaps are checked against what the rows are added to.
        await using var transaction = request.DryRun ? null : await db.Database.BeginTransactionAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<CalendarImportResult>.Forbidden(L["Only an administrator imports the school calendar."]);
        }
        var existing = await db.CalendarPeriods.AsNoTracking().ToListAsync(ct);
        var rows = CalendarImportPlan.Decide(file.Lines, existing, request.Format);
        var result = new CalendarImportResult(rows, Imported: false, request.DryRun);
        if (request.DryRun || result.Errors > 0)
        {
            return ServiceResult<CalendarImportResult>.Ok(result);
        }
        var added = rows.Where(r => r.Status == CalendarImportStatus.Add).ToList();
        foreach (var row in added)
        {
            db.CalendarPeriods.Add(new CalendarPeriod { Name = row.Name!, Kind = row.Kind!.Value, From = row.From!.Value, To = row.To!.Value });
        }
        audit.Stage(db, Audit.AuditEvent.By(actor, Audit.AuditKind.CalendarChanged, $"{added.Count} entr{(added.Count == 1 ? "y" : "ies")} imported ({request.Format})",
            string.Join(", ", added.Take(30).Select(r => $"{r.Name} {Describe(r.From!.Value, r.To!.Value)}")) + (added.Count > 30 ? ", …" : "")));
        await db.SaveChangesAsync(ct);
        await transaction!.CommitAsync(CancellationToken.None);
        await ChangedByAdministratorAsync();
        return ServiceResult<CalendarImportResult>.Ok(result with { Imported = true });
    }

    /// <summary>Adds the days named in configuration (Calendar:Days) that the database does not have (same name and first day).</summary>
    public async Task SyncConfigurationAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = (await db.CalendarPeriods.Select(e => new { e.Name, e.From }).ToListAsync(ct)).Select(e => (e.Name, e.From)).ToHashSet();
        foreach (var day in options.Value.Days.Where(d => !known.Contains((d.Name.Trim(), d.From))))
        {
            db.CalendarPeriods.Add(new CalendarPeriod { Name = day.Name.Trim(), Kind = day.Kind, From = day.From, To = day.To ?? day.From });
        }
        await db.SaveChangesAsync(ct);
        Changed();
    }

    /// <summary>
    /// After an administrator's change: the calendar is built again, and the features that follow it (rounds,
    /// meetings) move what now falls on a holiday. Their failure does not undo the change: the nightly check and the
    /// scheduler's runs do the same work again.
    /// </summary>
    private async Task ChangedByAdministratorAsync()
    {
        Changed();
        await using var scope = scopes.CreateAsyncScope();
        foreach (var follower in scope.ServiceProvider.GetServices<ICalendarFollower>())
        {
            try
            {
                await follower.FollowCalendarAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.CalendarFollowerFailed(e, follower.GetType().Name);
            }
        }
    }

    private void Changed()
    {
        Interlocked.Increment(ref _version);
        _calendar = null;
    }

    /// <summary>What is wrong with an entry on its own (overlaps are checked against the database when it is added).</summary>
    public static IEnumerable<string> Problems(string? name, CalendarDayKind kind, DateOnly from, DateOnly to) =>
        FieldProblems(name, kind, from, to).Select(p => p.Message);

    /// <summary><see cref="Problems"/>, each with the field it is about (name, from or to).</summary>
    public static IEnumerable<(string Field, string Message)> FieldProblems(string? name, CalendarDayKind kind, DateOnly from, DateOnly to)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return ("name", L["Name is required."]);
        }
        if (from.Year is < 2000 or > 2099 || to.Year is < 2000 or > 2099)
        {
            yield return (from.Year is < 2000 or > 2099 ? "from" : "to", L["Dates must be between 2000 and 2099."]);
            yield break;
        }
        if (to < from)
        {
            yield return ("to", L["It ends ({0}) before it starts ({1}).", Iso(to), Iso(from)]);
        }
        else if (to.DayNumber - from.DayNumber + 1 > CalendarPeriod.MaxDays)
        {
            yield return ("to", L["{0} is {1} days; one entry covers at most {2} (check the year).", Days(from, to), to.DayNumber - from.DayNumber + 1, CalendarPeriod.MaxDays]);
        }
        if (kind == CalendarDayKind.MakeUpDay && from.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            yield return ("from", L["A make-up day is a weekend day worked as a school day; {0} is a weekday already.", from.ToString(Dates.LongWeekDayMonthPattern, CultureInfo.CurrentCulture)]);
        }
    }

    /// <summary>"2026-10-01 to 2026-10-07", in English: for the audit log.</summary>
    internal static string Describe(DateOnly from, DateOnly to) => from == to ? $"{from:yyyy-MM-dd}" : $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}";

    /// <summary><see cref="Describe"/> in the reader's language: for what people are told.</summary>
    internal static string Days(DateOnly from, DateOnly to) => from == to ? Iso(from) : L["{0} to {1}", Iso(from), Iso(to)];

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
