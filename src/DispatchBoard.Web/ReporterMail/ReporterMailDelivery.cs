using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>
/// Sends the reporters' outbox: every message that is due, each claimed by one conditional update before it is sent (so
/// of two senders, or the loop and the sweep at once, only one sends it), then marked sent, or put back with a later
/// attempt time (1, 5, 15, 60, 240 minutes) until it is given up. A failure is that message's alone: the others go on,
/// and the ticket change that staged it was committed long before. A message interrupted mid-send (the app stopped
/// hard) is not sent again: a reporter may miss one step rather than get it twice.
/// </summary>
public sealed class ReporterMailDelivery(
    IDbContextFactory<DispatchDbContext> dbFactory,
    ReminderMailer mailer,
    ReporterMailStops stops,
    IOptions<EmailOptions> email,
    TimeProvider time,
    RecipientLanguages languages,
    ILogger<ReporterMailDelivery> logger)
{
    public static readonly TimeSpan[] Backoff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    /// <summary>A claim older than this without an outcome was interrupted (a send takes at most the SMTP timeout).</summary>
    private static readonly TimeSpan Interrupted = TimeSpan.FromMinutes(10);

    private const int Batch = 100;

    /// <summary>Sends what is due; how many went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        if (!mailer.Enabled)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stale = now - Interrupted;
            await db.ReporterMessages.Where(m => m.Status == ReporterMessageStatus.Sending && m.ClaimedAt < stale)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ReporterMessageStatus.Failed)
                    .SetProperty(m => m.LastError, "Interrupted while sending; not sent again so nobody gets it twice."), ct);
            due = await db.ReporterMessages.Where(m => m.Status == ReporterMessageStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(Batch).ToListAsync(ct);
        }
        var sent = 0;
        foreach (var id in due)
        {
            try
            {
                if (await SendOneAsync(id, ct))
                {
                    sent++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.ReporterMailNotHandled(ex, id);
            }
        }
        return sent;
    }

    private async Task<bool> SendOneAsync(long id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.ReporterMessages
            .Where(m => m.Id == id && m.Status == ReporterMessageStatus.Pending && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ReporterMessageStatus.Sending)
                .SetProperty(m => m.ClaimedAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct) == 1;
        if (!claimed)
        {
            return false;
        }
        var message = await db.ReporterMessages.AsNoTracking().FirstAsync(m => m.Id == id, ct);
        var recipient = message.RecipientReportId is { } reportId
            ? await db.TicketReports.Where(r => r.Id == reportId).Select(r => new { Stopped = r.ReporterEmailsStopped, Culture = r.ReporterCulture }).FirstOrDefaultAsync(ct)
            : await db.Tickets.Where(t => t.Id == message.RecipientTicketId).Select(t => new { Stopped = t.ReporterEmailsStopped, Culture = t.ReporterCulture }).FirstOrDefaultAsync(ct);
        if (recipient is not { Stopped: false })
        {
            await FinishAsync(db, id, ReporterMessageStatus.Stopped, null, ct);
            return false;
        }
        try
        {
            using var mime = Compose(message, recipient.Culture);
            await mailer.SendAsync(mime, ct, kind: "reporter", retry: message.Attempts > 1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = $"{ex.GetType().Name}: {ex.Message}";
            error = error.Length > ReporterMessage.ErrorMaxLength ? error[..ReporterMessage.ErrorMaxLength] : error;
            var attempts = message.Attempts;
            if (attempts > Backoff.Length)
            {
                logger.ReporterMailGivenUp(ex, id, attempts);
                await FinishAsync(db, id, ReporterMessageStatus.Failed, error, CancellationToken.None);
            }
            else
            {
                logger.ReporterMailRetrying(id, attempts, error);
                var next = time.GetUtcNow() + Backoff[attempts - 1];
                await db.ReporterMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, ReporterMessageStatus.Pending).SetProperty(m => m.NextAttemptAt, next)
                    .SetProperty(m => m.LastError, error), CancellationToken.None);
            }
            return false;
        }
        await FinishAsync(db, id, ReporterMessageStatus.Sent, null, CancellationToken.None);
        return true;
    }

    private async Task FinishAsync(DispatchDbContext db, long id, ReporterMessageStatus status, string? error, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        await db.ReporterMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status).SetProperty(m => m.SentAt, status == ReporterMessageStatus.Sent ? at : null)
            .SetProperty(m => m.LastError, error), ct);
    }

    /// <summary>
    /// The message as sent: the staged text with the stop link, and the RFC 2369/8058 headers that let a mail program
    /// offer "unsubscribe" and stop it with one POST.
    /// </summary>
    public MimeMessage Compose(ReporterMessage message, string? culture = null)
    {
        string footer;
        using (AppLanguages.Use(languages.Of(culture)))
        {
            footer = ReporterMailText.Footer(stops.PageLink(message));
        }
        var mime = ReminderMailer.Compose(new ReminderMail(message.ToAddress, message.ToName ?? "", message.Subject,
            message.Body + footer, null), email.Value.From);
        mime.Headers.Add("List-Unsubscribe", $"<{stops.OneClickLink(message)}>");
        mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // Automated mail: an out-of-office reply has nobody to reach.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }
}
