using System.Linq.Expressions;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>Two tickets changed together (<see cref="TicketChanges.UpdateBothAsync"/>), in the order they were named.</summary>
public sealed record TicketPair(TicketDto First, TicketDto Second);

/// <summary>
/// Every change to a ticket after it was reported goes through <see cref="UpdateAsync"/>: staff moves and claims,
/// the dispatcher's assignments, the reporter's answers, escalations and the sweeps.
/// </summary>
public sealed class TicketChanges(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    TicketRouter router,
    TicketQueries queries,
    DispatchNotifier notifier,
    NotificationService notifications,
    PhotoStore photoStore,
    ResponseClocks responseClocks,
    SchoolClock clock,
    ReporterMail.ReporterMailOutbox reporterMail,
    WriteTurns writeTurns,
    SchoolLanguage school,
    DispatchMetrics metrics)
{
    private const int MaxAttempts = 5;

    public async Task<ServiceResult<TicketDto>> ClaimAsync(int ticketId, Actor actor, CancellationToken ct = default)
    {
        var result = await MoveAsync(ticketId, TicketStatus.Claimed, null, actor, ct);
        metrics.Claimed(result.IsOk, result.IsOk ? null : result.Kind.ToString());
        return result;
    }

    /// <summary>
    /// Moves a ticket to <paramref name="to"/>. The row is written only if its version is still the one the rules were
    /// checked against (a concurrency token), so of several people pressing Claim at once exactly one wins; the others
    /// re-read and are told who has it.
    /// </summary>
    public async Task<ServiceResult<TicketDto>> MoveAsync(int ticketId, TicketStatus to, string? note, Actor actor,
        CancellationToken ct = default, IReadOnlyList<PhotoUpload>? photos = null)
    {
        var errors = new ValidationErrors();
        note = errors.Text("note", L["Note"], note, Ticket.NoteMaxLength, required: to is TicketStatus.Cancelled or TicketStatus.Resolved);
        if (to == TicketStatus.Escalated)
        {
            errors.Add("to", L["Put a job to the principal's office with POST /api/tickets/{id}/escalate and a reason."]);
        }
        var checkedPhotos = to == TicketStatus.Resolved ? photoStore.Check(photos, errors) : [];
        if (photos is { Count: > 0 } && to != TicketStatus.Resolved)
        {
            errors.Add("photos", L["Photos go with the report or with resolving."]);
        }
        else if (checkedPhotos.Count > photoStore.Options.MaxPerReport)
        {
            errors.Add("photos", L["At most {0} photos go with a fix (got {1}); leave some out.", photoStore.Options.MaxPerReport, checkedPhotos.Count]);
        }
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        if (to == TicketStatus.Claimed && await ClaimRefusedAtSightAsync(ticketId, actor, ct) is { } refused)
        {
            return refused;
        }
        return await UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            if (RefusedFromStatus(new TicketState(edit.From, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName), to, actor) is { } refusal)
            {
                edit.Refuse(refusal);
                return;
            }
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            if (edit.From == TicketStatus.Escalated && to != TicketStatus.Cancelled)
            {
                edit.Refuse(MoveDecision.Conflict(actor.IsPrincipal
                    ? L["Decide on escalated jobs in the principal's inbox, so the decision is recorded."]
                    : L["This job is waiting for the principal's office to decide."]));
                return;
            }
            var decision = TicketWorkflow.Decide(new TicketState(edit.From, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName), to,
                new MoveActor(staff?.Id, actor.CanDispatch, actor.IsPrincipal, IsHelper: to == TicketStatus.Resolved && await TicketTeam.IsHelperAsync(edit, staff?.Id, token)));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }

            ticket.Status = to;
            switch (to)
            {
                case TicketStatus.Claimed:
                    ticket.ClaimedById = staff!.Id;
                    ticket.ClaimedAt = edit.Now;
                    if (!staff.OnDuty)
                    {
                        // Whoever claims a job is evidently working; the board should say so.
                        staff.OnDuty = true;
                        staff.DutyChangedAt = edit.Now;
                        staff.DutyChangedBy = $"claiming ticket #{ticket.Id}";
                        edit.Publish(new StaffChanged(StaffService.ToDto(staff)));
                    }
                    edit.Record(TicketEventKind.Claimed, actor, staff, note);
                    break;
                case TicketStatus.OnSite:
                    ticket.OnSiteAt = edit.Now;
                    edit.Record(TicketEventKind.OnSite, actor, staff, note);
                    break;
                case TicketStatus.Resolved:
                    ticket.ResolvedAt = edit.Now;
                    ticket.ResolutionNote = note;
                    // Staff are not counted per network, but the disk quota holds: a fix then waits for them to leave the photos out.
                    var photoErrors = new ValidationErrors();
                    var written = await photoStore.WriteAsync(checkedPhotos, PhotoKind.Resolution, null, edit.Now, photoErrors, token);
                    edit.AddPhotos(written.Photos);
                    if (written.NotKept is { } notKept)
                    {
                        photoErrors.Add("photos", L["The photos were not kept: {0} Resolve without them.", notKept]);
                    }
                    if (photoErrors.Any)
                    {
                        edit.Refuse(ServiceResult<TicketDto>.Invalid(photoErrors));
                        return;
                    }
                    edit.Record(TicketEventKind.Resolved, actor, staff, note);
                    break;
                case TicketStatus.New when edit.From == TicketStatus.Resolved:
                    await ReopenInPlaceAsync(edit, actor, staff, note, token);
                    break;
                case TicketStatus.New:
                    ticket.ClaimedById = null;
                    ticket.ClaimedAt = null;
                    ticket.OnSiteAt = null;
                    TicketRouter.Requeue(edit);
                    edit.Record(TicketEventKind.Released, actor, staff, note);
                    await TicketTeam.DisbandAsync(edit, actor, staff, token);
                    break;
                case TicketStatus.Closed:
                    ticket.ClosedAt = edit.Now;
                    edit.Record(TicketEventKind.Closed, actor, staff, note);
                    break;
                case TicketStatus.Cancelled:
                    ticket.ClosedAt = edit.Now;
                    edit.Record(TicketEventKind.Cancelled, actor, staff, note);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(to), to, "Not a status a ticket moves to.");
            }
        }, ct);
    }

    public async Task<ServiceResult<TicketDto>> AssignAsync(int ticketId, int staffId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<TicketDto>.Forbidden(L["Only a dispatcher can assign tickets."]);
        }
        return await UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var target = await edit.Db.Staff.FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, token);
            if (target is null)
            {
                var errors = new ValidationErrors();
                errors.Add("staffId", L["There is no active staff member #{0}.", staffId]);
                edit.Refuse(ServiceResult<TicketDto>.Invalid(errors));
                return;
            }
            var actorStaff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId, token);
            var decision = TicketWorkflow.DecideAssign(new TicketState(edit.From, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName),
                staffId, target.DisplayName, new MoveActor(actorStaff?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                edit.Refuse(decision);
                return;
            }
            var previous = ticket.ClaimedBy?.DisplayName;
            ticket.Status = TicketStatus.Claimed;
            ticket.ClaimedById = target.Id;
            ticket.ClaimedAt ??= edit.Now;
            ticket.OnSiteAt = null;
            edit.Record(TicketEventKind.Assigned, actor, actorStaff,
                () => previous is null ? L["Assigned to {0}", target.DisplayName] : L["Reassigned from {0} to {1}", previous, target.DisplayName]);
            await TicketTeam.NewLeadAsync(edit, target.Id, actor, actorStaff, token);
            var areaName = await AreaNameAsync(ticket, token);
            edit.Alert(new NewNotification(target.UserId, NotificationKind.Assigned, ReaderText.Write(() => L["{0} gave you a job: {1}", actor.Name, areaName]),
                TicketRouter.Summary(ticket), ticket.Id, "/my", $"assign:{ticket.Id}:{ticket.Version}:{target.UserId}"));
        }, ct);
    }

    /// <summary>
    /// A move no one may make from the ticket's status (a claim on a job someone already has: 49 of 50 rival claims): its
    /// refusal needs no staff row; the staff id the sign-in carries only words it ("you already have it"). Null when the
    /// move may be made from there (the rules then decide with the mover's staff row), or the job waits for the principal.
    /// </summary>
    private static ServiceResult<TicketDto>? RefusedFromStatus(TicketState ticket, TicketStatus to, Actor actor) =>
        TicketWorkflow.IsAllowedMove(ticket.Status, to) || ticket.Status == TicketStatus.Escalated
            ? null
            : TicketEdit.RefusalOf(TicketWorkflow.Decide(ticket, to, new MoveActor(actor.StaffId, actor.CanDispatch, actor.IsPrincipal)));

    /// <summary>
    /// <see cref="RefusedFromStatus"/> for a claim, from a compiled read of the ticket's status and claimer, without
    /// loading and tracking the ticket (that load was a fifth of the server's CPU in the claims benchmark). A claim that
    /// may go ahead (or no such ticket) goes the full way.
    /// </summary>
    private async Task<ServiceResult<TicketDto>?> ClaimRefusedAtSightAsync(int ticketId, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await StateOf.For(db)(db, ticketId, ct) is { } state ? RefusedFromStatus(state, TicketStatus.Claimed, actor) : null;
    }

    private static readonly CompiledPerModel<Func<DispatchDbContext, int, CancellationToken, Task<TicketState?>>> StateOf = new(() => EF.CompileAsyncQuery(
        (DispatchDbContext db, int id, CancellationToken ct) => db.Tickets.Where(t => t.Id == id)
            .Select(t => (TicketState?)new TicketState(t.Status, t.ClaimedById, t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName)).FirstOrDefault()));

    /// <summary>
    /// The one way tickets change after they are reported: load, let <paramref name="edit"/> change the ticket (its
    /// version already bumped), save with the alerts it raised in one transaction, retry from a fresh read if someone
    /// else changed the ticket meanwhile, then publish the new state once, after the commit.
    /// </summary>
    /// <summary>The time from the report to the step a committed change reached (a claim, the scene, the fix).</summary>
    private void StepsReached(TicketStatus from, Ticket ticket)
    {
        var (step, at) = ticket.Status switch
        {
            TicketStatus.Claimed when from != TicketStatus.Claimed => (TicketStep.Claimed, ticket.ClaimedAt),
            TicketStatus.OnSite when from != TicketStatus.OnSite => (TicketStep.OnSite, ticket.OnSiteAt),
            TicketStatus.Resolved when from != TicketStatus.Resolved => (TicketStep.Resolved, ticket.ResolvedAt),
            _ => ((TicketStep?)null, (DateTimeOffset?)null),
        };
        if (step is { } reached && at is { } when)
        {
            metrics.StepReached(reached, when - ticket.ReportedAt, ticket.Category.ToString());
        }
    }

    internal async Task<ServiceResult<TicketDto>> UpdateAsync(Expression<Func<Ticket, bool>> which, string notFound,
        Func<TicketEdit, CancellationToken, Task> edit, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ticket = await db.Tickets.Include(t => t.ClaimedBy).FirstOrDefaultAsync(which, ct);
            if (ticket is null)
            {
                return ServiceResult<TicketDto>.NotFound(notFound);
            }
            ticket.Version++;
            var change = new TicketEdit(db, ticket, clock.UtcNow, await responseClocks.NowAsync(ct), school.Culture);
            var committed = false;
            try
            {
                // Decided (and photo files written) before the write lock is taken; the version token catches a rival.
                await edit(change, ct);
                if (change.Refusal is { } refusal)
                {
                    photoStore.Remove(change.WrittenPhotos);
                    return refusal;
                }
                using var turn = await writeTurns.TakeAsync(db, ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await CheckVersionAsync(db, ticket, ct);
                var staged = await notifications.StageAsync(db, change.Alerts, ct);
                var mails = await reporterMail.StageAsync(change, ct);
                await db.SaveChangesAsync(ct);
                // Built before the commit, so that after it nothing can fail between the change and its publish.
                var dto = await queries.ToDtoAsync(db, ticket, ct);
                await transaction.CommitAsync(CancellationToken.None);
                committed = true;
                StepsReached(change.From, ticket);
                notifier.Publish(new TicketChanged(dto));
                foreach (var also in change.AlsoPublish)
                {
                    notifier.Publish(also);
                }
                notifications.Announce(staged);
                reporterMail.Announce(mails);
                return ServiceResult<TicketDto>.Ok(dto);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                photoStore.Remove(change.WrittenPhotos);
            }
            catch when (!committed)
            {
                photoStore.Remove(change.WrittenPhotos);
                throw;
            }
        }
    }

    /// <summary>
    /// <see cref="UpdateAsync"/> for a change that must touch two tickets at once (a merge and its undo): both are loaded
    /// into one context with their versions bumped, the edit changes both (a refusal of either is the result), both are
    /// saved with the alerts in one transaction, a lost race on either retries the whole change from a fresh read, and
    /// both new states are published after the commit.
    /// </summary>
    internal async Task<ServiceResult<TicketPair>> UpdateBothAsync(int firstId, int secondId,
        Func<TicketEdit, TicketEdit, CancellationToken, Task> edit, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var loaded = await db.Tickets.Include(t => t.ClaimedBy).Where(t => t.Id == firstId || t.Id == secondId).ToListAsync(ct);
            if (loaded.FirstOrDefault(t => t.Id == firstId) is not { } first)
            {
                return ServiceResult<TicketPair>.NotFound(L["There is no ticket #{0}.", firstId]);
            }
            if (loaded.FirstOrDefault(t => t.Id == secondId) is not { } second || firstId == secondId)
            {
                return ServiceResult<TicketPair>.NotFound(L["There is no other ticket #{0}.", secondId]);
            }
            first.Version++;
            second.Version++;
            var now = clock.UtcNow;
            var responseClock = await responseClocks.NowAsync(ct);
            var firstEdit = new TicketEdit(db, first, now, responseClock, school.Culture);
            var secondEdit = new TicketEdit(db, second, now, responseClock, school.Culture);
            var committed = false;
            try
            {
                await edit(firstEdit, secondEdit, ct);
                if ((firstEdit.Refusal ?? secondEdit.Refusal) is { } refusal)
                {
                    photoStore.Remove(firstEdit.WrittenPhotos.Concat(secondEdit.WrittenPhotos));
                    return refusal.Cast<TicketPair>();
                }
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await CheckVersionAsync(db, first, ct);
                await CheckVersionAsync(db, second, ct);
                var staged = await notifications.StageAsync(db, [.. firstEdit.Alerts, .. secondEdit.Alerts], ct);
                // The reporters hear of a merge as of any step ("your report was joined with another").
                var mails = await reporterMail.StageAsync(firstEdit, ct) + await reporterMail.StageAsync(secondEdit, ct);
                await db.SaveChangesAsync(ct);
                var pair = new TicketPair(await queries.ToDtoAsync(db, first, ct), await queries.ToDtoAsync(db, second, ct));
                await transaction.CommitAsync(CancellationToken.None);
                committed = true;
                notifier.Publish(new TicketChanged(pair.First));
                notifier.Publish(new TicketChanged(pair.Second));
                foreach (var also in firstEdit.AlsoPublish.Concat(secondEdit.AlsoPublish))
                {
                    notifier.Publish(also);
                }
                notifications.Announce(staged);
                reporterMail.Announce(mails);
                return ServiceResult<TicketPair>.Ok(pair);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                photoStore.Remove(firstEdit.WrittenPhotos.Concat(secondEdit.WrittenPhotos));
            }
            catch when (!committed)
            {
                photoStore.Remove(firstEdit.WrittenPhotos.Concat(secondEdit.WrittenPhotos));
                throw;
            }
        }
    }

    /// <summary>
    /// The version token, written first in the write transaction: a rival that changed the ticket since it was read is
    /// found here, before any of this change's rows (alerts, helpers) meet the rival's under a unique key, whatever order
    /// the provider writes a batch in; the change is then tried again from a fresh read.
    /// </summary>
    private static async Task CheckVersionAsync(DispatchDbContext db, Ticket ticket, CancellationToken ct)
    {
        var version = db.Entry(ticket).Property(t => t.Version);
        var read = version.OriginalValue;
        if (await db.Tickets.Where(t => t.Id == ticket.Id && t.Version == read).ExecuteUpdateAsync(s => s.SetProperty(t => t.Version, ticket.Version), ct) == 0)
        {
            throw new DbUpdateConcurrencyException($"Ticket #{ticket.Id} changed since it was read.");
        }
        version.OriginalValue = ticket.Version;
    }

    /// <summary>A resolved ticket goes back to the queue, is routed again, and whoever resolved it hears why.</summary>
    internal async Task ReopenInPlaceAsync(TicketEdit edit, Actor? actor, StaffMember? staff, string? note, CancellationToken ct)
    {
        var ticket = edit.Ticket;
        var resolver = await Recipients.StaffAsync(edit.Db, ticket.ClaimedById, ct);
        ticket.Status = TicketStatus.New;
        ticket.ReopenCount++;
        ticket.ClaimedById = null;
        ticket.ClaimedAt = null;
        ticket.OnSiteAt = null;
        ticket.ResolvedAt = null;
        ticket.ResolutionNote = null;
        await router.QueueAsync(edit, ct);
        edit.Record(TicketEventKind.Reopened, actor, staff, note);
        var reopenedArea = await AreaNameAsync(ticket, ct);
        var notFixed = ReaderText.Write(() => L["Not fixed yet: {0}", reopenedArea]);
        if (resolver is not null)
        {
            edit.Alert(new NewNotification(resolver.UserId, NotificationKind.Reopened, notFixed,
                note, ticket.Id, "/my", $"reopened:{ticket.Id}:{ticket.ReopenCount}:{resolver.UserId}"));
        }
        // The helpers still on it hear it too; then the team goes with the lead (see TicketTeamRules).
        foreach (var helper in await TicketTeam.AlertedHelpersAsync(edit.Db, ticket.Id, ct))
        {
            edit.Alert(new NewNotification(helper.UserId, NotificationKind.Reopened, notFixed,
                note, ticket.Id, "/my", $"reopened:{ticket.Id}:{ticket.ReopenCount}:{helper.UserId}"));
        }
        await TicketTeam.DisbandAsync(edit, actor, staff, ct);
    }

    private async Task<string> AreaNameAsync(Ticket ticket, CancellationToken ct) =>
        (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";
}
