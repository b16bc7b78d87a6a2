using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Escalations.EscalationsText;

namespace DispatchBoard.Web.Escalations;

public sealed record EscalationDto(
    int Id,
    int TicketId,
    EscalationReason Reason,
    string Note,
    string RaisedBy,
    DateTimeOffset RaisedAt,
    EscalationDecision Decision,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? DecisionNote,
    string? ContractorNote);

/// <summary>An escalation with what the principal needs to decide: the ticket, its history and its photos.</summary>
public sealed record InboxItem(EscalationDto Escalation, TicketDetail Ticket);

public static class EscalationText
{
    public static string Label(this EscalationReason reason) => reason switch
    {
        EscalationReason.Purchase => L["Purchase needed"],
        EscalationReason.Contractor => L["Outside contractor"],
        EscalationReason.SafetyClosure => L["Safety closure"],
        EscalationReason.Policy => L["Policy question"],
        _ => L["Other"],
    };

    public static string Label(this EscalationDecision decision) => decision switch
    {
        EscalationDecision.Approved => L["Approved"],
        EscalationDecision.Rejected => L["Not approved"],
        EscalationDecision.Deferred => L["Deferred"],
        _ => L["Waiting"],
    };
}

/// <summary>
/// Jobs beyond a worker's authority: staff put them to the principal's office with a reason; the principal approves
/// (the job goes back to the staff member, possibly with a contractor), rejects (the ticket closes with the reason) or
/// defers. Every step is recorded on the ticket, alerted to the people concerned and visible to the reporter.
/// </summary>
public sealed class EscalationService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    TicketChanges changes,
    TicketQueries queries,
    DispatchNotifier notifier)
{
    public async Task<ServiceResult<TicketDto>> EscalateAsync(int ticketId, string? reason, string? note, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (!EnumNames.TryParse<EscalationReason>(reason, out var why))
        {
            errors.Add("reason", L["Say why it needs the principal: one of {0}.", EnumNames.List<EscalationReason>()]);
        }
        note = errors.Text("note", L["Note"], note, Escalation.NoteMaxLength, required: true);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        Escalation? raised = null;
        var result = await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            var decision = TicketWorkflow.Decide(new TicketState(edit.From, edit.Ticket.ClaimedById, edit.Ticket.ClaimedBy?.DisplayName),
                TicketStatus.Escalated, new MoveActor(staff?.Id, actor.CanDispatch, actor.IsPrincipal));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }
            edit.Ticket.Status = TicketStatus.Escalated;
            raised = new Escalation
            {
                Ticket = edit.Ticket,
                RaisedById = staff?.Id ?? edit.Ticket.ClaimedById!.Value,
                RaisedAt = edit.Now,
                Reason = why,
                Note = note!,
                Decision = EscalationDecision.Pending,
            };
            edit.Db.Escalations.Add(raised);
            edit.Record(TicketEventKind.EscalatedToPrincipal, actor, staff, () => L["{0}: {1}", why.Label(), note]);
            foreach (var principal in await Recipients.InRoleAsync(edit.Db, Roles.Principal, token))
            {
                edit.Alert(new NewNotification(principal, NotificationKind.Escalated, ReaderText.Write(() => L["Needs your decision: {0}", why.Label()]),
                    $"{actor.Name}: {note}", edit.Ticket.Id, "/principal", $"escalated:{edit.Ticket.Id}:{edit.Ticket.Version}:{principal}"));
            }
        }, ct);
        if (result.IsOk && raised is not null)
        {
            notifier.Publish(new EscalationChanged(raised.Id, ticketId));
        }
        return result;
    }

    public async Task<ServiceResult<TicketDto>> DecideAsync(int escalationId, string? decision, string? note, string? contractorNote, Actor actor,
        CancellationToken ct = default)
    {
        if (!actor.IsPrincipal)
        {
            return ServiceResult<TicketDto>.Forbidden(L["Only the principal's office decides on escalated jobs."]);
        }
        var errors = new ValidationErrors();
        if (!EnumNames.TryParse<EscalationDecision>(decision, out var verdict) || verdict == EscalationDecision.Pending)
        {
            errors.Add("decision", L["Choose Approved, Rejected or Deferred."]);
        }
        note = errors.Text("note", L["Note"], note, Escalation.NoteMaxLength, required: verdict is EscalationDecision.Rejected or EscalationDecision.Deferred);
        contractorNote = errors.Text("contractorNote", L["Contractor note"], contractorNote, Escalation.NoteMaxLength, required: false);
        if (contractorNote is not null && verdict != EscalationDecision.Approved)
        {
            errors.Add("contractorNote", L["A contractor note only goes with an approval."]);
        }
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        int? ticketId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ticketId = await db.Escalations.Where(e => e.Id == escalationId).Select(e => (int?)e.TicketId).FirstOrDefaultAsync(ct);
        }
        if (ticketId is null)
        {
            return ServiceResult<TicketDto>.NotFound(L["There is no escalation #{0}.", escalationId]);
        }

        var result = await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var escalation = await edit.Db.Escalations.Include(e => e.RaisedBy).FirstAsync(e => e.Id == escalationId, token);
            if (escalation.Decision is EscalationDecision.Approved or EscalationDecision.Rejected || edit.From != TicketStatus.Escalated)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(
                    L["This escalation was already decided ({0} by {1}).", escalation.Decision.Label().ToLowerInvariant(), escalation.DecidedByName ?? L["the office"]]));
                return;
            }
            escalation.Decision = verdict;
            escalation.DecidedAt = edit.Now;
            escalation.DecidedByUserId = actor.UserId;
            escalation.DecidedByName = actor.Name;
            escalation.DecisionNote = note;
            escalation.ContractorNote = contractorNote;

            // What the reporter reads: the principal's words, and the app's (in the school's language in the history, in
            // each reader's in an alert).
            Func<string?> publicNote;
            switch (verdict)
            {
                case EscalationDecision.Approved:
                    // Back to the staff member who holds the job, to carry it out (or to coordinate the contractor).
                    edit.Ticket.Status = TicketStatus.Claimed;
                    edit.Ticket.OnSiteAt = null;
                    // The reporter reads the event note; the contractor's details stay with the staff (alert, escalation).
                    publicNote = () => Join(note, contractorNote is null ? null : L["An outside contractor will do the work."]) ?? L["Approved."];
                    edit.Record(TicketEventKind.Approved, actor, null, publicNote);
                    break;
                case EscalationDecision.Rejected:
                    edit.Ticket.Status = TicketStatus.Closed;
                    edit.Ticket.ClosedAt = edit.Now;
                    publicNote = () => note;
                    edit.Record(TicketEventKind.Rejected, actor, null, note);
                    break;
                default:
                    publicNote = () => note;
                    edit.Record(TicketEventKind.Deferred, actor, null, note);
                    break;
            }

            var decided = ReaderText.Write(() => L["Principal's decision: {0}", verdict.Label()]);
            var decidedBody = ReaderText.Write(() => Join(publicNote(), contractorNote is null ? null : L["Contractor: {0}", contractorNote]));
            var holders = new[] { escalation.RaisedById, edit.Ticket.ClaimedById ?? escalation.RaisedById }.Distinct();
            foreach (var staffId in holders)
            {
                if (await Recipients.StaffAsync(edit.Db, staffId, token) is { } person)
                {
                    edit.Alert(new NewNotification(person.UserId, NotificationKind.Decision, decided, decidedBody,
                        edit.Ticket.Id, "/my",
                        $"decision:{escalationId}:{edit.Ticket.Version}:{person.UserId}"));
                }
            }
            // The lead's helpers hear the decision too (each once; a helper never also holds the job).
            foreach (var helper in await TicketTeam.AlertedHelpersAsync(edit.Db, edit.Ticket.Id, token))
            {
                edit.Alert(new NewNotification(helper.UserId, NotificationKind.Decision, decided, decidedBody, edit.Ticket.Id, "/my",
                    $"decision:{escalationId}:{edit.Ticket.Version}:{helper.UserId}"));
            }
            edit.Publish(new EscalationChanged(escalationId, edit.Ticket.Id));
        }, ct);
        return result;
    }

    /// <summary>The principal's inbox: escalations waiting for a decision (pending first, then deferred), oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Escalations.AsNoTracking()
            .Where(e => e.Decision == EscalationDecision.Pending || e.Decision == EscalationDecision.Deferred)
            .Where(e => e.Ticket!.Status == TicketStatus.Escalated)
            .OrderBy(e => e.Decision).ThenBy(e => e.RaisedAt)
            .Select(e => new { e, RaisedBy = e.RaisedBy!.DisplayName })
            .ToListAsync(ct);
        var items = new List<InboxItem>(open.Count);
        foreach (var row in open)
        {
            if (await queries.GetDetailAsync(row.e.TicketId, ct) is { } detail)
            {
                items.Add(new InboxItem(ToDto(row.e, row.RaisedBy), detail));
            }
        }
        return items;
    }

    public async Task<IReadOnlyList<EscalationDto>> ForTicketAsync(int ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Escalations.AsNoTracking().Where(e => e.TicketId == ticketId).OrderBy(e => e.RaisedAt)
            .Select(e => new { e, RaisedBy = e.RaisedBy!.DisplayName }).ToListAsync(ct);
        return rows.Select(r => ToDto(r.e, r.RaisedBy)).ToList();
    }

    private static EscalationDto ToDto(Escalation e, string raisedBy) =>
        new(e.Id, e.TicketId, e.Reason, e.Note, raisedBy, e.RaisedAt, e.Decision, e.DecidedAt, e.DecidedByName, e.DecisionNote, e.ContractorNote);

    private static string? Join(string? a, string? b) => (a, b) switch
    {
        (null, null) => null,
        (null, _) => b,
        (_, null) => a,
        _ => $"{a} {b}",
    };
}
