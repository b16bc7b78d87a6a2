using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Closes resolved tickets the reporter neither confirmed nor reopened within Dispatch:AutoCloseAfter. Each close is a
/// normal version-checked move from Resolved, so a second or concurrent run finds nothing left to close.
/// </summary>
public sealed class AutoCloseSweep(IDbContextFactory<DispatchDbContext> dbFactory, TicketChanges tickets, SchoolClock clock, IOptions<DispatchOptions> options,
    SchoolLanguage school)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var after = options.Value.AutoCloseAfter;
        var cutoff = clock.UtcNow - after;
        List<int> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.Tickets.Where(t => t.Status == TicketStatus.Resolved && t.ResolvedAt <= cutoff)
                .OrderBy(t => t.ResolvedAt).Select(t => t.Id).ToListAsync(ct);
        }
        var closed = 0;
        foreach (var id in due)
        {
            var result = await tickets.MoveAsync(id, TicketStatus.Closed,
                school.Write(() => L["Closed automatically: no reply from the reporter within {0}.", Durations.Short(after)]), Actor.System, ct);
            if (result.IsOk)
            {
                closed++;
            }
        }
        return closed;
    }
}
