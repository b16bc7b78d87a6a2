using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Tickets;

/// <summary>Where a ticket went when it was queued, in the words its history records.</summary>
public sealed record RoutedTicket(AreaRoute Route, string? StaffName)
{
    public string Note => Routing.Describe(Route, StaffName);
}

/// <summary>
/// Puts a ticket in the queue (reported, released, reopened): the response target counts again from now, and the
/// first people to hear of it are chosen by <see cref="Routing"/> and alerted once each, in the ticket's own change.
/// </summary>
public sealed class TicketRouter(AreaDirectory areas, IOptions<DispatchOptions> options)
{
    /// <summary>Restarts the response target: released tickets wait from now, and the sweep's levels start again.</summary>
    public void Requeue(Ticket ticket, DateTimeOffset now)
    {
        ticket.QueuedAt = now;
        ticket.ResponseDueAt = now + options.Value.ResponseTargets.For(ticket.Priority);
        ticket.EscalationLevel = 0;
    }

    /// <summary>Queues the ticket and routes it: owner, backup, everyone on duty, or the dispatcher, each alerted once.</summary>
    public async Task<RoutedTicket> QueueAsync(TicketEdit edit, CancellationToken ct)
    {
        var ticket = edit.Ticket;
        Requeue(ticket, edit.Now);
        var onDuty = await Recipients.OnDutyAsync(edit.Db, ct);
        var area = (await areas.GetAsync(ct)).ById[ticket.AreaId];
        var route = Routing.Decide(area, onDuty.Select(s => s.StaffId).ToHashSet());
        ticket.RoutedToId = route.StaffId;
        var routed = onDuty.FirstOrDefault(s => s.StaffId == route.StaffId);

        var title = $"{(ticket.Priority == TicketPriority.Urgent ? "URGENT: " : "")}{ticket.Category.Label()} in {area.Name}";
        var key = $"route:{ticket.Id}:{ticket.ReopenCount}";
        IEnumerable<(string UserId, string Link)> recipients = route.Reason switch
        {
            RouteReason.Owner or RouteReason.Backup => [(routed!.UserId, "/my")],
            RouteReason.EveryoneOnDuty => onDuty.Select(s => (s.UserId, "/my")),
            _ => (await Recipients.DispatchersAsync(edit.Db, ct)).Select(u => (u, "/board")),
        };
        foreach (var (userId, link) in recipients)
        {
            var body = route.Reason == RouteReason.NobodyOnDuty ? $"Nobody is on duty. {Summary(ticket)}" : Summary(ticket);
            edit.Alert(new NewNotification(userId, NotificationKind.Routed, title, body, ticket.Id, link, $"{key}:{userId}", Urgent: IsUrgent(ticket)));
        }
        return new RoutedTicket(route, routed?.Name);
    }

    /// <summary>An urgent report or a safety hazard: its alerts wake a sleeping phone (high push urgency).</summary>
    public static bool IsUrgent(Ticket ticket) => ticket.Priority == TicketPriority.Urgent || ticket.Category == TicketCategory.SafetyHazard;

    /// <summary>The first words of a description, for an alert's body.</summary>
    public static string Summary(Ticket ticket) =>
        ticket.Description.Length > 140 ? ticket.Description[..139] + "…" : ticket.Description;
}
