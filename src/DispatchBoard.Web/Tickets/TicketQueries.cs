using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// What live screens load before they apply events: the tickets they show, and the versions of tickets that left them
/// a moment ago (closed, cancelled), so that an older event about one of those, delivered late, cannot bring it back.
/// </summary>
public sealed record TicketSnapshot(IReadOnlyList<TicketDto> Tickets, IReadOnlyDictionary<int, int> LeftVersions);

/// <summary>A tracking code's view, and the version of each ticket it passes through (its own, and those it was merged into).</summary>
public sealed record TrackedReport(TrackingView View, IReadOnlyDictionary<int, int> Versions);

/// <summary>
/// Every read of tickets: the board, the API's list and detail, and the reporter's tracking page. One projection
/// (<see cref="Project"/>) makes every <see cref="TicketDto"/>, so the board, the API and the hub see the same thing.
/// </summary>
public sealed class TicketQueries(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, SchoolClock clock, SharedTicketDtos shared)
{
    public static readonly TicketStatus[] OpenStatuses =
        [TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated];

    /// <summary>How long a ticket that left the board is still reported with its version (see <see cref="TicketSnapshot"/>).</summary>
    public static readonly TimeSpan LeftRecently = TimeSpan.FromMinutes(10);

    /// <summary>What the board and the phones show: every open ticket and those resolved since the school's midnight.</summary>
    public async Task<TicketSnapshot> BoardAsync(CancellationToken ct = default)
    {
        var since = clock.StartOfToday();
        var leftSince = clock.UtcNow - LeftRecently;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Project(db, db.Tickets.Where(t => OpenStatuses.Contains(t.Status)
                || ((t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed) && t.ResolvedAt >= since))
            .OrderBy(t => t.ReportedAt))
            .ToListAsync(ct);
        var left = await db.Tickets
            .Where(t => t.ClosedAt >= leftSince && (t.Status == TicketStatus.Cancelled
                || (t.Status == TicketStatus.Closed && (t.ResolvedAt == null || t.ResolvedAt < since))))
            .Select(t => new { t.Id, t.Version })
            .ToDictionaryAsync(t => t.Id, t => t.Version, ct);
        return new TicketSnapshot(await ToDtosAsync(rows, ct), left);
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
            .Select(p => new PhotoDto(p.Id, p.Kind, p.Width, p.Height, $"/photos/{p.Id}", $"/photos/{p.Id}/thumb",
                p.TicketEvent == null ? null : p.TicketEvent.Version)).ToListAsync(ct);
        return new TicketDetail((await ToDtosAsync([row], ct))[0], events, photos);
    }

    /// <summary>Whether a tracking code belongs to a report (the tracking page's 404, before anything else is loaded).</summary>
    public async Task<bool> TrackingCodeExistsAsync(string? trackingCode, CancellationToken ct = default)
    {
        var code = TrackingCode.Normalize(trackingCode);
        if (code is null)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tickets.AnyAsync(t => t.TrackingCode == code, ct) || await db.TicketReports.AnyAsync(r => r.TrackingCode == code, ct);
    }

    public async Task<TrackingView?> TrackAsync(string? trackingCode, CancellationToken ct = default) =>
        (await FollowAsync(trackingCode, ct))?.View;

