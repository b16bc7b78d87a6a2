using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// One of "Your reports": a tracking code remembered in this browser (a report, or a "me too") and where its problem
/// stands now: the ticket it follows (the surviving one, when it was merged), with its area, category and status.
/// </summary>
/// <param name="Chain">Every ticket on the way from the code's own to the one it follows: a merge or its undo on any of them changes what the code shows.</param>
public sealed record YourReport(string Code, int TicketId, int Version, string AreaPath, TicketCategory Category, TicketStatus Status,
    IReadOnlyList<int>? Chain = null)
{
    public IReadOnlyList<int> Chain { get; init; } = Chain ?? [TicketId];
}

/// <summary>Looks up the codes a browser remembers; codes no report has are left out.</summary>
public sealed class YourReportsLookup(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas)
{
    public const int MaxCodes = 20;
    private const int MaxMergeDepth = 10;

    public async Task<IReadOnlyList<YourReport>> FindAsync(IEnumerable<string> codes, CancellationToken ct = default)
    {
        var wanted = codes.Select(TrackingCode.Normalize).OfType<string>().Distinct().Take(MaxCodes).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticketOf = await db.Tickets.Where(t => wanted.Contains(t.TrackingCode)).Select(t => new { t.TrackingCode, t.Id }).ToDictionaryAsync(t => t.TrackingCode, t => t.Id, ct);
        foreach (var meToo in await db.TicketReports.Where(r => wanted.Contains(r.TrackingCode)).Select(r => new { r.TrackingCode, r.TicketId }).ToListAsync(ct))
        {
            ticketOf.TryAdd(meToo.TrackingCode, meToo.TicketId);
        }
        // A merged report follows the ticket it was merged into (and that one's, if it was merged on).
        var rows = new Dictionary<int, Ticket>();
        var pending = ticketOf.Values.Distinct().ToList();
        for (var depth = 0; depth <= MaxMergeDepth && pending.Count > 0; depth++)
        {
            foreach (var t in await db.Tickets.AsNoTracking().Where(t => pending.Contains(t.Id)).ToListAsync(ct))
            {
                rows[t.Id] = t;
            }
            pending = rows.Values.Where(t => t.MergedIntoId is { } into && !rows.ContainsKey(into)).Select(t => t.MergedIntoId!.Value).Distinct().ToList();
        }
        var snapshot = await areas.GetAsync(ct);
        var found = new List<YourReport>();
        foreach (var code in wanted)
        {
            if (!ticketOf.TryGetValue(code, out var id) || !rows.TryGetValue(id, out var ticket))
            {
                continue;
            }
            var chain = new List<int> { ticket.Id };
            for (var depth = 0; depth < MaxMergeDepth && ticket.MergedIntoId is { } into && rows.TryGetValue(into, out var survivor); depth++)
            {
                ticket = survivor;
                chain.Add(ticket.Id);
            }
            found.Add(new YourReport(code, ticket.Id, ticket.Version, snapshot.ById.GetValueOrDefault(ticket.AreaId)?.Path ?? "",
                ticket.Category, ticket.Status, chain));
        }
        return found;
    }
}

/// <summary>
/// The browser's list of its own reports (localStorage, through <c>dispatchBoard.yourReports</c> in app.js), for any
/// component: <c>await JS.AddYourReportAsync(code)</c> after a report or a "me too", and the list on /report updates.
/// </summary>
public static class YourReportsStore
{
    public static async Task<IReadOnlyList<string>> ListYourReportsAsync(this IJSRuntime js) =>
        await js.InvokeAsync<string[]?>("dispatchBoard.yourReports.list") ?? [];

    public static async Task AddYourReportAsync(this IJSRuntime js, string code) =>
        await js.InvokeAsync<bool>("dispatchBoard.yourReports.add", code);

    public static async Task ForgetYourReportAsync(this IJSRuntime js, string code) =>
        await js.InvokeVoidAsync("dispatchBoard.yourReports.remove", code);
}
