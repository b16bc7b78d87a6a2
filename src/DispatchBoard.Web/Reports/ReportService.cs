using System.Globalization;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Reports.ReportsText;

namespace DispatchBoard.Web.Reports;

public enum PeriodKind
{
    Day,
    Week,
    Month,
    Semester,
    Custom,
}

/// <summary>School days <see cref="From"/> to <see cref="To"/>, both included.</summary>
public sealed record ReportPeriod(PeriodKind Kind, DateOnly From, DateOnly To, string Label);

/// <summary>Nearest-rank percentiles of a duration over <see cref="Count"/> tickets.</summary>
public sealed record Percentiles(int Count, TimeSpan? Median, TimeSpan? P90);

public sealed record TicketTotals(int Reported, int Resolved, int Open, int ClaimedOnTime, int Measured, int Reopened, double? AverageRating, int Rated)
{
    /// <summary>Share of tickets claimed within their response target, of those claimed or already past it.</summary>
    public double? Compliance => Measured == 0 ? null : 100.0 * ClaimedOnTime / Measured;

    public double? ReopenRate => Reported == 0 ? null : 100.0 * Reopened / Reported;
}

public sealed record BreakdownRow(string Key, string Label, int Reported, int Open, int Resolved, int ClaimedOnTime, int Measured, TimeSpan? MedianResolve, TimeSpan? P90Resolve)
{
    public double? Compliance => Measured == 0 ? null : 100.0 * ClaimedOnTime / Measured;
}

public sealed record DayCount(DateOnly Day, int Reported, int Resolved);

public sealed record InspectionTotals(int Rounds, int Completed, int CompletedOnTime, int HazardsFound, int HazardsFixed)
{
    public double? OnTimeRate => Rounds == 0 ? null : 100.0 * CompletedOnTime / Rounds;
}

public sealed record PeriodReport(
    ReportPeriod Period,
    TicketTotals Totals,
    Percentiles TimeToClaim,
    Percentiles TimeToOnSite,
    Percentiles TimeToResolve,
    IReadOnlyList<BreakdownRow> ByArea,
    IReadOnlyList<BreakdownRow> ByCategory,
    IReadOnlyList<BreakdownRow> ByStaff,
    IReadOnlyList<DayCount> Days,
    InspectionTotals Inspections,
    IReadOnlyList<TeamworkRow> Teamwork);

/// <summary>A staff member's share of the jobs resolved in a period: those they led, and those they helped the lead with.</summary>
public sealed record TeamworkRow(int StaffId, string Name, int Led, int Helped);

/// <summary>
/// The office's figures for a period. The tickets reported in it stream once out of the covering index
/// IX_Tickets_Reports into a <see cref="PeriodTally"/> (totals, medians and 90th percentiles by nearest rank over whole
/// minutes, the breakdowns); what counts other rows (resolved in the period, days, rounds, teamwork) is counted in the
/// database. Days are bucketed by the school's own midnights. Tickets belong to the period in which they were reported
/// (resolved counts those resolved in it). Durations are the ticket's own time (<see cref="ResponseClock"/>: working
/// time for normal and low reports, wall time for urgent ones and hazards), stamped on each ticket when it is saved;
/// "claimed on time" compares with the deadline set on the same clock. One SQL text for SQLite and PostgreSQL: times
/// and durations are bigint milliseconds on both; counts are cast to INTEGER (PostgreSQL's COUNT is bigint).
/// </summary>
public sealed class ReportService(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, SemesterService semesters, SchoolClock clock)
{
    /// <summary>The longest custom period, in days (a school year and a little).</summary>
    public const int MaxCustomDays = 400;

    /// <summary>Why a custom period cannot be reported on, or null when it can.</summary>
    /// <summary>The dates reports cover: a school's records, not the calendar's limits (0001-01-01 in a time zone does not exist).</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public static string? DateProblem(DateOnly? date) =>
        date is { } d && (d < EarliestDate || d > LatestDate) ? L["Choose dates between {0:yyyy-MM-dd} and {1:yyyy-MM-dd}.", EarliestDate, LatestDate] : null;

    public static string? CustomPeriodProblem(DateOnly? from, DateOnly? to) =>
        from is null || to is null ? L["Choose a start and an end date."]
        : (DateProblem(from) ?? DateProblem(to)) is { } outOfRange ? outOfRange
        : to < from ? L["The end date is before the start date: choose the end after the start."]
        : to.Value.DayNumber - from.Value.DayNumber >= MaxCustomDays ? L["Choose at most {0} days.", MaxCustomDays]
        : null;

