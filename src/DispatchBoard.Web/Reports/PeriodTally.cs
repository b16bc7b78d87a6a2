using System.Data.Common;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Reports;

/// <summary>
/// The figures of the tickets reported in a period, tallied in one pass over the rows the database streams out of the
/// covering index (<see cref="Sql"/>): totals, the three step durations and the breakdowns by area, category and staff.
/// It replaced ten grouped scans of that index (totals, three percentile histograms, three breakdowns of two each):
/// the semester report over 100,000 tickets went from 596 ms to ~280 ms on SQLite and ~290 ms on PostgreSQL (median of 7,
/// `reports` benchmark). Durations are counted per whole minute (<see cref="Histogram"/>).
/// </summary>
internal sealed class PeriodTally
{
    private static readonly string[] Categories = Enum.GetNames<TicketCategory>();

    /// <summary>
    /// The columns <see cref="Add"/> reads, in its order; parameters <c>@from</c>, <c>@to</c> and <c>@now</c>. Only
    /// integers cross into .NET, none of them null: each costs a call into the database driver per row (measured: the
    /// driver, not SQLite, was two thirds of a semester's 100,000 rows), so the rules that sort a ticket (open, claimed on
    /// time, measured, reopened) are one flags column computed as the index is read, the category is its position in
    /// <see cref="TicketCategory"/>, and an absent staff member, rating or duration is 0, 0 and -1 (ids and ratings start
    /// at 1; a duration is never negative, <see cref="ResponseClock.Between"/>).
    /// </summary>
    public static readonly string Sql = $"""
        SELECT "AreaId",
               CASE "Category" {string.Join(" ", Categories.Select((name, i) => $"WHEN '{name}' THEN {i}"))} ELSE -1 END,
               COALESCE("ClaimedById", 0),
               (CASE WHEN "Status" IN ('New', 'Claimed', 'OnSite', 'Escalated') THEN 1 ELSE 0 END)
             | (CASE WHEN "Status" <> 'Cancelled' AND "ClaimedAt" IS NOT NULL AND "ClaimedAt" <= "ResponseDueAt" THEN 2 ELSE 0 END)
             | (CASE WHEN "Status" <> 'Cancelled' AND ("ClaimedAt" IS NOT NULL OR "ResponseDueAt" <= @now) THEN 4 ELSE 0 END)
             | (CASE WHEN "ReopenCount" > 0 THEN 8 ELSE 0 END),
               COALESCE("Rating", 0),
               COALESCE("TimeToClaim" / {Minute}, -1), COALESCE("TimeToOnSite" / {Minute}, -1), COALESCE("TimeToResolve" / {Minute}, -1)
        FROM "Tickets" WHERE "ReportedAt" >= @from AND "ReportedAt" < @to
        """;

    private const long Minute = 60_000;

    private readonly Group _all = new();
    private readonly Histogram _claim = new();
    private readonly Histogram _onSite = new();
    private readonly Dictionary<int, Group> _areas = [];
    private readonly Dictionary<int, Group> _categories = [];
    private readonly Dictionary<int, Group> _staff = [];
    private int _reopened;
    private int _rated;
    private long _ratingSum;

    public void Add(DbDataReader row)
    {
        var flags = row.GetInt32(3);
        var resolve = row.GetInt64(7);
        var line = new Line(Open: (flags & 1) != 0, OnTime: (flags & 2) != 0, Measured: (flags & 4) != 0, resolve);
        _all.Add(line);
        Of(_areas, row.GetInt32(0)).Add(line);
        Of(_categories, row.GetInt32(1)).Add(line);
        if (row.GetInt32(2) is var staffId and > 0)
        {
            Of(_staff, staffId).Add(line);
        }
        if ((flags & 8) != 0)
        {
            _reopened++;
        }
        if (row.GetInt32(4) is var rating and > 0)
        {
            _rated++;
            _ratingSum += rating;
        }
        if (row.GetInt64(5) is var claim and >= 0)
        {
            _claim.Add(claim);
        }
        if (row.GetInt64(6) is var onSite and >= 0)
        {
            _onSite.Add(onSite);
        }
    }

