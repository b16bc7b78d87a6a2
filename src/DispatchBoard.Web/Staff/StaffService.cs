using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

/// <param name="DutyChangedBy">Who or what made the last duty change ("the roster: Mon 07:30–12:00", "Wang Lei (own switch)").</param>
/// <param name="DutyManualUntil">A manual switch holds until this roster edge; null when the roster leads (or the person has none).</param>
public sealed record StaffDto(int Id, string Name, bool OnDuty, DateTimeOffset DutyChangedAt, bool IsActive = true,
    string? DutyChangedBy = null, DateTimeOffset? DutyManualUntil = null);

/// <summary>A staff member with the state the board shows, for the staff API.</summary>
public sealed record StaffStatusDto(int Id, string Name, bool OnDuty, DutyState State, int ActiveJobs, DateTimeOffset DutyChangedAt);

/// <summary>An open ticket as the board's staff panel sees it: who has it in hand (claimed or on site), if anyone.</summary>
public sealed record StaffJob(int TicketId, int? StaffId, string AreaName, int Version);

/// <summary>
/// The staff panel's snapshot: who is on the staff, and every open ticket with its version (those in nobody's hands too,
/// so that an older event about one of them, arriving late, cannot put it in someone's hands).
/// </summary>
public sealed record StaffBoard(IReadOnlyList<StaffDto> Staff, IReadOnlyList<StaffJob> Jobs);

public sealed class StaffService(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, DispatchNotifier notifier, SchoolClock clock,
    RosterService roster, AuditLog audit)
{
    /// <summary>The ids of people still on the staff: work is only handed to them.</summary>
    public static async Task<HashSet<int>> ActiveIdsAsync(DispatchDbContext db, CancellationToken ct) =>
        (await db.Staff.Where(s => s.IsActive).Select(s => s.Id).ToListAsync(ct)).ToHashSet();

    public static StaffDto ToDto(StaffMember s) => new(s.Id, s.DisplayName, s.OnDuty, s.DutyChangedAt, s.IsActive, s.DutyChangedBy, s.DutyManualUntil);

    public static DutyState StateOf(bool onDuty, int activeJobs) =>
        !onDuty ? DutyState.OffDuty : activeJobs > 0 ? DutyState.OnJob : DutyState.Standby;

    public async Task<IReadOnlyList<StaffDto>> GetActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Staff.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.DisplayName)
            .Select(s => new StaffDto(s.Id, s.DisplayName, s.OnDuty, s.DutyChangedAt))
            .ToListAsync(ct);
    }

    public async Task<StaffBoard> BoardAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await db.Staff.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.DisplayName)
            .Select(s => new StaffDto(s.Id, s.DisplayName, s.OnDuty, s.DutyChangedAt, true, s.DutyChangedBy, s.DutyManualUntil))
            .ToListAsync(ct);
        var jobs = await db.Tickets.AsNoTracking()
            .Where(t => TicketQueries.OpenStatuses.Contains(t.Status))
            .Select(t => new
            {
                t.Id,
                StaffId = t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite ? t.ClaimedById : null,
                t.AreaId,
                t.Version,
            })
            .ToListAsync(ct);
        var snapshot = await areas.GetAsync(ct);
        return new StaffBoard(staff, jobs.Select(j => new StaffJob(j.Id, j.StaffId,
            snapshot.ById.GetValueOrDefault(j.AreaId)?.Name ?? L["Area #{0}", j.AreaId], j.Version)).ToList());
    }

    public async Task<IReadOnlyList<StaffStatusDto>> GetStatusAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Staff.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.DisplayName)
            .Select(s => new
            {
                s.Id,
                s.DisplayName,
                s.OnDuty,
                s.DutyChangedAt,
                Jobs = db.Tickets.Count(t => t.ClaimedById == s.Id && (t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite)),
            })
            .ToListAsync(ct);
        return rows.Select(r => new StaffStatusDto(r.Id, r.DisplayName, r.OnDuty, StateOf(r.OnDuty, r.Jobs), r.Jobs, r.DutyChangedAt)).ToList();
    }

    public async Task<StaffDto?> FindForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Staff.AsNoTracking().Where(s => s.UserId == userId && s.IsActive)
            .Select(s => new StaffDto(s.Id, s.DisplayName, s.OnDuty, s.DutyChangedAt, true, s.DutyChangedBy, s.DutyManualUntil))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<ServiceResult<StaffDto>> SetDutyAsync(Actor actor, bool onDuty, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, ct);
        if (staff is null)
        {
            return ServiceResult<StaffDto>.Forbidden(L["Only staff members who take jobs have a duty status."]);
        }
        if (staff.OnDuty != onDuty)
        {
            var now = clock.UtcNow;
            // The switch wins until the person's next roster edge; after it the roster leads again.
            var next = await roster.NextEdgeAsync(db, staff.Id, now, ct);
            staff.OnDuty = onDuty;
            staff.DutyChangedAt = now;
            staff.DutyChangedBy = $"{Truncate(actor.Name, StaffMember.DutyChangedByMaxLength - 20)} (own switch)";
            staff.DutyManualUntil = next?.At;
            audit.Stage(db, AuditEvent.By(actor, AuditKind.DutyChanged, staff.DisplayName, (onDuty ? "On duty" : "Off duty") + " by their own switch"
                + (next is null ? "" : $"; the roster leads again at {clock.ToLocal(next.At):ddd dd MMM HH:mm} ({next.Label})")));
            await db.SaveChangesAsync(ct);
            notifier.Publish(new StaffChanged(ToDto(staff)));
        }
        return ServiceResult<StaffDto>.Ok(ToDto(staff));
    }

    private static string Truncate(string text, int length) => TextCut.Head(text, length);
}
