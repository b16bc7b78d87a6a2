using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// A job's team: the lead (who holds the ticket) and the colleagues helping them. Adding, removing and "my part is done"
/// are ticket changes (<see cref="TicketChanges.UpdateAsync"/>: version-checked, on the staff-only timeline, published
/// live); the rules are <see cref="TicketTeamRules"/>. The helpers hear the job's alerts with the lead
/// (<see cref="AlertedHelpersAsync"/>).
/// </summary>
public sealed class TicketTeam(TicketChanges changes, AreaDirectory areas)
{
    public async Task<ServiceResult<TicketDto>> AddHelperAsync(int ticketId, int staffId, Actor actor, CancellationToken ct = default) =>
        await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var helper = await edit.Db.Staff.FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, token);
            if (helper is null)
            {
                var errors = new ValidationErrors();
                errors.Add("staffId", L["There is no active staff member #{0}.", staffId]);
                edit.Refuse(ServiceResult<TicketDto>.Invalid(errors));
                return;
            }
            var me = await ActorStaffAsync(edit, actor, token);
            var helpers = await HelpersAsync(edit, token);
            var decision = TicketTeamRules.DecideAdd(State(ticket), Done(helpers), staffId, helper.DisplayName, new MoveActor(me?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }
            edit.Db.TicketHelpers.Add(new TicketHelper
            {
                TicketId = ticket.Id, StaffId = staffId, AddedAt = edit.Now,
                AddedByName = TextCut.Head(actor.Name, TicketEvent.ActorNameMaxLength),
            });
            edit.Record(TicketEventKind.HelperAdded, actor, me, () => L["{0} helps {1}", helper.DisplayName, ticket.ClaimedBy?.DisplayName ?? L["the lead"]]);
            var (category, areaName) = (ticket.Category, await AreaNameAsync(ticket, token));
            edit.Alert(new NewNotification(helper.UserId, NotificationKind.Assigned,
                ReaderText.Write(() => L["{0} asked you to help: {1} · {2}", actor.Name, category.Label(), areaName]),
                TicketRouter.Summary(ticket), ticket.Id, $"/my?ticket={ticket.Id}", $"helper:{ticket.Id}:{ticket.Version}:{helper.UserId}"));
        }, ct);

    public async Task<ServiceResult<TicketDto>> RemoveHelperAsync(int ticketId, int staffId, Actor actor, CancellationToken ct = default) =>
        await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var me = await ActorStaffAsync(edit, actor, token);
            var helpers = await HelpersAsync(edit, token);
            var row = helpers.FirstOrDefault(h => h.StaffId == staffId);
            var name = row?.Staff?.DisplayName
                ?? await edit.Db.Staff.Where(s => s.Id == staffId).Select(s => s.DisplayName).FirstOrDefaultAsync(token) ?? $"Staff member #{staffId}";
            var decision = TicketTeamRules.DecideRemove(State(edit.Ticket), Done(helpers), staffId, name, new MoveActor(me?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }
            edit.Db.TicketHelpers.Remove(row!);
            edit.Record(TicketEventKind.HelperRemoved, actor, me, () => L["{0} no longer helps", name]);
        }, ct);

    /// <summary>A helper says their part of the job is done; the lead still resolves it.</summary>
    public async Task<ServiceResult<TicketDto>> MarkDoneAsync(int ticketId, Actor actor, CancellationToken ct = default) =>
        await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var me = await ActorStaffAsync(edit, actor, token);
            var helpers = await HelpersAsync(edit, token);
            var decision = TicketTeamRules.DecideDone(State(edit.Ticket), Done(helpers), new MoveActor(me?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }
            helpers.Single(h => h.StaffId == me!.Id).DoneAt = edit.Now;
            edit.Record(TicketEventKind.HelperDone, actor, me, () => L["{0}'s part is done", me!.DisplayName]);
        }, ct);

    /// <summary>Whether <paramref name="staffId"/> helps on the ticket being changed (the workflow tells a helper who resolves).</summary>
    internal static Task<bool> IsHelperAsync(TicketEdit edit, int? staffId, CancellationToken ct) =>
        staffId is null ? Task.FromResult(false) : edit.Db.TicketHelpers.AnyAsync(h => h.TicketId == edit.Ticket.Id && h.StaffId == staffId, ct);

    /// <summary>The helpers who hear a job's alerts with its lead: active, and not yet done with their part.</summary>
    public static Task<List<StaffRecipient>> AlertedHelpersAsync(DispatchDbContext db, int ticketId, CancellationToken ct) =>
        db.TicketHelpers.Where(h => h.TicketId == ticketId && h.DoneAt == null && h.Staff!.IsActive).OrderBy(h => h.Id)
            .Select(h => new StaffRecipient(h.StaffId, h.Staff!.UserId, h.Staff.DisplayName)).ToListAsync(ct);

    /// <summary>
    /// The job went back to the queue (released or reopened): its team goes with the lead who had it, since whoever takes
    /// it next chooses their own helpers. One line on the timeline names them.
    /// </summary>
    internal static async Task DisbandAsync(TicketEdit edit, Actor? actor, StaffMember? staff, CancellationToken ct)
    {
        var helpers = await HelpersAsync(edit, ct);
        if (helpers.Count == 0)
        {
            return;
        }
        edit.Db.TicketHelpers.RemoveRange(helpers);
        edit.Record(TicketEventKind.HelperRemoved, actor, staff, () => L["Back in the queue, so no longer helping: {0}",
            string.Join(L[", "], helpers.Select(h => h.Staff?.DisplayName ?? $"#{h.StaffId}"))]);
    }

    /// <summary>The dispatcher handed the job to someone else: the helpers stay with it, but the new lead no longer helps.</summary>
    internal static async Task NewLeadAsync(TicketEdit edit, int leadId, Actor actor, StaffMember? staff, CancellationToken ct)
    {
        var row = await edit.Db.TicketHelpers.Include(h => h.Staff).FirstOrDefaultAsync(h => h.TicketId == edit.Ticket.Id && h.StaffId == leadId, ct);
        if (row is not null)
        {
            edit.Db.TicketHelpers.Remove(row);
            edit.Record(TicketEventKind.HelperRemoved, actor, staff, () => L["{0} now leads the job instead of helping", row.Staff?.DisplayName]);
        }
    }

    private static Task<List<TicketHelper>> HelpersAsync(TicketEdit edit, CancellationToken ct) =>
        edit.Db.TicketHelpers.Include(h => h.Staff).Where(h => h.TicketId == edit.Ticket.Id).OrderBy(h => h.Id).ToListAsync(ct);

    private static Task<StaffMember?> ActorStaffAsync(TicketEdit edit, Actor actor, CancellationToken ct) =>
        edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, ct);

    private static TicketState State(Ticket ticket) => new(ticket.Status, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName);

    private static Dictionary<int, bool> Done(List<TicketHelper> helpers) => helpers.ToDictionary(h => h.StaffId, h => h.DoneAt is not null);

    private async Task<string> AreaNameAsync(Ticket ticket, CancellationToken ct) =>
        (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";
}
