using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>Where a ticket went when it was queued, in the words its history records.</summary>
/// <param name="Opens">For <see cref="RouteReason.OutOfHours"/>: when the office opens, written in the current language.</param>
public sealed record RoutedTicket(AreaRoute Route, string? StaffName, Func<string>? Opens = null)
{
    /// <summary>
    /// In the current language: read it where the history's note is written (<see cref="TicketEdit.Record(TicketEventKind, Auth.Actor?, Staff.StaffMember?, Func{string?}, string?)"/>,
    /// the school's language) or where an alert is written for its reader.
    /// </summary>
    public string Note => Routing.Describe(Route, Route.Reason == RouteReason.OutOfHours ? Opens?.Invoke() : StaffName);
}

/// <summary>
/// Puts a ticket in the queue (reported, released, reopened): the response target counts again from now, and the
/// first people to hear of it are chosen by <see cref="Routing"/> and alerted once each, in the ticket's own change.
/// </summary>
public sealed class TicketRouter(AreaDirectory areas, Staff.RosterService roster)
{
    /// <summary>
    /// Restarts the response target: released tickets wait from now, and the sweep's levels start again. The deadline is
    /// on the ticket's own time (<see cref="ResponseClock"/>): a normal report made on Friday evening is due on Monday.
    /// </summary>
    public static void Requeue(TicketEdit edit)
    {
        var ticket = edit.Ticket;
        if (ticket.PlannedFor <= edit.Now)
        {
            ticket.PlannedFor = null; // a plan for a time gone by says nothing about a job back in the queue
        }
        ticket.QueuedAt = edit.Now;
        ticket.ResponseDueAt = edit.Clock.DueAt(ticket.Priority, ticket.Category, edit.Now, ticket.PlannedFor);
        ticket.EscalationLevel = 0;
    }

    /// <summary>
    /// Queues the ticket and routes it: owner, backup, everyone on duty, or the dispatcher, each alerted once; out of
    /// hours an urgent report or hazard goes to the person on call, and any other waits for the opening.
    /// </summary>
    public async Task<RoutedTicket> QueueAsync(TicketEdit edit, CancellationToken ct)
    {
        Requeue(edit);
        return await RouteAsync(edit, ct);
    }

    /// <summary>
    /// Routes a queued ticket without touching its target: on queueing, and when the office opens for one that came in
    /// out of hours (<see cref="Ticket.WaitingForOpening"/>).
    /// </summary>
    public async Task<RoutedTicket> RouteAsync(TicketEdit edit, CancellationToken ct)
    {
        var ticket = edit.Ticket;
        var area = (await areas.GetAsync(ct)).ById[ticket.AreaId];
        // Written for each recipient in their language as the alert is stored.
        var (category, urgent, areaName, summary) = (ticket.Category, ticket.Priority == TicketPriority.Urgent, area.Name, Summary(ticket));
        var title = ReaderText.Write(() => urgent ? L["URGENT: {0} in {1}", category.Label(), areaName] : L["{0} in {1}", category.Label(), areaName]);
        var key = $"route:{ticket.Id}:{ticket.ReopenCount}";
        if (IsUrgent(ticket) && !edit.Clock.IsOpen(edit.Now) && await roster.OnCallAsync(edit.Now, ct) is { } onCall)
        {
            // Out of hours an urgent report or a hazard wakes the person on call, and only them.
            ticket.RoutedToId = onCall.StaffId;
            ticket.WaitingForOpening = false;
            edit.Alert(new NewNotification(onCall.UserId, NotificationKind.Routed, title, ReaderText.Write(() => L["You are on call. {0}", summary]), ticket.Id, "/my",
                $"{key}:{onCall.UserId}", Urgent: true));
            return new RoutedTicket(new AreaRoute(RouteReason.OnCall, onCall.StaffId), onCall.Name);
        }
        if (!IsUrgent(ticket) && !edit.Clock.IsOpen(edit.Now))
        {
            // Out of hours a broken stool wakes nobody, whatever duty switches were left on (a job claimed at 17:45 keeps
            // its claimer on duty until their next roster edge): it waits on the board, its target counts from the
            // opening, and the sweep routes it then.
            var (responseClock, opening, now) = (edit.Clock, edit.Clock.Calendar.NextOpening(edit.Now), edit.Now);
            ticket.RoutedToId = null;
            ticket.WaitingForOpening = true;
            return new RoutedTicket(new AreaRoute(RouteReason.OutOfHours, null), null, () => responseClock.DayAndTime(opening, now));
        }
        var onDuty = await Recipients.OnDutyAsync(edit.Db, ct);
        var route = Routing.Decide(area, onDuty.Select(s => s.StaffId).ToHashSet());
        ticket.RoutedToId = route.StaffId;
        ticket.WaitingForOpening = false;
        var routed = onDuty.FirstOrDefault(s => s.StaffId == route.StaffId);

        IEnumerable<(string UserId, string Link)> recipients = route.Reason switch
        {
            RouteReason.Owner or RouteReason.Backup => [(routed!.UserId, "/my")],
            RouteReason.EveryoneOnDuty => onDuty.Select(s => (s.UserId, "/my")),
            _ => (await Recipients.DispatchersAsync(edit.Db, ct)).Select(u => (u, "/board")),
        };
        foreach (var (userId, link) in recipients)
        {
            var body = route.Reason == RouteReason.NobodyOnDuty ? ReaderText.Write(() => L["Nobody is on duty. {0}", summary]) : summary;
            edit.Alert(new NewNotification(userId, NotificationKind.Routed, title, body, ticket.Id, link, $"{key}:{userId}", Urgent: IsUrgent(ticket)));
        }
        return new RoutedTicket(route, routed?.Name);
    }

    /// <summary>An urgent report or a safety hazard: its alerts wake a sleeping phone (high push urgency).</summary>
    public static bool IsUrgent(Ticket ticket) => ResponseClock.CountsWallTime(ticket.Priority, ticket.Category);

    /// <summary>The first words of a description, for an alert's body.</summary>
    public static string Summary(Ticket ticket) =>
        ticket.Description.Length > 140 ? TextCut.Head(ticket.Description, 139) + "…" : ticket.Description;
}
