using DispatchBoard.Web.Areas;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Which open reports may be the same problem reported twice: the same category, in the same area or, for a room, in a
/// room of the same floor (or the floor itself), reported within <see cref="DispatchOptions.DuplicateWindow"/> of each
/// other. Pure, so the board decides it over the tickets it already holds (no query per card) and the details dialog over
/// the open tickets it reads.
/// </summary>
public static class PossibleDuplicates
{
    /// <summary>Where a report counts as "the same place": a room's floor (its parent), otherwise the area itself.</summary>
    public static int PlaceOf(int areaId, AreaDirectory.Snapshot areas) =>
        areas.ById.TryGetValue(areaId, out var area) && area.Level == AreaLevel.Room && area.ParentId is { } parent ? parent : areaId;

    public static bool Are(TicketDto a, TicketDto b, AreaDirectory.Snapshot areas, TimeSpan window) =>
        a.Id != b.Id
        && a.Status.IsOpen() && b.Status.IsOpen()
        && a.MergedIntoId is null && b.MergedIntoId is null
        && a.Category == b.Category
        && (a.ReportedAt - b.ReportedAt).Duration() <= window
        && (a.AreaId == b.AreaId || PlaceOf(a.AreaId, areas) == PlaceOf(b.AreaId, areas));

    /// <summary>The possible duplicates of <paramref name="ticket"/> among <paramref name="tickets"/>, earliest report first.</summary>
    public static IReadOnlyList<TicketDto> Of(TicketDto ticket, IEnumerable<TicketDto> tickets, AreaDirectory.Snapshot areas, TimeSpan window) =>
        tickets.Where(t => Are(ticket, t, areas, window)).OrderBy(t => t.ReportedAt).ThenBy(t => t.Id).ToList();

    /// <summary>
    /// For the cards: each ticket that came in after a possible duplicate of it, with the earliest such report (the
    /// card says "possible duplicate of #12"); the first report of a problem is not marked.
    /// </summary>
    public static IReadOnlyDictionary<int, int> EarlierOf(IEnumerable<TicketDto> tickets, AreaDirectory.Snapshot areas, TimeSpan window)
    {
        var earlier = new Dictionary<int, int>();
        // Only reports of one category in one place can match: compared within those groups, not all pairs on the board.
        foreach (var group in tickets.Where(t => t.Status.IsOpen() && t.MergedIntoId is null)
                     .GroupBy(t => (t.Category, Place: PlaceOf(t.AreaId, areas))))
        {
            var open = group.OrderBy(t => t.ReportedAt).ThenBy(t => t.Id).ToList();
            for (var i = 1; i < open.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (Are(open[i], open[j], areas, window))
                    {
                        earlier[open[i].Id] = open[j].Id;
                        break;
                    }
                }
            }
        }
        return earlier;
    }
}

/// <summary>The possible duplicates the details dialog offers to merge.</summary>
public sealed class TicketDuplicates(TicketQueries queries, AreaDirectory areas, IOptions<DispatchOptions> options)
{
    public TimeSpan Window => options.Value.DuplicateWindow;

    public async Task<IReadOnlyList<TicketDto>> ForAsync(int ticketId, CancellationToken ct = default)
    {
        var open = await queries.ListAsync(openOnly: true, take: 0, ct);
        if (open.FirstOrDefault(t => t.Id == ticketId) is not { } ticket)
        {
            return [];
        }
        return PossibleDuplicates.Of(ticket, open, await areas.GetAsync(ct), Window);
    }
}
