using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

public sealed record SemesterInput(string? Name, DateOnly? StartsOn, DateOnly? EndsOn);

/// <summary>
/// The school's semesters, the one place that decides which there are, which is under way and whether a new one is
/// valid. A use case that stores a new semester together with rows of its own (planning copies the last checklist)
/// opens the transaction and lets <see cref="StageAsync"/> add the semester to it.
/// </summary>
public sealed class SemesterService(IDbContextFactory<DispatchDbContext> dbFactory, IOptions<CalendarOptions> options, SchoolClock clock)
{
    public async Task<IReadOnlyList<Semester>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Semesters.AsNoTracking().OrderBy(s => s.StartsOn).ToListAsync(ct);
    }

    /// <summary>The semester under way today, else the next one, else the last one.</summary>
    public async Task<Semester?> CurrentAsync(CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        var all = await ListAsync(ct);
        return all.FirstOrDefault(s => s.StartsOn <= today && today <= s.EndsOn)
            ?? all.FirstOrDefault(s => s.StartsOn > today)
            ?? all.LastOrDefault();
    }

    /// <summary>For looking back (reports): the semester under way, or between terms the one that just ended, else the first.</summary>
    public async Task<Semester?> LatestStartedAsync(CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        var all = await ListAsync(ct);
        return all.LastOrDefault(s => s.StartsOn <= today) ?? all.FirstOrDefault();
    }

    /// <summary>Adds the semesters named in configuration (Calendar:Semesters) that the database does not have yet.</summary>
    public async Task SyncConfigurationAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Semesters.Select(s => s.Name).ToListAsync(ct);
        foreach (var semester in options.Value.Semesters.Where(s => !names.Contains(s.Name)))
        {
            db.Semesters.Add(new Semester { Name = semester.Name, StartsOn = semester.StartsOn, EndsOn = semester.EndsOn });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Checks a new semester (name, dates, a slip of the year, overlap with another) and, when <paramref name="errors"/>
    /// holds nothing (the caller's own checks included), saves it inside the caller's open transaction, which the caller
    /// commits. Returns the semester, or null with the reasons in <paramref name="errors"/>.
    /// </summary>
    public async Task<Semester?> StageAsync(DispatchDbContext db, SemesterInput input, ValidationErrors errors, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A semester is staged inside the caller's transaction; begin one first.");
        }
        var name = errors.Text("name", L["Name"], input.Name, Semester.NameMaxLength, required: true);
        var datesOk = true;
        if (input.StartsOn is null)
        {
            errors.Add("startsOn", L["Say when the semester starts."]);
            datesOk = false;
        }
        else if (input.StartsOn.Value.Year is < 2000 or > 2100)
        {
            errors.Add("startsOn", L["{0} is not a school date; check the year.", Day(input.StartsOn.Value)]);
            datesOk = false;
        }
        if (input.EndsOn is null)
        {
            errors.Add("endsOn", L["Say when the semester ends."]);
            datesOk = false;
        }
        else if (input.StartsOn is not null && input.EndsOn <= input.StartsOn)
        {
            errors.Add("endsOn", L["The semester must end after it starts."]);
            datesOk = false;
        }
        else if (input.StartsOn is not null && input.EndsOn.Value.DayNumber - input.StartsOn.Value.DayNumber > 366)
        {
            errors.Add("endsOn", L["A semester is at most a year long."]);
            datesOk = false;
        }
        if (name is not null && await NameTakenAsync(db, name, ct))
        {
            errors.Add("name", L["There is already a semester called {0}.", name]);
        }
        if (datesOk && await db.Semesters.AsNoTracking()
                .FirstOrDefaultAsync(s => s.StartsOn <= input.EndsOn!.Value && input.StartsOn!.Value <= s.EndsOn, ct) is { } overlapping)
        {
            errors.Add("startsOn", L["These dates overlap {0} ({1} – {2}).", overlapping.Name, Day(overlapping.StartsOn), Day(overlapping.EndsOn)]);
        }
        if (errors.Any)
        {
            return null;
        }
        var semester = new Semester { Name = name!, StartsOn = input.StartsOn!.Value, EndsOn = input.EndsOn!.Value };
        db.Semesters.Add(semester);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(semester).State = EntityState.Detached;
            if (!await NameTakenAsync(db, name!, ct))
            {
                throw;
            }
            // Someone else created a semester of that name a moment ago.
            errors.Add("name", L["There is already a semester called {0}.", name]);
            return null;
        }
        return semester;
    }

    private static string Day(DateOnly day) => day.ToString(Dates.DayMonthYearPattern, System.Globalization.CultureInfo.CurrentCulture);

    private static Task<bool> NameTakenAsync(DispatchDbContext db, string name, CancellationToken ct) =>
        db.Semesters.AnyAsync(s => s.Name == name, ct);
}
