using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Tickets;

public sealed class TicketService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    DispatchNotifier notifier,
    SchoolClock clock,
    ILogger<TicketService> logger)
{
    private const int MaxAttempts = 5;

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
        else if (!TicketText.TryParseName(report.Category, out category))
        {
            errors.Add("category", $"'{Shorten(report.Category)}' is not a category; use one of {TicketText.Names<TicketCategory>()}.");
        }

        var description = errors.Text("description", "Description", report.Description, Ticket.DescriptionMaxLength, required: true);
        var location = errors.Text("locationDetail", "Location detail", report.LocationDetail, Ticket.LocationDetailMaxLength, required: false);
        var name = errors.Text("reporterName", "Name", report.ReporterName, Ticket.ReporterNameMaxLength, required: false);
        var contact = errors.Text("reporterContact", "Contact", report.ReporterContact, Ticket.ReporterContactMaxLength, required: false);
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
            ticket.Events.Add(new TicketEvent
            {
                At = now,
                Kind = TicketEventKind.Reported,
                ToStatus = TicketStatus.New,
                ActorName = reportedBy?.Name ?? name ?? "Reporter",
                ActorUserId = reportedBy?.UserId,
                Note = channel == TicketChannel.Phone ? "Taken by phone" : null,
                Version = 1,
            });
            db.Tickets.Add(ticket);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts)
            {
                if (!await TrackingCodeTakenAsync(ticket.TrackingCode, ct))
                {
                    throw;
                }
                // 50 random bits make this a once-in-a-lifetime event; a fresh code is all it takes.
                logger.LogWarning(ex, "Tracking code collision; drawing another");
                continue;
            }

            notifier.Publish(new TicketChanged(await ToDtoAsync(ticket, claimedBy: null, ct)));
            return ServiceResult<ReportedTicket>.Ok(new ReportedTicket(ticket.Id, ticket.TrackingCode, ticket.Status));
        }
    }

    public Task<ServiceResult<TicketDto>> ClaimAsync(int ticketId, Actor actor, CancellationToken ct = default) =>
        MoveAsync(ticketId, TicketStatus.Claimed, null, actor, ct);

    /// <summary>
    /// Moves a ticket to <paramref name="to"/>. The row is written only if its version is still the one the rules were
    /// checked against (a concurrency token), so of several people pressing Claim at once exactly one wins; the others
    /// re-read and are told who has it.
    /// </summary>
    public async Task<ServiceResult<TicketDto>> MoveAsync(int ticketId, TicketStatus to, string? note, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        note = errors.Text("note", "Note", note, Ticket.NoteMaxLength, required: to is TicketStatus.Cancelled or TicketStatus.Resolved);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ticket = await db.Tickets.Include(t => t.ClaimedBy).FirstOrDefaultAsync(t => t.Id == ticketId, ct);
            if (ticket is null)
            {
                return ServiceResult<TicketDto>.NotFound($"There is no ticket #{ticketId}.");
            }
            var staff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, ct);
            var decision = TicketWorkflow.Decide(
                new TicketState(ticket.Status, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName), to,
                new MoveActor(staff?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                return Refuse<TicketDto>(decision);
            }

            var now = clock.UtcNow;
            var from = ticket.Status;
            var kind = Apply(ticket, to, staff, note, now);
            var wentOnDuty = to == TicketStatus.Claimed && staff is { OnDuty: false };
            if (wentOnDuty)
            {
                // Whoever claims a job is evidently working; the board should say so.
                staff!.OnDuty = true;
                staff.DutyChangedAt = now;
            }
            ticket.Events.Add(NewEvent(ticket, kind, from, actor, staff, note, now));

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                continue;
            }

            var claimer = ticket.ClaimedById is null ? null : ticket.ClaimedById == staff?.Id ? staff : ticket.ClaimedBy;
            var dto = await ToDtoAsync(ticket, claimer?.DisplayName, ct);
            notifier.Publish(new TicketChanged(dto));
            if (wentOnDuty)
            {
                notifier.Publish(new StaffChanged(StaffService.ToDto(staff!)));
            }
            return ServiceResult<TicketDto>.Ok(dto);
        }
    }

    public async Task<ServiceResult<TicketDto>> AssignAsync(int ticketId, int staffId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<TicketDto>.Forbidden("Only a dispatcher can assign tickets.");
        }
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var target = await db.Staff.FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, ct);
            if (target is null)
            {
                var errors = new ValidationErrors();
                errors.Add("staffId", $"There is no active staff member #{staffId}.");
                return ServiceResult<TicketDto>.Invalid(errors);
            }
            var ticket = await db.Tickets.Include(t => t.ClaimedBy).FirstOrDefaultAsync(t => t.Id == ticketId, ct);
            if (ticket is null)
            {
                return ServiceResult<TicketDto>.NotFound($"There is no ticket #{ticketId}.");
            }
            var actorStaff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId, ct);
            var decision = TicketWorkflow.DecideAssign(
                new TicketState(ticket.Status, ticket.ClaimedById, ticket.ClaimedBy?.DisplayName), staffId, target.DisplayName,
                new MoveActor(actorStaff?.Id, actor.CanDispatch));
            if (!decision.Allowed)
            {
                return Refuse<TicketDto>(decision);
            }

            var now = clock.UtcNow;
            var from = ticket.Status;
            var previous = ticket.ClaimedBy?.DisplayName;
            ticket.Status = TicketStatus.Claimed;
            ticket.ClaimedById = target.Id;
            ticket.ClaimedAt ??= now;
            ticket.OnSiteAt = null;
            ticket.Version++;
            var note = previous is null ? $"Assigned to {target.DisplayName}" : $"Reassigned from {previous} to {target.DisplayName}";
            ticket.Events.Add(NewEvent(ticket, TicketEventKind.Assigned, from, actor, actorStaff, note, now));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                continue;
            }

            var dto = await ToDtoAsync(ticket, target.DisplayName, ct);
            notifier.Publish(new TicketChanged(dto));
            return ServiceResult<TicketDto>.Ok(dto);
        }
    }

    /// <summary>What the board shows: every open ticket and those resolved since the school's midnight.</summary>
    public async Task<IReadOnlyList<TicketDto>> GetBoardAsync(CancellationToken ct = default)
    {
        var since = clock.StartOfToday();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Project(db.Tickets.Where(t =>
                t.Status == TicketStatus.New || t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite
                || ((t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed) && t.ResolvedAt >= since))
            .OrderBy(t => t.ReportedAt))
            .ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    public async Task<IReadOnlyList<TicketDto>> ListAsync(bool openOnly, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = openOnly
            ? db.Tickets.Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite)
                .OrderBy(t => t.ReportedAt)
            : db.Tickets.OrderByDescending(t => t.ReportedAt);
        var rows = await Project(openOnly ? query : query.Take(take)).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    public async Task<TicketDetail?> GetDetailAsync(int ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Project(db.Tickets.Where(t => t.Id == ticketId)).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var events = await db.TicketEvents.Where(e => e.TicketId == ticketId).OrderBy(e => e.Version).ThenBy(e => e.Id)
            .Select(e => new TicketEventDto(e.At, e.Kind, e.FromStatus, e.ToStatus, e.ActorName, e.Note, e.Version))
            .ToListAsync(ct);
        return new TicketDetail((await ToDtosAsync([row], ct))[0], events);
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
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId);
        return new TrackingView(ticket.TrackingCode, ticket.Status, ticket.Version, area?.Path ?? "", ticket.Category,
            ticket.Priority, ticket.Description, ticket.ReportedAt, ticket.ClaimedAt, ticket.OnSiteAt, ticket.ResolvedAt,
            ticket.ClosedAt,
            events.Select(e => new TrackingStep(e.At, e.Kind, e.Kind.PublicLabel(), e.ToStatus,
                e.Kind is TicketEventKind.Resolved or TicketEventKind.Cancelled ? e.Note : null)).ToList());
    }

    private static TicketEventKind Apply(Ticket ticket, TicketStatus to, StaffMember? staff, string? note, DateTimeOffset now)
    {
        var from = ticket.Status;
        ticket.Status = to;
        ticket.Version++;
        switch (to)
        {
            case TicketStatus.Claimed:
                ticket.ClaimedById = staff!.Id;
                ticket.ClaimedAt = now;
                return TicketEventKind.Claimed;
            case TicketStatus.OnSite:
                ticket.OnSiteAt = now;
                return TicketEventKind.OnSite;
            case TicketStatus.Resolved:
                ticket.ResolvedAt = now;
                ticket.ResolutionNote = note;
                return TicketEventKind.Resolved;
            case TicketStatus.New:
                ticket.ClaimedById = null;
                ticket.ClaimedBy = null;
                ticket.ClaimedAt = null;
                ticket.OnSiteAt = null;
                if (from == TicketStatus.Resolved)
                {
                    ticket.ResolvedAt = null;
                    ticket.ResolutionNote = null;
                    return TicketEventKind.Reopened;
                }
                return TicketEventKind.Released;
            case TicketStatus.Closed:
                ticket.ClosedAt = now;
                return TicketEventKind.Closed;
            case TicketStatus.Cancelled:
                ticket.ClosedAt = now;
                return TicketEventKind.Cancelled;
            default:
                throw new ArgumentOutOfRangeException(nameof(to), to, "Not a status a ticket moves to.");
        }
    }

    private static TicketEvent NewEvent(Ticket ticket, TicketEventKind kind, TicketStatus from, Actor actor, StaffMember? staff, string? note, DateTimeOffset now) => new()
    {
        At = now,
        Kind = kind,
        FromStatus = from,
        ToStatus = ticket.Status,
        ActorName = actor.Name.Length > TicketEvent.ActorNameMaxLength ? actor.Name[..TicketEvent.ActorNameMaxLength] : actor.Name,
        ActorUserId = actor.UserId,
        ActorStaffId = staff?.Id,
        Note = note,
        Version = ticket.Version,
    };

    private static ServiceResult<T> Refuse<T>(MoveDecision decision) => decision.Kind == ResultKind.Forbidden
        ? ServiceResult<T>.Forbidden(decision.Message!)
        : ServiceResult<T>.Conflict(decision.Message!);

    private async Task<bool> TrackingCodeTakenAsync(string code, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tickets.AnyAsync(t => t.TrackingCode == code, ct);
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private sealed record TicketRow(Ticket Ticket, string? ClaimedBy);

    private static IQueryable<TicketRow> Project(IQueryable<Ticket> query) =>
        query.AsNoTracking().Select(t => new TicketRow(t, t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName));

    private async Task<IReadOnlyList<TicketDto>> ToDtosAsync(IReadOnlyList<TicketRow> rows, CancellationToken ct)
    {
        var snapshot = await areas.GetAsync(ct);
        return rows.Select(r => ToDto(r.Ticket, r.ClaimedBy, snapshot)).ToList();
    }

    private async Task<TicketDto> ToDtoAsync(Ticket ticket, string? claimedBy, CancellationToken ct) =>
        ToDto(ticket, claimedBy, await areas.GetAsync(ct));

    private static TicketDto ToDto(Ticket t, string? claimedBy, AreaDirectory.Snapshot snapshot)
    {
        var area = snapshot.ById.GetValueOrDefault(t.AreaId);
        return new TicketDto(t.Id, t.TrackingCode, t.Status, t.Version, t.AreaId, area?.Code ?? "", area?.Name ?? $"Area #{t.AreaId}",
            area?.Path ?? "", t.Category, t.Priority, t.Description, t.LocationDetail, t.ReporterName, t.ReporterContact, t.Channel,
            t.ClaimedById, claimedBy, t.ReportedAt, t.ClaimedAt, t.OnSiteAt, t.ResolvedAt, t.ClosedAt, t.ResolutionNote);
    }
}
