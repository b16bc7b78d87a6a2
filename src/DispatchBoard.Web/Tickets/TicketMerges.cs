using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>The duplicate closed as merged, and the ticket it was merged into, as they are after a merge or its undo.</summary>
public sealed record MergedTickets(TicketDto Duplicate, TicketDto Survivor);

public enum ReporterKind
{
    /// <summary>The person who made the report.</summary>
    Report,
    /// <summary>Someone who pressed "me too" on the report form.</summary>
    MeToo,
}

/// <summary>One person who reported the problem, on the ticket itself or on a ticket merged into it.</summary>
public sealed record ReporterDto(int TicketId, ReporterKind Kind, string? Name, string? Contact, DateTimeOffset At, TicketChannel Channel);

/// <param name="MergedHere">The tickets merged straight into this one (each can be separated again).</param>
public sealed record TicketReporters(IReadOnlyList<ReporterDto> Reporters, IReadOnlyList<int> MergedHere);

/// <summary>
/// Merging the reports of one problem (a dispatcher's decision, undone the same way): the duplicate closes as merged
/// and its reporter's tracking page follows the survivor, which counts its reports. Both tickets change in one
/// transaction through <see cref="TicketChanges.UpdateBothAsync"/>.
/// </summary>
public sealed class TicketMerges(IDbContextFactory<DispatchDbContext> dbFactory, TicketChanges changes, AreaDirectory areas)
{
    public async Task<ServiceResult<MergedTickets>> MergeAsync(int duplicateId, int survivorId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<MergedTickets>.Forbidden(L["Only a dispatcher can merge reports."]);
        }
        if (duplicateId == survivorId)
        {
            var errors = new ValidationErrors();
            errors.Add("into", L["A report cannot be merged into itself: choose another ticket than #{0}.", duplicateId]);
            return ServiceResult<MergedTickets>.Invalid(errors);
        }
        var snapshot = await areas.GetAsync(ct);
        var result = await changes.UpdateBothAsync(duplicateId, survivorId, async (duplicate, survivor, token) =>
        {
            var d = duplicate.Ticket;
            var s = survivor.Ticket;
            if (s.MergedIntoId is not null)
            {
                survivor.Refuse(ServiceResult<TicketDto>.Conflict(await LeadsBackAsync(duplicate.Db, s, d.Id, token)
                    ? L["#{0} is already merged into #{1}; merging #{1} into it would make a loop.", s.Id, d.Id]
                    : L["#{0} is itself merged into #{1}; merge into that ticket instead.", s.Id, s.MergedIntoId]));
                return;
            }
            if (!survivor.From.IsOpen())
            {
                survivor.Refuse(ServiceResult<TicketDto>.Conflict(L["#{0} is {1}; merge into an open report.", s.Id, survivor.From.Label().ToLowerInvariant()]));
                return;
            }
            if (!duplicate.From.IsOpen())
            {
                duplicate.Refuse(ServiceResult<TicketDto>.Conflict(L["#{0} is {1}; only an open report can be merged.", d.Id, duplicate.From.Label().ToLowerInvariant()]));
                return;
            }
            if (duplicate.From == TicketStatus.Escalated)
            {
                duplicate.Refuse(ServiceResult<TicketDto>.Conflict(L["#{0} is waiting for the principal's office; merge it once they have decided.", d.Id]));
                return;
            }
            var staff = await duplicate.Db.Staff.FirstOrDefaultAsync(m => m.UserId == actor.UserId, token);
            var survivorArea = snapshot.ById.GetValueOrDefault(s.AreaId)?.Name ?? $"area #{s.AreaId}";
            d.StatusBeforeMerge = duplicate.From;
            d.Status = TicketStatus.Closed;
            d.ClosedAt = duplicate.Now;
            d.MergedIntoId = s.Id;
            duplicate.Record(TicketEventKind.Merged, actor, staff, () => L["Merged into #{0} ({1})", s.Id, survivorArea]);
            s.ReportCount += d.ReportCount;
            survivor.Record(TicketEventKind.Merged, actor, staff, () => L["#{0} merged in", d.Id]);
            var area = snapshot.ById.GetValueOrDefault(d.AreaId)?.Name ?? $"area #{d.AreaId}";
            if (d.ClaimedBy is { } lead)
            {
                duplicate.Alert(new NewNotification(lead.UserId, NotificationKind.Merged, ReaderText.Write(() => L["Merged: {0}", area]),
                    ReaderText.Write(() => L["{0} merged #{1}, which you lead, into #{2} ({3}): the same problem is followed up there.", actor.Name, d.Id, s.Id, survivorArea]),
                    s.Id, "/my", $"merged:{d.Id}:{d.Version}:{lead.UserId}"));
            }
            // The helpers lose the job from "Helping" too; they hear why, as the lead does.
            foreach (var helper in await TicketTeam.AlertedHelpersAsync(duplicate.Db, d.Id, token))
            {
                duplicate.Alert(new NewNotification(helper.UserId, NotificationKind.Merged, ReaderText.Write(() => L["Merged: {0}", area]),
                    ReaderText.Write(() => L["{0} merged #{1}, which you help on, into #{2} ({3}): the same problem is followed up there.", actor.Name, d.Id, s.Id, survivorArea]),
                    s.Id, "/my", $"merged:{d.Id}:{d.Version}:{helper.UserId}"));
            }
        }, ct);
        return result.IsOk ? ServiceResult<MergedTickets>.Ok(new(result.Value!.First, result.Value.Second)) : result.Cast<MergedTickets>();
    }

    /// <summary>Undoes a merge: the duplicate is as it was before, and follows its own course again.</summary>
    public async Task<ServiceResult<MergedTickets>> UnmergeAsync(int duplicateId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<MergedTickets>.Forbidden(L["Only a dispatcher can undo a merge."]);
        }
        int? survivorId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await db.Tickets.Where(t => t.Id == duplicateId).Select(t => new { t.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (found is null)
            {
                return ServiceResult<MergedTickets>.NotFound(L["There is no ticket #{0}.", duplicateId]);
            }
            survivorId = found.MergedIntoId;
        }
        if (survivorId is null)
        {
            return ServiceResult<MergedTickets>.Conflict(L["#{0} is not merged into another report.", duplicateId]);
        }
        var result = await changes.UpdateBothAsync(duplicateId, survivorId.Value, async (duplicate, survivor, token) =>
        {
            var d = duplicate.Ticket;
            var s = survivor.Ticket;
            if (d.MergedIntoId != s.Id)
            {
                duplicate.Refuse(ServiceResult<TicketDto>.Conflict(L["#{0} was changed meanwhile; look at it again.", d.Id]));
                return;
            }
            if (s.MergedIntoId is { } further)
            {
                survivor.Refuse(ServiceResult<TicketDto>.Conflict(L["#{0} is itself merged into #{1}; undo that merge first.", s.Id, further]));
                return;
            }
            var staff = await duplicate.Db.Staff.FirstOrDefaultAsync(m => m.UserId == actor.UserId, token);
            d.Status = d.StatusBeforeMerge ?? TicketStatus.New;
            d.StatusBeforeMerge = null;
            d.MergedIntoId = null;
            d.ClosedAt = null;
            var leadGone = d.ClaimedBy is { IsActive: false };
            if (d.Status == TicketStatus.New || leadGone)
            {
                // Back in the queue: it waits from now (not from before the merge, which would make it overdue at once);
                // a lead deactivated meanwhile cannot have it back.
                d.Status = TicketStatus.New;
                d.ClaimedById = null;
                d.ClaimedAt = null;
                d.OnSiteAt = null;
                TicketRouter.Requeue(duplicate);
            }
            duplicate.Record(TicketEventKind.Unmerged, actor, staff, () => L["Separated from #{0} again", s.Id]);
            if (leadGone)
            {
                await TicketTeam.DisbandAsync(duplicate, actor, staff, token);
            }
            var area = (await areas.GetAsync(token)).ById.GetValueOrDefault(d.AreaId)?.Name ?? $"area #{d.AreaId}";
            var team = new List<StaffRecipient>();
            if (d.ClaimedById is { } leadId && await Recipients.StaffAsync(duplicate.Db, leadId, token) is { } lead)
            {
                team.Add(lead);
            }
            team.AddRange(await TicketTeam.AlertedHelpersAsync(duplicate.Db, d.Id, token));
            foreach (var person in team)
            {
                duplicate.Alert(new NewNotification(person.UserId, NotificationKind.Merged, ReaderText.Write(() => L["Yours again: {0}", area]),
                    ReaderText.Write(() => L["{0} separated #{1} from #{2}: it is a job of its own again.", actor.Name, d.Id, s.Id]),
                    d.Id, "/my", $"unmerged:{d.Id}:{d.Version}:{person.UserId}"));
            }
            s.ReportCount = Math.Max(1, s.ReportCount - d.ReportCount);
            survivor.Record(TicketEventKind.Unmerged, actor, staff, () => L["#{0} separated again", d.Id]);
        }, ct);
        return result.IsOk ? ServiceResult<MergedTickets>.Ok(new(result.Value!.First, result.Value.Second)) : result.Cast<MergedTickets>();
    }

    /// <summary>Everyone who reported the problem: the ticket's reporter, each "me too", and those of every ticket merged into it (and into those).</summary>
    public async Task<TicketReporters> ReportersAsync(int ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reporters = new List<ReporterDto>();
        var mergedHere = new List<int>();
        var seen = new HashSet<int> { ticketId };
        List<int> level = [ticketId];
        while (level.Count > 0)
        {
            reporters.AddRange(await db.Tickets.AsNoTracking().Where(t => level.Contains(t.Id))
                .Select(t => new ReporterDto(t.Id, ReporterKind.Report, t.ReporterName, t.ReporterContact, t.ReportedAt, t.Channel)).ToListAsync(ct));
            reporters.AddRange(await db.TicketReports.AsNoTracking().Where(r => level.Contains(r.TicketId))
                .Select(r => new ReporterDto(r.TicketId, ReporterKind.MeToo, r.ReporterName, r.ReporterContact, r.ReportedAt, r.Channel)).ToListAsync(ct));
            var merged = await db.Tickets.AsNoTracking().Where(t => t.MergedIntoId != null && level.Contains(t.MergedIntoId.Value))
                .Select(t => new { t.Id, t.MergedIntoId }).ToListAsync(ct);
            mergedHere.AddRange(merged.Where(m => m.MergedIntoId == ticketId).Select(m => m.Id));
            level = merged.Select(m => m.Id).Where(seen.Add).ToList();
        }
        return new TicketReporters(reporters.OrderBy(r => r.At).ThenBy(r => r.TicketId).ToList(), mergedHere.Order().ToList());
    }

    private static async Task<bool> LeadsBackAsync(DispatchDbContext db, Ticket from, int target, CancellationToken ct)
    {
        var seen = new HashSet<int> { from.Id };
        var next = from.MergedIntoId;
        while (next is { } id && seen.Add(id))
        {
            if (id == target)
            {
                return true;
            }
            next = await db.Tickets.Where(t => t.Id == id).Select(t => t.MergedIntoId).FirstOrDefaultAsync(ct);
        }
        return false;
    }
}
