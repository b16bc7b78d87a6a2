using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

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
/// The office's figures for a period, computed in the database over the covering index IX_Tickets_Reports: counts and
/// sums with GROUP BY; medians and 90th percentiles by nearest rank over whole minutes (a per-minute histogram and a
/// running sum, so the cost does not grow with the sort of every ticket); days bucketed by the school's own midnights.
/// Tickets belong to the period in which they were reported (resolved counts those resolved in it). Durations are the
/// ticket's own time (<see cref="ResponseClock"/>: working time for normal and low reports, wall time for urgent ones and
/// hazards), stamped on each ticket when it is saved; "claimed on time" compares with the deadline set on the same
/// clock. One SQL text for SQLite and PostgreSQL: times and durations are bigint milliseconds on both; counts are cast to
/// INTEGER (PostgreSQL's COUNT is bigint and its SUM of bigints numeric) so the rank arithmetic divides whole numbers on both.
/// </summary>
public sealed class ReportService(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, SemesterService semesters, SchoolClock clock)
{
    private const string OpenStatuses = "'New','Claimed','OnSite','Escalated'";

    /// <summary>The longest custom period, in days (a school year and a little).</summary>
    public const int MaxCustomDays = 400;

    /// <summary>Why a custom period cannot be reported on, or null when it can.</summary>
    /// <summary>The dates reports cover: a school's records, not the calendar's limits (0001-01-01 in a time zone does not exist).</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public static string? DateProblem(DateOnly? date) =>
        date is { } d && (d < EarliestDate || d > LatestDate) ? $"Choose dates between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}." : null;

    public static string? CustomPeriodProblem(DateOnly? from, DateOnly? to) =>
        from is null || to is null ? "Choose a start and an end date."
        : (DateProblem(from) ?? DateProblem(to)) is { } outOfRange ? outOfRange
        : to < from ? "The end date is before the start date: choose the end after the start."
        : to.Value.DayNumber - from.Value.DayNumber >= MaxCustomDays ? $"Choose at most {MaxCustomDays} days."
        : null;

