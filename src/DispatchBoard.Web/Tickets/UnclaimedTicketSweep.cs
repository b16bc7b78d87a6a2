using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Runs every minute (Hangfire). A ticket still unclaimed past its response target goes up a level: level 1 alerts
/// every staff member on duty; level 2 (twice the target) alerts the dispatcher. Both count the ticket's own time
/// (<see cref="ResponseClock"/>), so a normal report is never raised out of hours; one that came in out of hours is
/// routed when the office opens. The level is stored on the ticket and
/// raised by a version-checked update, so running twice, concurrently or after a restart raises each level once.
/// </summary>
public sealed class UnclaimedTicketSweep(IDbContextFactory<DispatchDbContext> dbFactory, TicketChanges tickets, Areas.AreaDirectory areas,
    TicketRouter router, Staff.RosterService roster, ResponseClocks responseClocks, SchoolClock clock)
{
    public const int TopLevel = 2;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var responseClock = await responseClocks.NowAsync(ct);
        var raised = 0;
        List<(int Id, int Level, int Wanted)> overdue;
        List<int> waiting = [];
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (responseClock.IsOpen(now))
            {
                waiting = await db.Tickets.Where(t => t.Status == TicketStatus.New && t.WaitingForOpening).Select(t => t.Id).ToListAsync(ct);
            }
            overdue = (await db.Tickets
                    .Where(t => t.Status == TicketStatus.New && t.EscalationLevel < TopLevel && t.ResponseDueAt <= now)
                    .Select(t => new { t.Id, t.EscalationLevel, t.Priority, t.Category, t.ResponseDueAt })
                    .ToListAsync(ct))
                // A deadline set before a holiday was declared can fall on it: school-time tickets wait for the opening.
                .Where(t => ResponseClock.CountsWallTime(t.Priority, t.Category) || responseClock.IsOpen(now))
                .Select(t => (t.Id, t.EscalationLevel, now >= responseClock.LevelAt(t.Priority, t.Category, t.ResponseDueAt, TopLevel) ? TopLevel : 1))
                .ToList();
        }

        foreach (var id in waiting)
        {
            if (await RouteAtOpeningAsync(id, ct))
            {
                raised++;
            }
        }
        foreach (var (id, level, wanted) in overdue)
        {
            for (var next = level + 1; next <= wanted; next++)
            {
                if (await RaiseAsync(id, next, ct))
                {
                    raised++;
                }
            }
        }
        return raised;
    }

    /// <summary>
    /// A report that came in out of hours is routed once the office is open and someone is on duty (the roster puts
    /// them on at the opening); with nobody on duty it waits for the levels, which alert the dispatcher in time.
    /// </summary>
    private async Task<bool> RouteAtOpeningAsync(int ticketId, CancellationToken ct)
    {
        var result = await tickets.UpdateAsync(t => t.Id == ticketId, $"There is no ticket #{ticketId}.", async (edit, token) =>
        {
            if (edit.From != TicketStatus.New || !edit.Ticket.WaitingForOpening || !edit.Clock.IsOpen(edit.Now)
                || !await edit.Db.Staff.AnyAsync(s => s.IsActive && s.OnDuty, token))
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict("Nothing to route."));
                return;
            }
            var route = await router.RouteAsync(edit, token);
            edit.Record(TicketEventKind.RoutedAtOpening, Actor.System, null, () => L["The office opened. {0}", route.Note]);
        }, ct);
        return result.IsOk;
    }

    private async Task<bool> RaiseAsync(int ticketId, int level, CancellationToken ct)
    {
        var result = await tickets.UpdateAsync(t => t.Id == ticketId, $"There is no ticket #{ticketId}.", async (edit, token) =>
        {
            var ticket = edit.Ticket;
            if (edit.From != TicketStatus.New || ticket.EscalationLevel != level - 1)
            {
                // Claimed meanwhile, or another run (or instance) raised this level already.
                edit.Refuse(ServiceResult<TicketDto>.Conflict("Nothing to raise."));
                return;
            }
            ticket.EscalationLevel = level;
            ticket.WaitingForOpening = false;
            var target = edit.Clock.Target(ticket.Priority);
            var waited = edit.Clock.Between(ticket.Priority, ticket.Category, ticket.QueuedAt, edit.Now);
            var round = ticket.QueuedAt.ToUnixTimeMilliseconds();
            var area = (await areas.GetAsync(token)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? "";
            var category = ticket.Category;
            var title = ReaderText.Write(() => L["Still waiting {0}: {1} in {2}", Durations.Short(waited), category.Label(), area]);
            Func<string> note; // written in the school's language
            if (level == 1)
            {
                var onDuty = await Recipients.OnDutyAsync(edit.Db, token);
                // Out of hours an urgent report or a hazard pages the person on call again, with whoever is on duty.
                var onCall = TicketRouter.IsUrgent(ticket) && !edit.Clock.IsOpen(edit.Now) ? await roster.OnCallAsync(edit.Now, token) : null;
                if (onCall is not null && onDuty.All(s => s.StaffId != onCall.StaffId))
                {
                    onDuty.Add(onCall);
                }
                foreach (var person in onDuty)
                {
                    edit.Alert(new NewNotification(person.UserId, NotificationKind.Overdue, title, ticket.Description, ticket.Id, "/my",
                        $"overdue:{ticket.Id}:{round}:1:{person.UserId}", Urgent: TicketRouter.IsUrgent(ticket)));
                }
                var alerted = onDuty.Count;
                note = () => onCall is not null
                    ? alerted > 1
                        ? L["Not claimed within {0}: {1} (on call) and {2} staff on duty alerted again", Durations.Short(target), onCall.Name, alerted - 1]
                        : L["Not claimed within {0}: {1} (on call) alerted again", Durations.Short(target), onCall.Name]
                    : alerted > 0
                    ? L["Not claimed within {0}: all {1} staff on duty alerted", Durations.Short(target), alerted]
                    : L["Not claimed within {0}, and nobody is on duty", Durations.Short(target)];
            }
            else
            {
                var dispatchers = await Recipients.DispatchersAsync(edit.Db, token);
                foreach (var userId in dispatchers)
                {
                    edit.Alert(new NewNotification(userId, NotificationKind.Overdue, ReaderText.Write(() => L["Nobody has taken it: {0} in {1}", category.Label(), area]),
                        ticket.Description, ticket.Id, "/board", $"overdue:{ticket.Id}:{round}:2:{userId}", Urgent: TicketRouter.IsUrgent(ticket)));
                }
                note = () => L["Still unclaimed after {0}: the dispatcher was alerted", Durations.Short(target * 2)];
            }
            edit.Record(TicketEventKind.Overdue, Actor.System, null, note);
        }, ct);
        return result.IsOk;
    }
}
