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
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Tickets;

public sealed class TicketService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    DispatchNotifier notifier,
    NotificationService notifications,
    PhotoStore photoStore,
    SchoolClock clock,
    IOptions<DispatchOptions> options,
    ILogger<TicketService> logger)
{
    private const int MaxAttempts = 5;

    public static readonly TicketStatus[] OpenStatuses =
        [TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated];

    public async Task<ServiceResult<ReportedTicket>> ReportAsync(ReportTicket report, TicketChannel channel, Actor? reportedBy, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var area = await areas.FindByCodeAsync(report.AreaCode, ct);
        if (string.IsNullOrWhiteSpace(report.AreaCode))
        {
            errors.Add("areaCode", "Choose the area where the problem is.");
        }
        else if (area is null)
        {
            errors.Add("areaCode", $"There is no area with the code '{Shorten(report.AreaCode)}'.");
        }
        else if (area.IsRetired)
        {
            errors.Add("areaCode", $"{area.Name} no longer takes reports; choose the area it was replaced by.");
        }

        TicketCategory category = default;
        if (string.IsNullOrWhiteSpace(report.Category))
        {
            errors.Add("category", "Choose what kind of problem it is.");
        }
        else if (!EnumNames.TryParse(report.Category, out category))
        {
            errors.Add("category", $"'{Shorten(report.Category)}' is not a category; use one of {EnumNames.List<TicketCategory>()}.");
        }

        var description = errors.Text("description", "Description", report.Description, Ticket.DescriptionMaxLength, required: true);
        var location = errors.Text("locationDetail", "Location detail", report.LocationDetail, Ticket.LocationDetailMaxLength, required: false);
        var name = errors.Text("reporterName", "Name", report.ReporterName, Ticket.ReporterNameMaxLength, required: false);
        var contact = errors.Text("reporterContact", "Contact", report.ReporterContact, Ticket.ReporterContactMaxLength, required: false);
        var photos = PhotoStore.Check(report.Photos, errors);
        if (errors.Any)
        {
            return ServiceResult<ReportedTicket>.Invalid(errors);
        }

        var now = clock.UtcNow;
        var priority = report.Urgent ? TicketPriority.Urgent : report.Priority ?? TicketPriority.Normal;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ticket = new Ticket
            {
                TrackingCode = TrackingCode.New(),
                AreaId = area!.Id,
                Category = category,
                Priority = priority,
                Description = description!,
                LocationDetail = location,
                ReporterName = name,
                ReporterContact = contact,
                Channel = channel,
                Status = TicketStatus.New,
                ReportedAt = now,
                Version = 1,
            };
            var edit = new TicketEdit(db, ticket, now);
            edit.AddPhotos(await photoStore.WriteAsync(photos, PhotoKind.Report, now, ct));
            db.Tickets.Add(ticket);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                // Saved first so the routing alerts can point at the ticket; one transaction keeps it all-or-nothing.
                await db.SaveChangesAsync(ct);
                var route = await QueueAsync(edit, ct);
                // Staff reporting from a safety round need no alert about their own report.
                edit.Alerts.RemoveAll(a => a.UserId == reportedBy?.UserId);
                var routeNote = Routing.Describe(route.Route, route.StaffName);
                edit.Record(TicketEventKind.Reported, reportedBy, null,
                    channel == TicketChannel.Phone ? $"Taken by phone. {routeNote}" : routeNote,
                    actorName: reportedBy?.Name ?? name ?? "Reporter");
                var staged = await notifications.StageAsync(db, edit.Alerts, ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                notifier.Publish(new TicketChanged(await ToDtoAsync(db, ticket, ct)));
                notifications.Announce(staged);
                return ServiceResult<ReportedTicket>.Ok(new ReportedTicket(ticket.Id, ticket.TrackingCode, ticket.Status));
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts)
            {
                photoStore.Remove(edit.WrittenPhotos);
                if (!await TrackingCodeTakenAsync(ticket.TrackingCode, ct))
                {
                    throw;
                }
                // 50 random bits make this a once-in-a-lifetime event; a fresh code is all it takes.
                logger.LogWarning(ex, "Tracking code collision; drawing another");
            }
            catch
            {
                photoStore.Remove(edit.WrittenPhotos);
                throw;
            }
        }
    }

    public Task<ServiceResult<TicketDto>> ClaimAsync(int ticketId, Actor actor, CancellationToken ct = default) =>
        MoveAsync(ticketId, TicketStatus.Claimed, null, actor, ct);

    /// <summary>
    /// Moves a ticket to <paramref name="to"/>. The row is written only if its version is still the one the rules were
    /// checked against (a concurrency token), so of several people pressing Claim at once exactly one wins; the others
    /// re-read and are told who has it.
    /// </summary>
    public async Task<ServiceResult<TicketDto>> MoveAsync(int ticketId, TicketStatus to, string? note, Actor actor,
        CancellationToken ct = default, IReadOnlyList<PhotoUpload>? photos = null)
    {
        var errors = new ValidationErrors();
        note = errors.Text("note", "Note", note, Ticket.NoteMaxLength, required: to is TicketStatus.Cancelled or TicketStatus.Resolved);
        if (to == TicketStatus.Escalated)
        {
            errors.Add("to", "Put a job to the principal's office with POST /api/tickets/{id}/escalate and a reason.");
        }
        var checkedPhotos = to == TicketStatus.Resolved ? PhotoStore.Check(photos, errors) : [];
        if (photos is { Count: > 0 } && to != TicketStatus.Resolved)
        {
            errors.Add("photos", "Photos go with the report or with resolving.");
        }
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        return await UpdateAsync(t => t.Id == ticketId, $"There is no ticket #{ticketId}.", async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            if (edit.From == TicketStatus.Escalated && to != TicketStatus.Cancelled)
            {
                edit.Refuse(MoveDecision.Conflict(actor.IsPrincipal
                    ? "Decide on escalated jobs in the principal's inbox, so the decision is recorded."
                    : "This job is waiting for the principal's office to decide."));
                return;
            }
            var decision = TicketWorkflow.Decide(new TicketState(edit.From, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName), to,
                new MoveActor(staff?.Id, actor.CanDispatch, actor.IsPrincipal));
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
                    edit.AddPhotos(await photoStore.WriteAsync(checkedPhotos, PhotoKind.Resolution, edit.Now, token));
                    edit.Record(TicketEventKind.Resolved, actor, staff, note);
                    break;
                case TicketStatus.New when edit.From == TicketStatus.Resolved:
                    await ReopenInPlaceAsync(edit, actor, staff, note, token);
                    break;
                case TicketStatus.New:
                    ticket.ClaimedById = null;
                    ticket.ClaimedAt = null;
                    ticket.OnSiteAt = null;
                    Requeue(ticket, edit.Now);
                    edit.Record(TicketEventKind.Released, actor, staff, note);
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
            return ServiceResult<TicketDto>.Forbidden("Only a dispatcher can assign tickets.");
        }
        return await UpdateAsync(t => t.Id == ticketId, $"There is no ticket #{ticketId}.", async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var target = await edit.Db.Staff.FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, token);
            if (target is null)
            {
                var errors = new ValidationErrors();
                errors.Add("staffId", $"There is no active staff member #{staffId}.");
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
                previous is null ? $"Assigned to {target.DisplayName}" : $"Reassigned from {previous} to {target.DisplayName}");
            var area = await AreaOfAsync(ticket, token);
            edit.Alert(new NewNotification(target.UserId, NotificationKind.Assigned, $"{actor.Name} gave you a job: {area}",
                Summary(ticket), ticket.Id, "/my", $"assign:{ticket.Id}:{ticket.Version}:{target.UserId}"));
        }, ct);
    }

    /// <summary>The reporter confirms the fix: the ticket closes with their 1–5 rating and comment.</summary>
    public async Task<ServiceResult<TicketDto>> ConfirmAsync(string? trackingCode, int? rating, string? comment, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (rating is not (>= 1 and <= 5))
        {
            errors.Add("rating", "Choose from 1 to 5 stars.");
        }
        comment = errors.Text("comment", "Comment", comment, Ticket.RatingCommentMaxLength, required: false);
        var code = TrackingCode.Normalize(trackingCode);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        return await UpdateAsync(t => t.TrackingCode == code, NoSuchReport, (edit, _) =>
        {
            if (edit.From != TicketStatus.Resolved)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(NotResolvedYet(edit.From)));
                return Task.CompletedTask;
            }
            edit.Ticket.Status = TicketStatus.Closed;
            edit.Ticket.ClosedAt = edit.Now;
            edit.Ticket.Rating = rating;
            edit.Ticket.RatingComment = comment;
            edit.Record(TicketEventKind.Confirmed, null, null, comment is null ? $"Rated {rating}/5" : $"Rated {rating}/5: {comment}");
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>The reporter says it is not fixed: the ticket goes back to the queue and is routed again.</summary>
    public async Task<ServiceResult<TicketDto>> ReopenAsync(string? trackingCode, string? comment, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        comment = errors.Text("comment", "What is still wrong", comment, Ticket.NoteMaxLength, required: true);
        var code = TrackingCode.Normalize(trackingCode);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        return await UpdateAsync(t => t.TrackingCode == code, NoSuchReport, async (edit, token) =>
        {
            if (edit.From != TicketStatus.Resolved)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(NotResolvedYet(edit.From)));
                return;
            }
            await ReopenInPlaceAsync(edit, null, null, comment, token);
        }, ct);
    }

    /// <summary>
    /// The one way tickets change after they are reported: load, let <paramref name="edit"/> change the ticket (its
    /// version already bumped), save with the alerts it raised in one transaction, retry from a fresh read if someone
    /// else changed the ticket meanwhile, then publish.
    /// </summary>
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
            var change = new TicketEdit(db, ticket, clock.UtcNow);
            try
            {
                await edit(change, ct);
                if (change.Refusal is { } refusal)
                {
                    photoStore.Remove(change.WrittenPhotos);
                    return refusal;
                }
                var staged = await notifications.StageAsync(db, change.Alerts, ct);
                await db.SaveChangesAsync(ct);
                notifier.Publish(new TicketChanged(await ToDtoAsync(db, ticket, ct)));
                foreach (var also in change.AlsoPublish)
                {
                    notifier.Publish(also);
                }
                notifications.Announce(staged);
                return ServiceResult<TicketDto>.Ok(await ToDtoAsync(db, ticket, ct));
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                photoStore.Remove(change.WrittenPhotos);
            }
            catch
            {
                photoStore.Remove(change.WrittenPhotos);
                throw;
            }
        }
    }

    /// <summary>What the board shows: every open ticket and those resolved since the school's midnight.</summary>
    public async Task<IReadOnlyList<TicketDto>> GetBoardAsync(CancellationToken ct = default)
    {
        var since = clock.StartOfToday();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Project(db, db.Tickets.Where(t => OpenStatuses.Contains(t.Status)
                || ((t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed) && t.ResolvedAt >= since))
            .OrderBy(t => t.ReportedAt))
            .ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    public async Task<IReadOnlyList<TicketDto>> ListAsync(bool openOnly, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = openOnly
            ? db.Tickets.Where(t => OpenStatuses.Contains(t.Status)).OrderBy(t => t.ReportedAt)
            : db.Tickets.OrderByDescending(t => t.ReportedAt);
        var rows = await Project(db, openOnly ? query : query.Take(take)).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    public async Task<TicketDetail?> GetDetailAsync(int ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Project(db, db.Tickets.Where(t => t.Id == ticketId)).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var events = await db.TicketEvents.Where(e => e.TicketId == ticketId).OrderBy(e => e.Version).ThenBy(e => e.Id)
            .Select(e => new TicketEventDto(e.At, e.Kind, e.FromStatus, e.ToStatus, e.ActorName, e.Note, e.Version))
            .ToListAsync(ct);
        var photos = await db.Photos.Where(p => p.TicketId == ticketId).OrderBy(p => p.Id)
            .Select(p => new PhotoDto(p.Id, p.Kind, p.Width, p.Height, $"/photos/{p.Id}")).ToListAsync(ct);
        return new TicketDetail((await ToDtosAsync([row], ct))[0], events, photos);
    }

    public async Task<TrackingView?> TrackAsync(string? trackingCode, CancellationToken ct = default)
    {
        var code = TrackingCode.Normalize(trackingCode);
        if (code is null)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TrackingCode == code, ct);
        if (ticket is null)
        {
            return null;
        }
        var events = await db.TicketEvents.AsNoTracking().Where(e => e.TicketId == ticket.Id)
            .OrderBy(e => e.Version).ThenBy(e => e.Id).ToListAsync(ct);
        // The reporter sees their own photos only, through a link that needs the tracking code.
        var photos = await db.Photos.Where(p => p.TicketId == ticket.Id && p.Kind == PhotoKind.Report).OrderBy(p => p.Id)
            .Select(p => new PhotoDto(p.Id, p.Kind, p.Width, p.Height, $"/track/{code}/photos/{p.Id}")).ToListAsync(ct);
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId);
        return new TrackingView(ticket.TrackingCode, ticket.Status, ticket.Version, area?.Path ?? "", ticket.Category,
            ticket.Priority, ticket.Description, ticket.ReportedAt, ticket.ClaimedAt, ticket.OnSiteAt, ticket.ResolvedAt,
            ticket.ClosedAt, ticket.Rating,
            events.Where(e => e.Kind != TicketEventKind.Overdue)
                .Select(e => new TrackingStep(e.At, e.Kind, e.Kind.PublicLabel(), e.ToStatus, PublicNote(e))).ToList(),
            photos);
    }

    /// <summary>Notes the reporter may read: what was done, and the office's reasons for what it decided.</summary>
    private static string? PublicNote(TicketEvent e) => e.Kind switch
    {
        TicketEventKind.Resolved or TicketEventKind.Cancelled or TicketEventKind.Approved or TicketEventKind.Rejected
            or TicketEventKind.Deferred or TicketEventKind.Confirmed or TicketEventKind.Reopened => e.Note,
        TicketEventKind.Closed when e.ActorUserId == Actor.System.UserId => e.Note,
        _ => null,
    };

    /// <summary>Puts the ticket (back) in the queue: the response target counts again from now.</summary>
    private void Requeue(Ticket ticket, DateTimeOffset now)
    {
        ticket.QueuedAt = now;
        ticket.ResponseDueAt = now + options.Value.ResponseTargets.For(ticket.Priority);
        ticket.EscalationLevel = 0;
    }

    /// <summary>A resolved ticket goes back to the queue, is routed again, and whoever resolved it hears why.</summary>
    private async Task ReopenInPlaceAsync(TicketEdit edit, Actor? actor, StaffMember? staff, string? note, CancellationToken ct)
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
        await QueueAsync(edit, ct);
        edit.Record(TicketEventKind.Reopened, actor, staff, note);
        if (resolver is not null)
        {
            edit.Alert(new NewNotification(resolver.UserId, NotificationKind.Reopened, $"Not fixed yet: {await AreaOfAsync(ticket, ct)}",
                note, ticket.Id, "/my", $"reopened:{ticket.Id}:{ticket.ReopenCount}:{resolver.UserId}"));
        }
    }

    private sealed record Routed(AreaRoute Route, string? StaffName);

    /// <summary>Queues the ticket and routes it: owner, backup, everyone on duty, or the dispatcher, each alerted once.</summary>
    private async Task<Routed> QueueAsync(TicketEdit edit, CancellationToken ct)
    {
        var ticket = edit.Ticket;
        Requeue(ticket, edit.Now);
        var onDuty = await Recipients.OnDutyAsync(edit.Db, ct);
        var snapshot = await areas.GetAsync(ct);
        var area = snapshot.ById[ticket.AreaId];
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
            edit.Alert(new NewNotification(userId, NotificationKind.Routed, title, body, ticket.Id, link, $"{key}:{userId}"));
        }
        return new Routed(route, routed?.Name);
    }

    private const string NoSuchReport = "No report has this tracking code. Check the code on your confirmation (10 letters and digits).";

    private static string NotResolvedYet(TicketStatus status) => status switch
    {
        TicketStatus.Closed => "This report is already closed.",
        TicketStatus.Cancelled => "This report was cancelled by the office.",
        _ => "This report is not marked fixed yet; you can confirm or reopen it once it is.",
    };

    private static string Summary(Ticket ticket) =>
        ticket.Description.Length > 140 ? ticket.Description[..139] + "…" : ticket.Description;

    private async Task<string> AreaOfAsync(Ticket ticket, CancellationToken ct) =>
        (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";

    private async Task<bool> TrackingCodeTakenAsync(string code, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tickets.AnyAsync(t => t.TrackingCode == code, ct);
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private sealed record TicketRow(Ticket Ticket, string? ClaimedBy, string? RoutedTo, int Photos);

    private static IQueryable<TicketRow> Project(DispatchDbContext db, IQueryable<Ticket> query) =>
        query.AsNoTracking().Select(t => new TicketRow(t,
            t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName,
            t.RoutedTo == null ? null : t.RoutedTo.DisplayName,
            db.Photos.Count(p => p.TicketId == t.Id)));

    private async Task<IReadOnlyList<TicketDto>> ToDtosAsync(IReadOnlyList<TicketRow> rows, CancellationToken ct)
    {
        var snapshot = await areas.GetAsync(ct);
        return rows.Select(r => ToDto(r.Ticket, r.ClaimedBy, r.RoutedTo, r.Photos, snapshot)).ToList();
    }

    private async Task<TicketDto> ToDtoAsync(DispatchDbContext db, Ticket ticket, CancellationToken ct)
    {
        var ids = new[] { ticket.ClaimedById, ticket.RoutedToId }.OfType<int>().Distinct().ToList();
        var names = await db.Staff.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var photos = await db.Photos.CountAsync(p => p.TicketId == ticket.Id, ct);
        return ToDto(ticket, ticket.ClaimedById is { } c ? names.GetValueOrDefault(c) : null,
            ticket.RoutedToId is { } r ? names.GetValueOrDefault(r) : null, photos, await areas.GetAsync(ct));
    }

    private static TicketDto ToDto(Ticket t, string? claimedBy, string? routedTo, int photos, AreaDirectory.Snapshot snapshot)
    {
        var area = snapshot.ById.GetValueOrDefault(t.AreaId);
        return new TicketDto(t.Id, t.TrackingCode, t.Status, t.Version, t.AreaId, area?.Code ?? "", area?.Name ?? $"Area #{t.AreaId}",
            area?.Path ?? "", t.Category, t.Priority, t.Description, t.LocationDetail, t.ReporterName, t.ReporterContact, t.Channel,
            t.ClaimedById, claimedBy, t.ReportedAt, t.ClaimedAt, t.OnSiteAt, t.ResolvedAt, t.ClosedAt, t.ResolutionNote,
            t.RoutedToId, routedTo, t.QueuedAt, t.ResponseDueAt, t.EscalationLevel, t.ReopenCount, t.Rating, photos);
    }
}