    public async Task<ReportPeriod> PeriodAsync(PeriodKind kind, DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var today = clock.LocalDate(clock.UtcNow);
        switch (kind)
        {
            case PeriodKind.Day:
                return new ReportPeriod(kind, today, today, today.ToString("dddd d MMMM yyyy"));
            case PeriodKind.Week:
                var monday = SchoolClock.MondayOf(today);
                return new ReportPeriod(kind, monday, monday.AddDays(6), $"Week of {monday:d MMMM yyyy}");
            case PeriodKind.Month:
                var first = from is { } m ? new DateOnly(m.Year, m.Month, 1) : new DateOnly(today.Year, today.Month, 1);
                return new ReportPeriod(kind, first, first.AddMonths(1).AddDays(-1), first.ToString("MMMM yyyy"));
            case PeriodKind.Semester when await semesters.LatestStartedAsync(ct) is { } semester:
                return new ReportPeriod(kind, semester.StartsOn, semester.EndsOn, semester.Name);
            case PeriodKind.Custom when from is { } start && to is { } end && end >= start:
                return new ReportPeriod(kind, start, end, $"{start:d MMM yyyy} – {end:d MMM yyyy}");
            default:
                return new ReportPeriod(PeriodKind.Month, new DateOnly(today.Year, today.Month, 1),
                    new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1), today.ToString("MMMM yyyy"));
        }
    }

    public async Task<PeriodReport> BuildAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var from = clock.StartOf(period.From).ToUnixTimeMilliseconds();
        var to = clock.StartOf(period.To.AddDays(1)).ToUnixTimeMilliseconds();
        var now = clock.UtcNow.ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);

        var totals = (await Query<TotalsRow>(db, $"""
            SELECT CAST(COUNT(*) AS INTEGER) AS "Reported",
                   CAST(COALESCE(SUM(CASE WHEN "Status" IN ({OpenStatuses}) THEN 1 ELSE 0 END), 0) AS INTEGER) AS "Open",
                   CAST(COALESCE(SUM(CASE WHEN "Status" <> 'Cancelled' AND "ClaimedAt" IS NOT NULL AND "ClaimedAt" <= "ResponseDueAt" THEN 1 ELSE 0 END), 0) AS INTEGER) AS "OnTime",
                   CAST(COALESCE(SUM(CASE WHEN "Status" <> 'Cancelled' AND ("ClaimedAt" IS NOT NULL OR "ResponseDueAt" <= @now) THEN 1 ELSE 0 END), 0) AS INTEGER) AS "Measured",
                   CAST(COALESCE(SUM(CASE WHEN "ReopenCount" > 0 THEN 1 ELSE 0 END), 0) AS INTEGER) AS "Reopened",
                   AVG(CAST("Rating" AS DOUBLE PRECISION)) AS "AverageRating", CAST(COUNT("Rating") AS INTEGER) AS "Rated",
                   (SELECT CAST(COUNT(*) AS INTEGER) FROM "Tickets" WHERE "ResolvedAt" >= @from AND "ResolvedAt" < @to) AS "Resolved"
            FROM "Tickets" WHERE "ReportedAt" >= @from AND "ReportedAt" < @to
            """, ct, ("@from", from), ("@to", to), ("@now", now))).Single();

        var claim = await PercentilesAsync(db, "\"TimeToClaim\"", from, to, ct);
        var onSite = await PercentilesAsync(db, "\"TimeToOnSite\"", from, to, ct);
        var resolve = await PercentilesAsync(db, "\"TimeToResolve\"", from, to, ct);

        var snapshot = await areas.GetAsync(ct);
        var byArea = (await BreakdownAsync(db, "CAST(\"AreaId\" AS TEXT)", "", from, to, now, ct))
            .Select(r => r with { Label = int.TryParse(r.Key, out var id) && snapshot.ById.TryGetValue(id, out var a) ? a.Path : $"Area #{r.Key}" }).ToList();
        var byCategory = (await BreakdownAsync(db, "\"Category\"", "", from, to, now, ct))
            .Select(r => r with { Label = EnumNames.TryParse<TicketCategory>(r.Key, out var c) ? c.Label() : r.Key }).ToList();
        var staffNames = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.DisplayName, ct);
        var byStaff = (await BreakdownAsync(db, "CAST(\"ClaimedById\" AS TEXT)", "AND \"ClaimedById\" IS NOT NULL", from, to, now, ct))
            .Select(r => r with { Label = staffNames.GetValueOrDefault(r.Key, $"Staff #{r.Key}") }).ToList();

        return new PeriodReport(period,
            new TicketTotals(totals.Reported, totals.Resolved, totals.Open, totals.OnTime, totals.Measured, totals.Reopened, totals.AverageRating, totals.Rated),
            claim, onSite, resolve, byArea, byCategory, byStaff,
            await DaysAsync(db, period, ct),
            await InspectionsAsync(db, from, to, now, ct),
            (await TeamworkAsync(db, from, to, ct)).Select(r => r with { Name = staffNames.GetValueOrDefault(r.Name, $"Staff #{r.Name}") }).ToList());
    }

    /// <summary>
    /// Jobs resolved in the period (resolved or since closed), credited per person: led (the ticket's lead when it was
    /// resolved) and helped (on its team), counted apart, grouped in the database.
    /// </summary>
    private static async Task<List<TeamworkRow>> TeamworkAsync(DispatchDbContext db, long from, long to, CancellationToken ct)
    {
        var rows = await Query<TeamworkSqlRow>(db, """
            WITH fixed AS (SELECT "Id", "ClaimedById" FROM "Tickets"
                           WHERE "ResolvedAt" >= @from AND "ResolvedAt" < @to AND "Status" IN ('Resolved', 'Closed')),
                 credit AS (SELECT "ClaimedById" AS s, 1 AS led, 0 AS helped FROM fixed WHERE "ClaimedById" IS NOT NULL
                            UNION ALL
                            SELECT h."StaffId", 0, 1 FROM "TicketHelpers" h JOIN fixed ON fixed."Id" = h."TicketId")
            SELECT s AS "StaffId", CAST(SUM(led) AS INTEGER) AS "Led", CAST(SUM(helped) AS INTEGER) AS "Helped"
            FROM credit GROUP BY s ORDER BY SUM(led) + SUM(helped) DESC, s
            """, ct, ("@from", from), ("@to", to));
        return rows.Select(r => new TeamworkRow(r.StaffId, r.StaffId.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Led, r.Helped)).ToList();
    }

    /// <param name="column">A step's duration in milliseconds on the ticket's own time (stamped by <see cref="ResponseClock.Stamp"/>).</param>
    private static async Task<Percentiles> PercentilesAsync(DispatchDbContext db, string column, long from, long to, CancellationToken ct)
    {
        // Nearest rank over whole minutes: the median is the minute holding rank ceil(n/2), the 90th percentile ceil(0.9 n).
        // Counting per minute first keeps the running sum to a few hundred rows, whatever the number of tickets.
        var row = (await Query<PercentileRow>(db, $"""
            WITH h AS (SELECT {column} / 60000 AS m, CAST(COUNT(*) AS INTEGER) AS c FROM "Tickets"
                       WHERE "ReportedAt" >= @from AND "ReportedAt" < @to AND {column} IS NOT NULL GROUP BY m),
                 cum AS (SELECT m, CAST(SUM(c) OVER (ORDER BY m) AS INTEGER) AS upto, CAST(SUM(c) OVER () AS INTEGER) AS n FROM h)
            SELECT COALESCE(MAX(n), 0) AS "N",
                   MIN(CASE WHEN upto >= (n + 1) / 2 THEN m END) AS "Median",
                   MIN(CASE WHEN upto >= (9 * n + 9) / 10 THEN m END) AS "P90"
            FROM cum
            """, ct, ("@from", from), ("@to", to))).Single();
        return new Percentiles(row.N, Minutes(row.Median), Minutes(row.P90));
    }

    private static async Task<List<BreakdownRow>> BreakdownAsync(DispatchDbContext db, string key, string extraFilter, long from, long to, long now, CancellationToken ct)
    {
        var rows = await Query<BreakdownSqlRow>(db, $"""
            WITH agg AS (SELECT {key} AS k, CAST(COUNT(*) AS INTEGER) AS reported,
                                CAST(SUM(CASE WHEN "Status" IN ({OpenStatuses}) THEN 1 ELSE 0 END) AS INTEGER) AS open,
                                CAST(SUM(CASE WHEN "Status" <> 'Cancelled' AND "ClaimedAt" IS NOT NULL AND "ClaimedAt" <= "ResponseDueAt" THEN 1 ELSE 0 END) AS INTEGER) AS ontime,
                                CAST(SUM(CASE WHEN "Status" <> 'Cancelled' AND ("ClaimedAt" IS NOT NULL OR "ResponseDueAt" <= @now) THEN 1 ELSE 0 END) AS INTEGER) AS measured
                         FROM "Tickets" WHERE "ReportedAt" >= @from AND "ReportedAt" < @to {extraFilter} GROUP BY k),
                 h AS (SELECT {key} AS k, "TimeToResolve" / 60000 AS m, CAST(COUNT(*) AS INTEGER) AS c FROM "Tickets"
                       WHERE "ReportedAt" >= @from AND "ReportedAt" < @to AND "TimeToResolve" IS NOT NULL {extraFilter} GROUP BY k, m),
                 cum AS (SELECT k, m, CAST(SUM(c) OVER (PARTITION BY k ORDER BY m) AS INTEGER) AS upto,
                                CAST(SUM(c) OVER (PARTITION BY k) AS INTEGER) AS n FROM h),
                 pct AS (SELECT k, MAX(n) AS resolved,
                                MIN(CASE WHEN upto >= (n + 1) / 2 THEN m END) AS median,
                                MIN(CASE WHEN upto >= (9 * n + 9) / 10 THEN m END) AS p90
                         FROM cum GROUP BY k)
            SELECT agg.k AS "Key", agg.reported AS "Reported", agg.open AS "Open", agg.ontime AS "OnTime", agg.measured AS "Measured",
                   COALESCE(pct.resolved, 0) AS "Resolved", pct.median AS "Median", pct.p90 AS "P90"
            FROM agg LEFT JOIN pct ON pct.k = agg.k
            ORDER BY agg.Reported DESC, agg.k
            """, ct, ("@from", from), ("@to", to), ("@now", now));
        return rows.Select(r => new BreakdownRow(r.Key ?? "", r.Key ?? "", r.Reported, r.Open, r.Resolved, r.OnTime, r.Measured, Minutes(r.Median), Minutes(r.P90))).ToList();
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

    private static TimeSpan? Minutes(long? value) => value is { } m ? TimeSpan.FromMinutes(m) : null;

    /// <summary>Runs one of the texts above with the provider's own parameters (both read <c>@name</c>).</summary>
    private static Task<List<T>> Query<T>(DispatchDbContext db, string sql, CancellationToken ct, params (string Name, long Value)[] parameters)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        var values = parameters.Select(p =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = p.Name;
            parameter.Value = p.Value;
            parameter.DbType = System.Data.DbType.Int64;
            return (object)parameter;
        }).ToArray();
        return db.Database.SqlQueryRaw<T>(sql, values).ToListAsync(ct);
    }

    // Rows of the raw queries (column names match the SELECT aliases).
    private sealed class TotalsRow
    {
        public int Reported { get; set; }
        public int Open { get; set; }
        public int OnTime { get; set; }
        public int Measured { get; set; }
        public int Reopened { get; set; }
        public double? AverageRating { get; set; }
        public int Rated { get; set; }
        public int Resolved { get; set; }
    }

    private sealed class PercentileRow
    {
        public int N { get; set; }
        public long? Median { get; set; }
        public long? P90 { get; set; }
    }

    private sealed class BreakdownSqlRow
    {
        public string? Key { get; set; }
        public int Reported { get; set; }
        public int Open { get; set; }
        public int OnTime { get; set; }
        public int Measured { get; set; }
        public int Resolved { get; set; }
        public long? Median { get; set; }
        public long? P90 { get; set; }
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
