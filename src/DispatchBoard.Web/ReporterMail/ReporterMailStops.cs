using System.Security.Cryptography;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.ReporterMail.ReporterMailsText;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>What a stop link leads to: the report it is for (area, category) and whether its e-mails are already off.</summary>
public sealed record StopEmailsView(string TrackingCode, string AreaPath, TicketCategory Category, bool AlreadyStopped);

/// <summary>
/// "Stop e-mails for this report": a link in every reporter e-mail. Its token is the recipient row (the ticket, or the
/// "me too"), its tracking code and its address, sealed with ASP.NET data protection (the app's key ring, shared by every
/// instance): it cannot be made or changed without the key, so the link itself is the permission and needs no account.
/// Stopping sets the row's flag; nothing is staged or sent to that address for that report from then on.
/// </summary>
public sealed class ReporterMailStops(
    IDbContextFactory<DispatchDbContext> dbFactory,
    IDataProtectionProvider protection,
    TicketChanges changes,
    AreaDirectory areas,
    IOptions<SchoolOptions> school,
    SchoolClock clock)
{
    public static string BadLink =>
        L["This stop link is not valid: it may have been cut off or changed. Open it again from the e-mail, or copy the whole link into the browser."];

    private const string Purpose = "DispatchBoard.ReporterMail.Stop.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    private sealed record Row(char Kind, int Id, string Code, string Address);

    public string Token(ReporterMessage message) => _protector.Protect(message.RecipientReportId is { } reportId
        ? $"r|{reportId}|{message.RecipientCode}|{message.ToAddress}"
        : $"t|{message.RecipientTicketId}|{message.RecipientCode}|{message.ToAddress}");

    /// <summary>The page with the one button (a link opened by a mail scanner changes nothing).</summary>
    public string PageLink(ReporterMessage message) =>
        $"{school.Value.PublicBaseUrl.TrimEnd('/')}/track/{message.RecipientCode}/stop-emails?t={Uri.EscapeDataString(Token(message))}";

    /// <summary>The RFC 8058 one-click address a mail program POSTs to (List-Unsubscribe).</summary>
    public string OneClickLink(ReporterMessage message) =>
        $"{school.Value.PublicBaseUrl.TrimEnd('/')}/track/{message.RecipientCode}/stop-emails/one-click?t={Uri.EscapeDataString(Token(message))}";

    /// <summary>What the link is for, or why it is refused (tampered, cut off, another report's, or its report gone).</summary>
    public async Task<ServiceResult<StopEmailsView>> CheckAsync(string? trackingCode, string? token, CancellationToken ct = default)
    {
        if (Read(trackingCode, token) is not { } row)
        {
            return ServiceResult<StopEmailsView>.Invalid(Errors());
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, row, ct);
        return found is null ? ServiceResult<StopEmailsView>.Invalid(Errors()) : ServiceResult<StopEmailsView>.Ok(found);
    }

    /// <summary>Stops e-mails to the link's address for its report, and drops any still waiting to be sent. Safe to repeat.</summary>
    public async Task<ServiceResult<StopEmailsView>> StopAsync(string? trackingCode, string? token, CancellationToken ct = default)
    {
        if (Read(trackingCode, token) is not { } row)
        {
            return ServiceResult<StopEmailsView>.Invalid(Errors());
        }
        StopEmailsView? view;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            view = await FindAsync(db, row, ct);
            if (view is null)
            {
                return ServiceResult<StopEmailsView>.Invalid(Errors());
            }
            if (row.Kind == 'r')
            {
                await db.TicketReports.Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ReporterEmailsStopped, true), ct);
            }
        }
        if (row.Kind == 't' && !view.AlreadyStopped)
        {
            var stopped = await changes.UpdateAsync(t => t.Id == row.Id, L["The report is gone."], (edit, _) =>
            {
                edit.Ticket.ReporterEmailsStopped = true;
                return Task.CompletedTask;
            }, ct);
            if (!stopped.IsOk)
            {
                return stopped.Cast<StopEmailsView>();
            }
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var now = clock.UtcNow;
            var waiting = row.Kind == 'r'
                ? db.ReporterMessages.Where(m => m.RecipientReportId == row.Id)
                : db.ReporterMessages.Where(m => m.RecipientTicketId == row.Id);
            await waiting.Where(m => m.Status == ReporterMessageStatus.Pending && m.ToAddress == row.Address)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ReporterMessageStatus.Stopped).SetProperty(m => m.ClaimedAt, now), ct);
        }
        return ServiceResult<StopEmailsView>.Ok(view with { AlreadyStopped = true });
    }

    private static ValidationErrors Errors()
    {
        var errors = new ValidationErrors();
        errors.Add("t", BadLink);
        return errors;
    }

    private Row? Read(string? trackingCode, string? token)
    {
        var code = TrackingCode.Normalize(trackingCode);
        if (code is null || string.IsNullOrWhiteSpace(token) || token.Length > 2000)
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = payload.Split('|', 4);
        return parts.Length == 4 && parts[0] is "t" or "r" && int.TryParse(parts[1], out var id) && parts[2] == code
            ? new Row(parts[0][0], id, parts[2], parts[3])
            : null;
    }

    private async Task<StopEmailsView?> FindAsync(DispatchDbContext db, Row row, CancellationToken ct)
    {
        var found = row.Kind == 'r'
            ? await db.TicketReports.AsNoTracking().Where(r => r.Id == row.Id && r.TrackingCode == row.Code && r.ReporterEmail == row.Address)
                .Select(r => new { r.Ticket!.AreaId, r.Ticket.Category, r.ReporterEmailsStopped }).FirstOrDefaultAsync(ct)
            : await db.Tickets.AsNoTracking().Where(t => t.Id == row.Id && t.TrackingCode == row.Code && t.ReporterEmail == row.Address)
                .Select(t => new { t.AreaId, t.Category, t.ReporterEmailsStopped }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(found.AreaId)?.Path ?? "";
        return new StopEmailsView(row.Code, area, found.Category, found.ReporterEmailsStopped);
    }
}
