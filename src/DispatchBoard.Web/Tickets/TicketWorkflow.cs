using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>The state of a ticket that the rules look at.</summary>
public readonly record struct TicketState(TicketStatus Status, int? ClaimedById, string? ClaimedByName);

/// <summary>
/// Who wants the move: their staff record (if they take jobs), whether they may dispatch, decide escalations, and whether
/// they help the lead on this ticket (a helper marks their part done; only the lead resolves).
/// </summary>
public readonly record struct MoveActor(int? StaffId, bool CanDispatch, bool IsPrincipal = false, bool IsHelper = false);

public readonly record struct MoveDecision(ResultKind Kind, string? Message)
{
    public bool Allowed => Kind == ResultKind.Ok;
    public static readonly MoveDecision Allow = new(ResultKind.Ok, null);
    public static MoveDecision Conflict(string message) => new(ResultKind.Conflict, message);
    public static MoveDecision Forbidden(string message) => new(ResultKind.Forbidden, message);
}

/// <summary>
/// Every status move and who may make it. New → Claimed → OnSite → Resolved → Closed; Claimed/OnSite → New (release);
/// Claimed/OnSite → Escalated (to the principal) → Claimed (approved) or Closed (rejected); Resolved → New (reopen);
/// open tickets → Cancelled. Pure: the services apply it, the database decides races.
/// </summary>
public static class TicketWorkflow
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Moves = new()
    {
        [TicketStatus.New] = [TicketStatus.Claimed, TicketStatus.Cancelled],
        [TicketStatus.Claimed] = [TicketStatus.OnSite, TicketStatus.New, TicketStatus.Escalated, TicketStatus.Cancelled],
        [TicketStatus.OnSite] = [TicketStatus.Resolved, TicketStatus.New, TicketStatus.Escalated, TicketStatus.Cancelled],
        [TicketStatus.Escalated] = [TicketStatus.Claimed, TicketStatus.Closed, TicketStatus.Cancelled],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.New],
        [TicketStatus.Closed] = [],
        [TicketStatus.Cancelled] = [],
    };

    public static bool IsAllowedMove(TicketStatus from, TicketStatus to) => Moves[from].Contains(to);

    public static IReadOnlyList<TicketStatus> NextStatuses(TicketStatus from) => Moves[from];

    public static MoveDecision Decide(TicketState ticket, TicketStatus to, MoveActor actor)
    {
        if (!IsAllowedMove(ticket.Status, to))
        {
            return MoveDecision.Conflict(WhyNot(ticket, to, actor));
        }

        var holder = ticket.ClaimedByName ?? "another caretaker";
        var isHolder = actor.StaffId is not null && actor.StaffId == ticket.ClaimedById;
        return (ticket.Status, to) switch
        {
            (TicketStatus.New, TicketStatus.Claimed) when actor.StaffId is null =>
                MoveDecision.Forbidden(L["Only staff members who take jobs can claim a ticket; a dispatcher assigns it instead."]),
            (TicketStatus.OnSite, TicketStatus.Resolved) when !isHolder && !actor.CanDispatch && actor.IsHelper =>
                MoveDecision.Forbidden(L["Only the lead, {0}, resolves this job; mark your part done instead.", holder]),
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.OnSite or TicketStatus.Resolved or TicketStatus.New or TicketStatus.Escalated)
                when !isHolder && !actor.CanDispatch =>
                MoveDecision.Forbidden(L["This ticket is claimed by {0}; only they or a dispatcher can change it.", holder]),
            (TicketStatus.Escalated, TicketStatus.Claimed or TicketStatus.Closed) when !actor.IsPrincipal =>
                MoveDecision.Forbidden(L["This job is waiting for the principal's office; only the principal decides on it."]),
            (_, TicketStatus.Cancelled) when !actor.CanDispatch =>
                MoveDecision.Forbidden(L["Only a dispatcher can cancel a ticket."]),
            (TicketStatus.Resolved, _) when !actor.CanDispatch =>
                MoveDecision.Forbidden(L["Only a dispatcher can close or reopen a resolved ticket."]),
            _ => MoveDecision.Allow,
        };
    }

    /// <summary>The dispatcher hands a ticket to a staff member; it becomes Claimed by them.</summary>
    public static MoveDecision DecideAssign(TicketState ticket, int staffId, string staffName, MoveActor actor)
    {
        if (!actor.CanDispatch)
        {
            return MoveDecision.Forbidden(L["Only a dispatcher can assign tickets."]);
        }
        if (ticket.Status == TicketStatus.Escalated)
        {
            return MoveDecision.Conflict(L["This job is waiting for the principal's office; it can be assigned again after the decision."]);
        }
        if (!ticket.Status.IsOpen())
        {
            return MoveDecision.Conflict(L["This ticket is {0}; only open tickets can be assigned.", ticket.Status.Label().ToLowerInvariant()]);
        }
        return ticket.ClaimedById == staffId
            ? MoveDecision.Conflict(L["This ticket is already with {0}.", staffName])
            : MoveDecision.Allow;
    }

    private static string WhyNot(TicketState ticket, TicketStatus to, MoveActor actor)
    {
        var holder = ticket.ClaimedByName ?? L["another caretaker"];
        return (ticket.Status, to) switch
        {
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.Claimed) when actor.StaffId is not null && actor.StaffId == ticket.ClaimedById =>
                L["You have already claimed this ticket."],
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.Claimed) => L["Already claimed by {0}.", holder],
            (TicketStatus.New, TicketStatus.OnSite) => L["This ticket has not been claimed yet; claim it before going on site."],
            (TicketStatus.New, TicketStatus.Resolved) => L["This ticket has not been claimed yet; claim it and go on site before resolving it."],
            (TicketStatus.Claimed, TicketStatus.Resolved) => L["Mark the ticket on site before resolving it."],
            (TicketStatus.OnSite, TicketStatus.OnSite) => L["This ticket is already marked on site."],
            (TicketStatus.New, TicketStatus.New) => L["This ticket is already waiting in the queue."],
            (TicketStatus.Escalated, _) => L["This job is waiting for the principal's office to decide."],
            (_, TicketStatus.Escalated) => L["Only a claimed job can be put to the principal's office."],
            (TicketStatus.Resolved, _) => L["This ticket is already resolved."],
            (TicketStatus.Closed, _) => L["This ticket is closed; report the problem again if it came back."],
            (TicketStatus.Cancelled, _) => L["This ticket was cancelled; report the problem again if it still needs attention."],
            (_, TicketStatus.Closed) => L["Only a resolved ticket can be closed."],
            _ => L["A ticket cannot go from {0} to {1}.", ticket.Status.Label(), to.Label()],
        };
    }
}
