using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// What the report form shows before sending when the problem is already on the board: public words only (no
/// description, no reporter, no tracking code), and the ticket's number so "me too" names the report it joins.
/// </summary>
/// <param name="State">"being fixed by Wang Lei", "waiting for a caretaker", …</param>
public sealed record MeTooOffer(int TicketId, TicketCategory Category, string CategoryLabel, string AreaName, string State, int ReportCount);

public sealed record MeTooRequest(int? TicketId, string? AreaCode, string? Category, string? ReporterName, string? ReporterContact);

/// <summary>
/// "Me too": a second reporter of a problem already on the board adds their report to that ticket (it counts as a report
/// and gets its own tracking code, which follows the ticket) instead of making a new one. Anonymous "me too"s pass the
/// same intake limit as reports.
/// </summary>
public sealed class TicketMeToo(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    TicketChanges changes,
    IntakeRateLimiter limiter)
{
    private static string Gone => L["That report was closed meanwhile, so it cannot take a \"me too\"; please send yours as a new report."];

    /// <summary>The open report of this category in this very area, if there is one (the longest waiting first).</summary>
    public async Task<MeTooOffer?> OfferAsync(int areaId, TicketCategory category, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.AsNoTracking()
            .Where(t => t.AreaId == areaId && t.Category == category && t.MergedIntoId == null && TicketQueries.OpenStatuses.Contains(t.Status))
            .OrderBy(t => t.ReportedAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Status, t.ReportCount, ClaimedBy = t.ClaimedBy == null ? null : t.ClaimedBy.DisplayName })
            .FirstOrDefaultAsync(ct);
        if (ticket is null)
        {
            return null;
        }
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(areaId);
        var state = ticket.Status switch
        {
            TicketStatus.Claimed or TicketStatus.OnSite when ticket.ClaimedBy is not null => L["being fixed by {0}", ticket.ClaimedBy],
            TicketStatus.Escalated => L["waiting for the principal's office to decide"],
            _ => L["waiting for a caretaker"],
        };
        return new MeTooOffer(ticket.Id, category, category.Label(), area?.Name ?? "", state, ticket.ReportCount);
    }

    /// <summary>The offer for an area code and a category as the API names them; the refusal names the field.</summary>
    public async Task<ServiceResult<MeTooOffer?>> OfferAsync(string? areaCode, string? category, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var (area, parsed) = await CheckAsync(areaCode, category, errors, ct);
        return errors.Any ? ServiceResult<MeTooOffer?>.Invalid(errors) : ServiceResult<MeTooOffer?>.Ok(await OfferAsync(area!.Id, parsed, ct));
    }

    /// <param name="reportedBy">A signed-in person (not limited); null for an anonymous reporter, limited per <paramref name="clientAddress"/>.</param>
    public async Task<ServiceResult<ReportedTicket>> AddAsync(MeTooRequest request, TicketChannel channel, Actor? reportedBy,
        string? clientAddress = null, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (request.TicketId is null)
        {
            errors.Add("ticketId", L["Say which report you are adding yours to (ticketId from the offer)."]);
        }
        var (area, category) = await CheckAsync(request.AreaCode, request.Category, errors, ct);
        var name = errors.Text("reporterName", L["Name"], request.ReporterName, Ticket.ReporterNameMaxLength, required: false);
        var contact = errors.Text("reporterContact", L["Contact"], request.ReporterContact, Ticket.ReporterContactMaxLength, required: false);
        if (errors.Any)
        {
            return ServiceResult<ReportedTicket>.Invalid(errors);
        }
        var anonymous = reportedBy is null;
        if (anonymous && limiter.TryAdmit(clientAddress) is { } refusal)
        {
            return ServiceResult<ReportedTicket>.TooMany(refusal, limiter.Window);
        }
        string? code = null;
        var result = await changes.UpdateAsync(t => t.Id == request.TicketId, Gone, async (edit, token) =>
        {
            var ticket = edit.Ticket;
            if (!edit.From.IsOpen() || ticket.MergedIntoId is not null || ticket.AreaId != area!.Id || ticket.Category != category)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(Gone));
                return;
            }
            code = await TicketIntake.UnusedTrackingCodeAsync(edit.Db, token);
            edit.Db.TicketReports.Add(new TicketReport
            {
                TicketId = ticket.Id,
                TrackingCode = code,
                ReporterName = name,
                ReporterContact = contact,
                ReporterEmail = ReporterEmailAddress.From(contact),
                ReporterCulture = TicketIntake.ReporterLanguage(channel),
                Channel = channel,
                ReportedAt = edit.Now,
                ClientNetwork = anonymous ? ClientNetwork.KeyOf(clientAddress) : null,
            });
            ticket.ReportCount++;
            var who = reportedBy?.Name ?? name ?? edit.InSchoolLanguage(() => L["Reporter"]);
            edit.Record(TicketEventKind.MeToo, reportedBy, null, () => L["Also reported by {0}", who], actorName: who);
        }, ct);
        return result.IsOk
            ? ServiceResult<ReportedTicket>.Ok(new ReportedTicket(result.Value!.Id, code!, result.Value.Status))
            : result.Cast<ReportedTicket>();
    }

    private async Task<(AreaInfo? Area, TicketCategory Category)> CheckAsync(string? areaCode, string? category, ValidationErrors errors, CancellationToken ct) =>
        (await ReportFields.AreaAsync(areas, areaCode, errors, ct), ReportFields.Category(category, errors) ?? default);
}
