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
                MoveDecision.Forbidden("Only staff members who take jobs can claim a ticket; a dispatcher assigns it instead."),
            (TicketStatus.OnSite, TicketStatus.Resolved) when !isHolder && !actor.CanDispatch && actor.IsHelper =>
                MoveDecision.Forbidden($"Only the lead, {holder}, resolves this job; mark your part done instead."),
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.OnSite or TicketStatus.Resolved or TicketStatus.New or TicketStatus.Escalated)
                when !isHolder && !actor.CanDispatch =>
                MoveDecision.Forbidden($"This ticket is claimed by {holder}; only they or a dispatcher can change it."),
            (TicketStatus.Escalated, TicketStatus.Claimed or TicketStatus.Closed) when !actor.IsPrincipal =>
                MoveDecision.Forbidden("This job is waiting for the principal's office; only the principal decides on it."),
            (_, TicketStatus.Cancelled) when !actor.CanDispatch =>
                MoveDecision.Forbidden("Only a dispatcher can cancel a ticket."),
            (TicketStatus.Resolved, _) when !actor.CanDispatch =>
                MoveDecision.Forbidden("Only a dispatcher can close or reopen a resolved ticket."),
            _ => MoveDecision.Allow,
        };
    }

    /// <summary>The dispatcher hands a ticket to a staff member; it becomes Claimed by them.</summary>
    public static MoveDecision DecideAssign(TicketState ticket, int staffId, string staffName, MoveActor actor)
    {
        if (!actor.CanDispatch)
        {
            return MoveDecision.Forbidden("Only a dispatcher can assign tickets.");
        }
        if (ticket.Status == TicketStatus.Escalated)
        {
            return MoveDecision.Conflict("This job is waiting for the principal's office; it can be assigned again after the decision.");
        }
        if (!ticket.Status.IsOpen())
        {
            return MoveDecision.Conflict($"This ticket is {ticket.Status.Label().ToLowerInvariant()}; only open tickets can be assigned.");
        }
        return ticket.ClaimedById == staffId
            ? MoveDecision.Conflict($"This ticket is already with {staffName}.")
            : MoveDecision.Allow;
    }

    private static string WhyNot(TicketState ticket, TicketStatus to, MoveActor actor)
    {
        var holder = ticket.ClaimedByName ?? "another caretaker";
        return (ticket.Status, to) switch
        {
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.Claimed) when actor.StaffId is not null && actor.StaffId == ticket.ClaimedById =>
                "You have already claimed this ticket.",
            (TicketStatus.Claimed or TicketStatus.OnSite, TicketStatus.Claimed) => $"Already claimed by {holder}.",
            (TicketStatus.New, TicketStatus.OnSite) => "This ticket has not been claimed yet; claim it before going on site.",
            (TicketStatus.New, TicketStatus.Resolved) => "This ticket has not been claimed yet; claim it and go on site before resolving it.",
            (TicketStatus.Claimed, TicketStatus.Resolved) => "Mark the ticket on site before resolving it.",
            (TicketStatus.OnSite, TicketStatus.OnSite) => "This ticket is already marked on site.",
            (TicketStatus.New, TicketStatus.New) => "This ticket is already waiting in the queue.",
            (TicketStatus.Escalated, _) => "This job is waiting for the principal's office to decide.",
            (_, TicketStatus.Escalated) => "Only a claimed job can be put to the principal's office.",
            (TicketStatus.Resolved, _) => "This ticket is already resolved.",
            (TicketStatus.Closed, _) => "This ticket is closed; report the problem again if it came back.",
            (TicketStatus.Cancelled, _) => "This ticket was cancelled; report the problem again if it still needs attention.",
            (_, TicketStatus.Closed) => "Only a resolved ticket can be closed.",
            _ => $"A ticket cannot go from {ticket.Status.Label()} to {to.Label()}.",
        };
    }
}
