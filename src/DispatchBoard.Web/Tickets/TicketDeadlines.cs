using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// When the calendar changes (a snow day declared, a holiday removed), the deadlines of the tickets still waiting are
/// counted again on the new calendar, each through the ticket's own versioned change, so every board shows the new
/// countdown at once and the sweep chases nobody on the new holiday.
/// </summary>
public sealed class TicketDeadlines(IDbContextFactory<DispatchDbContext> dbFactory, TicketChanges tickets, ResponseClocks responseClocks)
    : ICalendarFollower
{
    public async Task FollowCalendarAsync(CancellationToken ct)
    {
        // Counted here first, so only the tickets whose deadline moves are rewritten (and published).
        var clock = await responseClocks.NowAsync(ct);
        List<int> moved;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            moved = (await db.Tickets.Where(t => t.Status == TicketStatus.New)
                    .Select(t => new { t.Id, t.Priority, t.Category, t.QueuedAt, t.PlannedFor, t.ResponseDueAt })
                    .ToListAsync(ct))
                .Where(t => clock.DueAt(t.Priority, t.Category, t.QueuedAt, t.PlannedFor) != t.ResponseDueAt)
                .Select(t => t.Id)
                .ToList();
        }
        foreach (var id in moved)
        {
            await tickets.UpdateAsync(t => t.Id == id, $"There is no ticket #{id}.", (edit, _) =>
            {
                var ticket = edit.Ticket;
                var due = edit.Clock.DueAt(ticket.Priority, ticket.Category, ticket.QueuedAt, ticket.PlannedFor);
                if (edit.From != TicketStatus.New || due == ticket.ResponseDueAt)
                {
                    edit.Refuse(ServiceResult<TicketDto>.Conflict("Its deadline is unchanged."));
                }
                else
                {
                    ticket.ResponseDueAt = due;
                }
                return Task.CompletedTask;
            }, ct);
        }
    }
}
