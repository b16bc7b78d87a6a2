using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Who may change a job's team, and when. A ticket's lead is the one who holds it (the claimer or the assignee); the
/// lead or a dispatcher adds and removes helpers while the job is open; a helper marks only their own part done. Pure,
/// like <see cref="TicketWorkflow"/>: <see cref="TicketTeam"/> applies it, the database's unique index decides races.
/// </summary>
/// <remarks>
/// The team goes with the lead: when the job goes back to the queue (released, or reopened by the reporter or the
/// dispatcher) its helpers are taken off, since whoever takes it next builds their own team; when the dispatcher hands it
/// to someone else the helpers stay with the job, except the new lead, who no longer helps themself. A resolved,
/// closed or cancelled job keeps its helpers on record (the reports credit them).
/// </remarks>
public static class TicketTeamRules
{
    /// <param name="helpers">The job's helpers: staff id → whether they marked their part done.</param>
    public static MoveDecision DecideAdd(TicketState ticket, IReadOnlyDictionary<int, bool> helpers, int staffId, string staffName, MoveActor actor)
    {
        if (!ticket.Status.IsOpen())
        {
            return MoveDecision.Conflict(L["This ticket is {0}; helpers join open jobs only.", ticket.Status.Label().ToLowerInvariant()]);
        }
        if (ticket.ClaimedById is null)
        {
            return MoveDecision.Conflict(L["Nobody leads this job yet; claim or assign it before adding helpers."]);
        }
        if (!MayManage(ticket, actor))
        {
            return MoveDecision.Forbidden(L["Only the lead, {0}, or a dispatcher adds helpers to this job.", ticket.ClaimedByName ?? L["who holds the job"]]);
        }
        if (staffId == ticket.ClaimedById)
        {
            return MoveDecision.Conflict(L["{0} leads this job; choose someone else to help.", staffName]);
        }
        return helpers.ContainsKey(staffId)
            ? MoveDecision.Conflict(L["{0} is already helping on this job.", staffName])
            : MoveDecision.Allow;
    }

    public static MoveDecision DecideRemove(TicketState ticket, IReadOnlyDictionary<int, bool> helpers, int staffId, string staffName, MoveActor actor)
    {
        if (!ticket.Status.IsOpen())
        {
            return MoveDecision.Conflict(L["This ticket is {0}; its helpers stay on record.", ticket.Status.Label().ToLowerInvariant()]);
        }
        if (!MayManage(ticket, actor))
        {
            return MoveDecision.Forbidden(L["Only the lead, {0}, or a dispatcher removes helpers from this job.", ticket.ClaimedByName ?? L["who holds the job"]]);
        }
        return helpers.ContainsKey(staffId)
            ? MoveDecision.Allow
            : MoveDecision.Conflict(L["{0} is not helping on this job.", staffName]);
    }

    public static MoveDecision DecideDone(TicketState ticket, IReadOnlyDictionary<int, bool> helpers, MoveActor actor)
    {
        if (!ticket.Status.IsOpen())
        {
            return MoveDecision.Conflict(L["This ticket is {0}; there is no part left to mark done.", ticket.Status.Label().ToLowerInvariant()]);
        }
        if (actor.StaffId is not { } me || !helpers.TryGetValue(me, out var done))
        {
            return MoveDecision.Forbidden(actor.StaffId is not null && actor.StaffId == ticket.ClaimedById
                ? L["You lead this job: resolve it when it is fixed."]
                : L["Only a helper marks their own part done, and you are not helping on this job."]);
        }
        return done ? MoveDecision.Conflict(L["You already marked your part done."]) : MoveDecision.Allow;
    }

    private static bool MayManage(TicketState ticket, MoveActor actor) =>
        actor.CanDispatch || (actor.StaffId is not null && actor.StaffId == ticket.ClaimedById);
}