    /// <summary>
    /// The reporter's view of a tracking code, a ticket's or a "me too"'s, following merges to the surviving ticket, with
    /// the version of every ticket on the way (the tracking page listens to each: a merge or its undo changes the way).
    /// </summary>
    public async Task<TrackedReport?> FollowAsync(string? trackingCode, CancellationToken ct = default)
    {
        var code = TrackingCode.Normalize(trackingCode);
        if (code is null)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TrackingCode == code, ct);
        var ticket = own;
        if (ticket is null)
        {
            var meToo = await db.TicketReports.AsNoTracking().Where(r => r.TrackingCode == code).Select(r => (int?)r.TicketId).FirstOrDefaultAsync(ct);
            ticket = meToo is null ? null : await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == meToo, ct);
            if (ticket is null)
            {
                return null;
            }
        }
        var versions = new Dictionary<int, int> { [ticket.Id] = ticket.Version };
        while (ticket.MergedIntoId is { } next && !versions.ContainsKey(next)
            && await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == next, ct) is { } survivor)
        {
            ticket = survivor;
            versions[ticket.Id] = ticket.Version;
        }
        var joined = own is null ? L["Your report was added to one already made about the same problem."]
            : own.Id != ticket.Id ? L["Your report was joined with another report of the same problem."] : null;
        var events = await db.TicketEvents.AsNoTracking().Where(e => e.TicketId == ticket.Id)
            .OrderBy(e => e.Version).ThenBy(e => e.Id).ToListAsync(ct);
        // The reporter sees their own photos only, through a link that needs the tracking code.
        var photos = own is null ? [] : await db.Photos.Where(p => p.TicketId == own.Id && p.Kind == Photos.PhotoKind.Report).OrderBy(p => p.Id)
            .Select(p => new PhotoDto(p.Id, p.Kind, p.Width, p.Height, $"/track/{code}/photos/{p.Id}", $"/track/{code}/photos/{p.Id}/thumb")).ToListAsync(ct);
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId);
        // Their own words, not another reporter's: a "me too" wrote none.
        var view = new TrackingView(code, ticket.Status, ticket.Version, area?.Path ?? "", ticket.Category,
            ticket.Priority, own?.Description ?? "", ticket.ReportedAt, ticket.ClaimedAt, ticket.OnSiteAt, ticket.ResolvedAt,
            ticket.ClosedAt, ticket.Rating,
            events.Where(e => !e.Kind.IsStaffOnly())
                .Select(e => new TrackingStep(e.At, e.Kind, e.Kind.PublicLabel(), e.ToStatus, PublicNote(e))).ToList(),
            photos, joined);
        return new TrackedReport(view, versions);
    }

    /// <summary>The DTO of a ticket just saved in <paramref name="db"/>: built once per change, for the publish and the caller.</summary>
    internal async Task<TicketDto> ToDtoAsync(DispatchDbContext db, Ticket ticket, CancellationToken ct)
    {
        var row = await Project(db, db.Tickets.Where(t => t.Id == ticket.Id)).FirstAsync(ct);
        return shared.Share(ToDto(row, await areas.GetAsync(ct)));
    }

    /// <summary>
    /// A ticket just inserted in <c>StageAsync</c>'s transaction, as <see cref="ToDtoAsync"/> would read it back: every
    /// column is the entity's own (EF wrote them and read back the id); the joined names are the staff it was routed to
    /// or claimed by, its photos the ones added with it; a new ticket has no helpers. Saves the intake a query with
    /// three joins inside its write transaction.
    /// </summary>
    internal async Task<TicketDto> NewTicketDtoAsync(Ticket ticket, string? claimedBy, string? routedTo, int photos, CancellationToken ct) =>
        shared.Share(ToDto(new TicketRow(ticket, claimedBy, routedTo, photos, []), await areas.GetAsync(ct)));

    /// <summary>Notes the reporter may read: what was done, and the office's reasons for what it decided.</summary>
    private static string? PublicNote(TicketEvent e) => e.Kind switch
    {
        TicketEventKind.Resolved or TicketEventKind.Cancelled or TicketEventKind.Approved or TicketEventKind.Rejected
            or TicketEventKind.Deferred or TicketEventKind.Confirmed or TicketEventKind.Reopened => e.Note,
        TicketEventKind.Closed when e.ActorUserId == Actor.System.UserId => e.Note,
        _ => null,
    };

    private sealed record TicketRow(Ticket Ticket, string? ClaimedBy, string? RoutedTo, int Photos, List<TicketHelperDto> Helpers);

    private static IQueryable<TicketRow> Project(DispatchDbContext db, IQueryable<Ticket> query) =>
        query.AsNoTracking().Select(t => new TicketRow(t,
            t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName,
            t.RoutedTo == null ? null : t.RoutedTo.DisplayName,
            db.Photos.Count(p => p.TicketId == t.Id),
            t.Helpers.OrderBy(h => h.Id).Select(h => new TicketHelperDto(h.StaffId, h.Staff!.DisplayName, h.DoneAt != null)).ToList()));

    private async Task<IReadOnlyList<TicketDto>> ToDtosAsync(IReadOnlyList<TicketRow> rows, CancellationToken ct)
    {
        var snapshot = await areas.GetAsync(ct);
        // Names repeat across rows (a few staff hold many jobs): one string each.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        return rows.Select(r => shared.Share(ToDto(r with { ClaimedBy = Once(r.ClaimedBy), RoutedTo = Once(r.RoutedTo) }, snapshot))).ToList();

        string? Once(string? name) => name is null ? null : names.TryGetValue(name, out var held) ? held : names[name] = name;
    }

    private static TicketDto ToDto(TicketRow row, AreaDirectory.Snapshot snapshot)
    {
        var t = row.Ticket;
        var area = snapshot.ById.GetValueOrDefault(t.AreaId);
        return new TicketDto(t.Id, t.TrackingCode, t.Status, t.Version, t.AreaId, area?.Code ?? "", area?.Name ?? $"Area #{t.AreaId}",
            area?.Path ?? "", t.Category, t.Priority, t.Description, t.LocationDetail, t.ReporterName, t.ReporterContact, t.Channel,
            t.ClaimedById, row.ClaimedBy, t.ReportedAt, t.ClaimedAt, t.OnSiteAt, t.ResolvedAt, t.ClosedAt, t.ResolutionNote,
            t.RoutedToId, row.RoutedTo, t.QueuedAt, t.ResponseDueAt, t.EscalationLevel, t.ReopenCount, t.Rating, row.Photos,
            area?.IsTeachingRoom ?? false, t.PlannedFor, t.ReportCount, t.MergedIntoId, row.Helpers.Count == 0 ? null : row.Helpers);
    }
}
