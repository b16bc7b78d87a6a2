using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Reports.ReportsText;

namespace DispatchBoard.Web.Reports;

/// <summary>One ticket as a CSV line (times in school time; durations in minutes on the ticket's own time, as the reports count them).</summary>
public sealed record TicketCsvRow(
    string TrackingCode, string ReportedAt, string AreaCode, string Area, string Category, string Priority, string Status, string Channel,
    string Description, string? LocationDetail, string? ClaimedBy, string? ClaimedAt, string? OnSiteAt, string? ResolvedAt, string? ClosedAt,
    double? MinutesToClaim, double? MinutesToResolve, int ReopenCount, int? Rating);

public sealed record BreakdownCsvRow(string Name, int Reported, int Open, int Resolved, double? CompliancePercent, double? MedianMinutesToResolve, double? P90MinutesToResolve);

public sealed record DayCsvRow(string Day, int Reported, int Resolved);

public sealed record TeamworkCsvRow(string Name, int JobsLed, int JobsHelped);

/// <summary>
/// CSV downloads (CsvHelper): the tickets of a period, streamed row by row, and each report table. UTF-8 with a byte order
/// mark so spreadsheet programs read Chinese names right; quotes, commas and line breaks in text are quoted per RFC 4180.
/// The column headers are in the reader's language (<see cref="Header"/>; English keeps the field names); the values stay
/// what they are (codes, the English names of categories and statuses, ISO times), so a file reads the same into any tool.
/// </summary>
public sealed class CsvExport(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, SchoolClock clock)
{
    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    // Text that reporters typed (anyone, anonymously) must not run as a formula when the office opens the file in a
    // spreadsheet: a field starting with = + - @ gets a leading apostrophe, as OWASP advises for CSV injection.
    internal static CsvConfiguration Config => new(CultureInfo.InvariantCulture) { NewLine = "\r\n", InjectionOptions = InjectionOptions.Escape };

    public async Task WriteTicketsAsync(ReportPeriod period, Stream output, CancellationToken ct)
    {
        var from = clock.StartOf(period.From);
        var to = clock.StartOf(period.To.AddDays(1));
        var snapshot = await areas.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var writer = new StreamWriter(output, Utf8WithBom, leaveOpen: true);
        await using var csv = new CsvWriter(writer, Config);
        UseHeaders<TicketCsvRow>(csv.Context);
        csv.WriteHeader<TicketCsvRow>();
        await csv.NextRecordAsync();
        var rows = db.Tickets.AsNoTracking().Where(t => t.ReportedAt >= from && t.ReportedAt < to).OrderBy(t => t.ReportedAt)
            .Select(t => new { Ticket = t, ClaimedBy = t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            var t = row.Ticket;
            var area = snapshot.ById.GetValueOrDefault(t.AreaId);
            csv.WriteRecord(new TicketCsvRow(t.TrackingCode, Local(t.ReportedAt)!, area?.Code ?? "", area?.Path ?? "", t.Category.ToString(),
                t.Priority.ToString(), t.Status.ToString(), t.Channel.ToString(), t.Description, t.LocationDetail, row.ClaimedBy, Local(t.ClaimedAt),
                Local(t.OnSiteAt), Local(t.ResolvedAt), Local(t.ClosedAt), Minutes(t.TimeToClaim), Minutes(t.TimeToResolve),
                t.ReopenCount, t.Rating));
            await csv.NextRecordAsync();
        }
    }

    public static async Task WriteAsync<T>(IEnumerable<T> rows, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, Utf8WithBom, leaveOpen: true);
        await using var csv = new CsvWriter(writer, Config);
        UseHeaders<T>(csv.Context);
        await csv.WriteRecordsAsync(rows, ct);
    }

    public static IEnumerable<BreakdownCsvRow> Rows(IEnumerable<BreakdownRow> rows) => rows.Select(r => new BreakdownCsvRow(r.Label, r.Reported, r.Open,
        r.Resolved, Round(r.Compliance), r.MedianResolve?.TotalMinutes, r.P90Resolve?.TotalMinutes));

    public static IEnumerable<DayCsvRow> Rows(IEnumerable<DayCount> days) =>
        days.Select(d => new DayCsvRow(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Reported, d.Resolved));

    public static IEnumerable<TeamworkCsvRow> Rows(IEnumerable<TeamworkRow> rows) => rows.Select(r => new TeamworkCsvRow(r.Name, r.Led, r.Helped));

    /// <summary>Reads a CSV this class wrote (for checks and for re-importing elsewhere).</summary>
    public static List<T> Read<T>(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, Config);
        UseHeaders<T>(csv.Context);
        return csv.GetRecords<T>().ToList();
    }

    /// <summary>Names <typeparamref name="T"/>'s columns (written and read) in the current culture: <see cref="Header"/>.</summary>
    internal static void UseHeaders<T>(CsvContext context)
    {
        var map = context.AutoMap<T>();
        foreach (var member in map.MemberMaps.Where(m => m.Data.Member is not null))
        {
            member.Name(Header(member.Data.Member!.Name));
        }
        foreach (var parameter in map.ParameterMaps)
        {
            parameter.Name(Header(parameter.Data.Parameter.Name!));
        }
        context.RegisterClassMap(map);
    }

    /// <summary>A column's header in the reader's language; in English, the field's name as it always was.</summary>
    public static string Header(string field) => field.ToUpperInvariant() switch
    {
        "TRACKINGCODE" => L["TrackingCode"],
        "REPORTEDAT" => L["ReportedAt"],
        "AREACODE" => L["AreaCode"],
        "AREA" => L["Area"],
        "CATEGORY" => L["Category"],
        "PRIORITY" => L["Priority"],
        "STATUS" => L["Status"],
        "CHANNEL" => L["Channel"],
        "DESCRIPTION" => L["Description"],
        "LOCATIONDETAIL" => L["LocationDetail"],
        "CLAIMEDBY" => L["ClaimedBy"],
        "CLAIMEDAT" => L["ClaimedAt"],
        "ONSITEAT" => L["OnSiteAt"],
        "RESOLVEDAT" => L["ResolvedAt"],
        "CLOSEDAT" => L["ClosedAt"],
        "MINUTESTOCLAIM" => L["MinutesToClaim"],
        "MINUTESTORESOLVE" => L["MinutesToResolve"],
        "REOPENCOUNT" => L["ReopenCount"],
        "RATING" => L["Rating"],
        "NAME" => L["Name"],
        "REPORTED" => L["Reported"],
        "OPEN" => L["Open"],
        "RESOLVED" => L["Resolved"],
        "COMPLIANCEPERCENT" => L["CompliancePercent"],
        "MEDIANMINUTESTORESOLVE" => L["MedianMinutesToResolve"],
        "P90MINUTESTORESOLVE" => L["P90MinutesToResolve"],
        "DAY" => L["Day"],
        "JOBSLED" => L["JobsLed"],
        "JOBSHELPED" => L["JobsHelped"],
        "AT" => L["At"],
        "KIND" => L["Kind"],
        "PERSON" => L["Person"],
        "SUBJECT" => L["Subject"],
        "DETAILS" => L["Details"],
        "ADDRESS" => L["Address"],
        _ => field,
    };

    private string? Local(DateTimeOffset? instant) =>
        instant is { } i ? clock.ToLocal(i).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;

    private static double? Minutes(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMinutes, 1) : null;

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
