using DispatchBoard.Web.Auth;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

public enum BulkAction
{
    Assign,
    Priority,
    Cancel,
}

/// <param name="Ids">The tickets, at most <see cref="TicketBulk.MaxTickets"/>.</param>
/// <param name="Action">Assign, Priority or Cancel (case-insensitive).</param>
/// <param name="StaffId">With Assign: who gets them.</param>
/// <param name="Priority">With Priority: Urgent, Normal or Low.</param>
/// <param name="Note">With Cancel: the one reason, recorded on each ticket (the reporters read it).</param>
public sealed record BulkChange(IReadOnlyList<int>? Ids, string? Action, int? StaffId = null, string? Priority = null, string? Note = null);

/// <summary>One ticket's outcome: done, or the refusal in the service's own words.</summary>
public sealed record BulkItem(int Id, bool Ok, string? Refusal, TicketDto? Ticket);

public sealed record BulkOutcome(BulkAction Action, IReadOnlyList<BulkItem> Items)
{
    public int Succeeded => Items.Count(i => i.Ok);

    /// <summary>"3 assigned; #12 refused: This job is waiting for the principal's office to decide."</summary>
    public string Summary()
    {
        var done = Action switch
        {
            BulkAction.Assign => L["{0} assigned", Succeeded],
            BulkAction.Priority => L["{0} reprioritised", Succeeded],
            _ => L["{0} cancelled", Succeeded],
        };
        var parts = new List<string> { done };
        parts.AddRange(Items.Where(i => !i.Ok).Select(i => L["#{0} refused: {1}", i.Id, i.Refusal]));
        return string.Join("; ", parts);
    }
}

/// <summary>
/// The dispatcher's bulk actions on the board: each selected ticket goes through the same change as one at a time
/// (<see cref="TicketChanges.AssignAsync"/>, <see cref="TicketTriage.CorrectAsync"/>, <see cref="TicketChanges.MoveAsync"/>
/// to Cancelled), each in its own transaction: one refusal never undoes the others, and the outcome lists each ticket.
/// </summary>
public sealed class TicketBulk(TicketChanges changes, TicketTriage triage)
{
    public const int MaxTickets = 100;

    public async Task<ServiceResult<BulkOutcome>> ApplyAsync(BulkChange change, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<BulkOutcome>.Forbidden(L["Only a dispatcher can change several tickets at once."]);
        }
        var errors = new ValidationErrors();
        var ids = change.Ids?.Distinct().ToList() ?? [];
        if (ids.Count == 0)
        {
            errors.Add("ids", L["Select at least one ticket (ids)."]);
        }
        else if (ids.Count > MaxTickets)
        {
            errors.Add("ids", L["At most {0} tickets at once (got {1}); do the rest in another batch.", MaxTickets, ids.Count]);
        }
        BulkAction action = default;
        if (!EnumNames.TryParse(change.Action, out action))
        {
            errors.Add("action", string.IsNullOrWhiteSpace(change.Action)
                ? L["Say what to do: one of {0}.", EnumNames.List<BulkAction>()]
                : L["'{0}' is not an action; use one of {1}.", change.Action.Length > 40 ? change.Action[..40] + "…" : change.Action, EnumNames.List<BulkAction>()]);
        }
        else if (action == BulkAction.Assign && change.StaffId is null)
        {
            errors.Add("staffId", L["Say which staff member gets the tickets (staffId)."]);
        }
        else if (action == BulkAction.Priority && !EnumNames.TryParse<TicketPriority>(change.Priority, out _))
        {
            errors.Add("priority", string.IsNullOrWhiteSpace(change.Priority)
                ? L["Choose the priority: one of {0}.", EnumNames.List<TicketPriority>()]
                : L["'{0}' is not a priority; use one of {1}.", change.Priority.Length > 40 ? change.Priority[..40] + "…" : change.Priority, EnumNames.List<TicketPriority>()]);
        }
        else if (action == BulkAction.Cancel)
        {
            errors.Text("note", L["Note"], change.Note, Ticket.NoteMaxLength, required: true);
        }
        if (errors.Any)
        {
            return ServiceResult<BulkOutcome>.Invalid(errors);
        }

        var items = new List<BulkItem>(ids.Count);
        foreach (var id in ids)
        {
            var result = action switch
            {
                BulkAction.Assign => await changes.AssignAsync(id, change.StaffId!.Value, actor, ct),
                BulkAction.Priority => await triage.CorrectAsync(id, new CorrectTicket(Priority: change.Priority), actor, ct),
                _ => await changes.MoveAsync(id, TicketStatus.Cancelled, change.Note, actor, ct),
            };
            items.Add(new BulkItem(id, result.IsOk, result.IsOk ? null : result.Describe(), result.Value));
        }
        return ServiceResult<BulkOutcome>.Ok(new BulkOutcome(action, items));
    }
}