    /// <param name="resolved">Tickets resolved in the period, whenever they were reported (counted apart).</param>
    public TicketTotals Totals(int resolved) => new(_all.Reported, resolved, _all.Open, _all.OnTime, _all.Measured, _reopened,
        _rated == 0 ? null : (double)_ratingSum / _rated, _rated);

    public Percentiles TimeToClaim => _claim.Rank();

    public Percentiles TimeToOnSite => _onSite.Rank();

    public Percentiles TimeToResolve => _all.Resolve.Rank();

    /// <summary>Rows keyed as the report's links and CSV name them (ids and category names as text), busiest first.</summary>
    public List<BreakdownRow> ByArea => Rows(_areas);

    public List<BreakdownRow> ByCategory => Rows(_categories.ToDictionary(g => g.Key >= 0 ? Categories[g.Key] : "?", g => g.Value));

    public List<BreakdownRow> ByStaff => Rows(_staff);

    private static List<BreakdownRow> Rows<TKey>(Dictionary<TKey, Group> groups) where TKey : notnull =>
        groups.Select(g =>
            {
                var key = Convert.ToString(g.Key, System.Globalization.CultureInfo.InvariantCulture)!;
                var resolve = g.Value.Resolve.Rank();
                return new BreakdownRow(key, key, g.Value.Reported, g.Value.Open, resolve.Count, g.Value.OnTime, g.Value.Measured, resolve.Median, resolve.P90);
            })
            .OrderByDescending(r => r.Reported).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();

    private static Group Of<TKey>(Dictionary<TKey, Group> groups, TKey key) where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var group))
        {
            groups[key] = group = new Group();
        }
        return group;
    }

    /// <param name="ResolveMinutes">-1 when not resolved.</param>
    private readonly record struct Line(bool Open, bool OnTime, bool Measured, long ResolveMinutes);

    private sealed class Group
    {
        public int Reported;
        public int Open;
        public int OnTime;
        public int Measured;
        public readonly Histogram Resolve = new();

        public void Add(Line line)
        {
            Reported++;
            Open += line.Open ? 1 : 0;
            OnTime += line.OnTime ? 1 : 0;
            Measured += line.Measured ? 1 : 0;
            if (line.ResolveMinutes >= 0)
            {
                Resolve.Add(line.ResolveMinutes);
            }
        }
    }

    /// <summary>
    /// Tickets per whole minute of a duration: a few hundred counters, however many tickets (a list of every value put
    /// megabytes per report on the large-object heap; measured, the counters took the semester's median from 300 to 281 ms).
    /// </summary>
    private sealed class Histogram
    {
        private readonly Dictionary<long, int> _perMinute = [];
        private int _count;

        public void Add(long minute)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_perMinute, minute, out _)++;
            _count++;
        }

        /// <summary>Nearest rank: the median is the minute holding rank ceil(n/2), the 90th percentile the one holding ceil(0.9 n).</summary>
        public Percentiles Rank()
        {
            if (_count == 0)
            {
                return new Percentiles(0, null, null);
            }
            long medianRank = (_count + 1) / 2, p90Rank = (9L * _count + 9) / 10, upTo = 0;
            long? median = null, p90 = null;
            foreach (var (minute, count) in _perMinute.OrderBy(p => p.Key))
            {
                upTo += count;
                if (median is null && upTo >= medianRank)
                {
                    median = minute;
                }
                if (upTo >= p90Rank)
                {
                    p90 = minute;
                    break;
                }
            }
            return new Percentiles(_count, TimeSpan.FromMinutes(median!.Value), TimeSpan.FromMinutes(p90!.Value));
        }
    }
}