    public async Task<ReportPeriod> PeriodAsync(PeriodKind kind, DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        switch (kind)
        {
            case PeriodKind.Day:
                return new ReportPeriod(kind, today, today, today.ToString(Dates.LongWeekDayMonthYearPattern, CultureInfo.CurrentCulture));
            case PeriodKind.Week:
                var monday = SchoolClock.MondayOf(today);
                return new ReportPeriod(kind, monday, monday.AddDays(6), L["Week of {0}", monday.ToString(Dates.LongDayMonthYearPattern, CultureInfo.CurrentCulture)]);
            case PeriodKind.Month:
                var first = from is { } m ? new DateOnly(m.Year, m.Month, 1) : new DateOnly(today.Year, today.Month, 1);
                return new ReportPeriod(kind, first, first.AddMonths(1).AddDays(-1), first.ToString(Dates.MonthYearPattern, CultureInfo.CurrentCulture));
            case PeriodKind.Semester when await semesters.LatestStartedAsync(ct) is { } semester:
                return new ReportPeriod(kind, semester.StartsOn, semester.EndsOn, semester.Name);
            case PeriodKind.Custom when from is { } start && to is { } end && end >= start:
                return new ReportPeriod(kind, start, end, $"{start.ToString(Dates.DayMonthYearPattern, CultureInfo.CurrentCulture)} – {end.ToString(Dates.DayMonthYearPattern, CultureInfo.CurrentCulture)}");
            default:
                return new ReportPeriod(PeriodKind.Month, new DateOnly(today.Year, today.Month, 1),
                    new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1), today.ToString(Dates.MonthYearPattern, CultureInfo.CurrentCulture));
        }
    }

    public async Task<PeriodReport> BuildAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var from = clock.StartOf(period.From).ToUnixTimeMilliseconds();
        var to = clock.StartOf(period.To.AddDays(1)).ToUnixTimeMilliseconds();
        var now = clock.UtcNow.ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);

        var tally = new PeriodTally();
        await using (var command = Command(db, PeriodTally.Sql, ("@from", from), ("@to", to), ("@now", now)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tally.Add(reader);
            }
        }
        var resolved = (await Query<CountRow>(db, """
            SELECT CAST(COUNT(*) AS INTEGER) AS "N" FROM "Tickets" WHERE "ResolvedAt" >= @from AND "ResolvedAt" < @to
            """, ct, ("@from", from), ("@to", to))).Single().N;

        var snapshot = await areas.GetAsync(ct);
        var byArea = tally.ByArea
            .Select(r => r with { Label = int.TryParse(r.Key, out var id) && snapshot.ById.TryGetValue(id, out var a) ? a.Path : L["Area #{0}", r.Key] }).ToList();
        var byCategory = tally.ByCategory
            .Select(r => r with { Label = EnumNames.TryParse<TicketCategory>(r.Key, out var c) ? c.Label() : r.Key }).ToList();
        var staffNames = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.DisplayName, ct);
        var byStaff = tally.ByStaff.Select(r => r with { Label = staffNames.GetValueOrDefault(r.Key, L["Staff #{0}", r.Key]) }).ToList();

        return new PeriodReport(period,
            tally.Totals(resolved), tally.TimeToClaim, tally.TimeToOnSite, tally.TimeToResolve, byArea, byCategory, byStaff,
            await DaysAsync(db, period, ct),
            await InspectionsAsync(db, from, to, now, ct),
            (await TeamworkAsync(db, from, to, ct)).Select(r => r with { Name = staffNames.GetValueOrDefault(r.Name, L["Staff #{0}", r.Name]) }).ToList());
    }

    /// <summary>
    /// Jobs resolved in the period (resolved or since closed), credited per person: led (the ticket's lead when it was
    /// resolved) and helped (on its team), counted apart, grouped in the database.
    /// </summary>
    private static async Task<List<TeamworkRow>> TeamworkAsync(DispatchDbContext db, long from, long to, CancellationToken ct)
    {
        // Both read IX_Tickets_Status_ResolvedAt_ClaimedById alone (no row lookups): a semester's 80,000 resolved
        // tickets took ~100 ms through the table, ~30 ms through the index.
        var rows = await Query<TeamworkSqlRow>(db, """
            WITH credit AS (SELECT "ClaimedById" AS s, CAST(COUNT(*) AS INTEGER) AS led, 0 AS helped FROM "Tickets"
                            WHERE "Status" IN ('Resolved', 'Closed') AND "ResolvedAt" >= @from AND "ResolvedAt" < @to AND "ClaimedById" IS NOT NULL
                            GROUP BY "ClaimedById"
                            UNION ALL
                            SELECT h."StaffId", 0, CAST(COUNT(*) AS INTEGER) FROM "TicketHelpers" h JOIN "Tickets" t ON t."Id" = h."TicketId"
                            WHERE t."Status" IN ('Resolved', 'Closed') AND t."ResolvedAt" >= @from AND t."ResolvedAt" < @to
                            GROUP BY h."StaffId")
            SELECT s AS "StaffId", CAST(SUM(led) AS INTEGER) AS "Led", CAST(SUM(helped) AS INTEGER) AS "Helped"
            FROM credit GROUP BY s ORDER BY SUM(led) + SUM(helped) DESC, s
            """, ct, ("@from", from), ("@to", to));
        return rows.Select(r => new TeamworkRow(r.StaffId, r.StaffId.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Led, r.Helped)).ToList();
    }

    /// <summary>Per school day (its own midnights, so a daylight-saving day is 23 or 25 hours): reported and resolved.</summary>
    private async Task<IReadOnlyList<DayCount>> DaysAsync(DispatchDbContext db, ReportPeriod period, CancellationToken ct)
    {
        var days = new List<DateOnly>();
        for (var d = period.From; d <= period.To && days.Count < MaxCustomDays; d = d.AddDays(1))
        {
            days.Add(d);
        }
        var values = string.Join(", ", days.Select((d, i) => $"({i}, {clock.StartOf(d).ToUnixTimeMilliseconds()}, {clock.StartOf(d.AddDays(1)).ToUnixTimeMilliseconds()})"));
        var rows = await Query<DaySqlRow>(db, $"""
            WITH days(i, s, e) AS (VALUES {values})
            SELECT i AS "I",
                   (SELECT CAST(COUNT(*) AS INTEGER) FROM "Tickets" t WHERE t."ReportedAt" >= days.s AND t."ReportedAt" < days.e) AS "Reported",
                   (SELECT CAST(COUNT(*) AS INTEGER) FROM "Tickets" t WHERE t."ResolvedAt" >= days.s AND t."ResolvedAt" < days.e) AS "Resolved"
            FROM days ORDER BY i
            """, ct);
        return rows.Select(r => new DayCount(days[r.I], r.Reported, r.Resolved)).ToList();
    }

    /// <summary>Rounds count once they are done or due: a round still open before its deadline is neither on time nor late yet.</summary>
    private static async Task<InspectionTotals> InspectionsAsync(DispatchDbContext db, long from, long to, long now, CancellationToken ct)
    {
        var row = (await Query<InspectionSqlRow>(db, """
            SELECT CAST(COALESCE(SUM(CASE WHEN r."CompletedAt" IS NOT NULL OR r."DueAt" <= @now THEN 1 ELSE 0 END), 0) AS INTEGER) AS "Rounds",
                   CAST(COALESCE(SUM(CASE WHEN r."CompletedAt" IS NOT NULL THEN 1 ELSE 0 END), 0) AS INTEGER) AS "Completed",
                   CAST(COALESCE(SUM(CASE WHEN r."CompletedAt" IS NOT NULL AND r."CompletedAt" <= r."DueAt" THEN 1 ELSE 0 END), 0) AS INTEGER) AS "OnTime",
                   (SELECT CAST(COUNT(*) AS INTEGER) FROM "InspectionItems" i JOIN "InspectionRounds" x ON x."Id" = i."RoundId"
                    WHERE x."DueAt" > @from AND x."DueAt" <= @to AND i."Result" = 'Hazard') AS "Found",
                   (SELECT CAST(COUNT(*) AS INTEGER) FROM "InspectionItems" i JOIN "InspectionRounds" x ON x."Id" = i."RoundId" JOIN "Tickets" t ON t."Id" = i."TicketId"
                    WHERE x."DueAt" > @from AND x."DueAt" <= @to AND i."Result" = 'Hazard' AND t."Status" IN ('Resolved', 'Closed')) AS "Fixed"
            FROM "InspectionRounds" r WHERE r."DueAt" > @from AND r."DueAt" <= @to
            """, ct, ("@from", from), ("@to", to), ("@now", now))).Single();
        return new InspectionTotals(row.Rounds, row.Completed, row.OnTime, row.Found, row.Fixed);
    }

    /// <summary>Runs one of the texts above with the provider's own parameters (both read <c>@name</c>).</summary>
    private static Task<List<T>> Query<T>(DispatchDbContext db, string sql, CancellationToken ct, params (string Name, long Value)[] parameters)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        return db.Database.SqlQueryRaw<T>(sql, parameters.Select(p => (object)Parameter(command, p)).ToArray()).ToListAsync(ct);
    }

    /// <summary>A command on the context's open connection, for a text whose rows are read as they stream in.</summary>
    private static System.Data.Common.DbCommand Command(DispatchDbContext db, string sql, params (string Name, long Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(Parameter(command, p));
        }
        return command;
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, (string Name, long Value) p)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = p.Name;
        parameter.Value = p.Value;
        parameter.DbType = System.Data.DbType.Int64;
        return parameter;
    }

    // Rows of the raw queries (column names match the SELECT aliases).
    private sealed class CountRow
    {
        public int N { get; set; }
    }

    private sealed class TeamworkSqlRow
    {
        public int StaffId { get; set; }
        public int Led { get; set; }
        public int Helped { get; set; }
    }

    private sealed class DaySqlRow
    {
        public int I { get; set; }
        public int Reported { get; set; }
        public int Resolved { get; set; }
    }

    private sealed class InspectionSqlRow
    {
        public int Rounds { get; set; }
        public int Completed { get; set; }
        public int OnTime { get; set; }
        public int Found { get; set; }
        public int Fixed { get; set; }
    }
}
