using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Staff;

/// <summary>
/// Puts people on and off duty at the edges of their standby slots. For each person it finds the latest edge at or before
/// now and acts on it once: the edge is stored on the person (<see cref="StaffMember.RosterEdgeAt"/>) by the same
/// conditional update that changes duty, so two runs, concurrent runs or a run after a restart change nothing twice.
/// A duty change made after the edge (the person's own switch, claiming a job) wins until their next edge. People
/// without standby slots have no edges and are never touched.
/// </summary>
public sealed class RosterSweep(
    IDbContextFactory<DispatchDbContext> dbFactory,
    RosterService roster,
    DispatchNotifier notifier,
    AuditLog audit,
    SchoolClock clock,
    ILogger<RosterSweep> logger)
{
    public const string Actor = "Duty roster";

    /// <summary>Returns how many people it switched.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = clock.LocalDate(now);
        IReadOnlyList<RosterOccurrence> occurrences;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            occurrences = await roster.OccurrencesAsync(db, today.AddDays(-RosterService.LookBackDays), today.AddDays(1), ct);
        }
        var switched = 0;
        foreach (var staffId in occurrences.Where(o => o.Kind == RosterKind.Standby).Select(o => o.StaffId).Distinct().Order())
        {
            var edge = Roster.StandbyEdges(occurrences, staffId).LastOrDefault(e => e.At <= now);
            if (edge is not null && await ApplyAsync(staffId, edge, now, ct))
            {
                switched++;
            }
        }
        return switched;
    }

    private async Task<bool> ApplyAsync(int staffId, RosterEdge edge, DateTimeOffset now, CancellationToken ct)
    {
        var at = edge.At;
        var by = $"the roster: {edge.Label}";
        if (by.Length > StaffMember.DutyChangedByMaxLength)
        {
            by = TextCut.Head(by, StaffMember.DutyChangedByMaxLength);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The edge not yet acted on, no duty change since it, and duty the other way: switch, and take the edge.
        var changed = await db.Staff
            .Where(s => s.Id == staffId && s.IsActive && (s.RosterEdgeAt == null || s.RosterEdgeAt < at)
                        && s.DutyChangedAt <= at && s.OnDuty != edge.OnDuty)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.OnDuty, edge.OnDuty)
                .SetProperty(s => s.DutyChangedAt, now)
                .SetProperty(s => s.DutyChangedBy, by)
                .SetProperty(s => s.DutyManualUntil, (DateTimeOffset?)null)
                .SetProperty(s => s.RosterEdgeAt, at), ct) == 1;
        if (!changed)
        {
            // Already as the roster wants it, or overruled by a later manual change: only take the edge.
            await db.Staff.Where(s => s.Id == staffId && (s.RosterEdgeAt == null || s.RosterEdgeAt < at))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.RosterEdgeAt, at)
                    .SetProperty(s => s.DutyManualUntil, s => s.DutyManualUntil > at ? s.DutyManualUntil : null), ct);
            await transaction.CommitAsync(CancellationToken.None);
            return false;
        }
        var staff = await db.Staff.AsNoTracking().FirstAsync(s => s.Id == staffId, ct);
        audit.Stage(db, new AuditEvent(AuditKind.DutyChanged, null, Actor, staff.DisplayName,
            $"{(edge.OnDuty ? "On duty" : "Off duty")} by {by}", null));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        logger.RosterDutySwitched(staff.DisplayName, edge.OnDuty ? "on duty" : "off duty", edge.Label);
        notifier.Publish(new StaffChanged(StaffService.ToDto(staff)));
        return true;
    }
}
