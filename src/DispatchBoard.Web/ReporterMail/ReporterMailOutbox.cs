using System.Threading.Channels;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Reminders;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>An address a ticket's steps are e-mailed to, and the row (ticket or "me too") it came from.</summary>
/// <param name="Culture">The language they reported in (null: the school's): their e-mails are written in it.</param>
public sealed record ReporterRecipient(string Address, string? Name, int? TicketId, int? ReportId, string TrackingCode, bool Stopped, string? Culture = null);

/// <summary>
/// Stages the reporters' e-mails for one ticket change, inside its transaction (<see cref="TicketChanges.UpdateAsync"/>):
/// one message per step this edit recorded and per reporter address of the ticket (its own reporter, each "me too", and
/// every report merged into it with theirs). Staff-only steps never; nothing while e-mail is off. After the commit
/// <see cref="Announce"/> wakes the sender.
/// </summary>
public sealed class ReporterMailOutbox(ReminderMailer mailer, AreaDirectory areas, IOptions<SchoolOptions> school, SchoolClock clock,
    RecipientLanguages languages)
{
    /// <summary>Merges nested deeper than this are not followed (a merge chain is one or two links in practice).</summary>
    private const int MaxMergeDepth = 10;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    internal ChannelReader<bool> Wakeups => _wake.Reader;

    /// <summary>Adds this edit's messages to its context (saved with the ticket); how many.</summary>
    public async Task<int> StageAsync(TicketEdit edit, CancellationToken ct)
    {
        if (!mailer.Enabled)
        {
            return 0;
        }
        var ticket = edit.Ticket;
        // Only the events this edit recorded: they are not saved yet.
        var steps = ticket.Events.Where(e => e.Id == 0 && !e.Kind.IsStaffOnly())
            .Select(e => (Event: e, Step: StepOf(e, edit)))
            .Where(s => s.Step is not null)
            .DistinctBy(s => s.Step)
            .ToList();
        if (steps.Count == 0)
        {
            return 0;
        }
        var recipients = (await RecipientsAsync(edit.Db, ticket, ct)).Where(r => !r.Stopped).ToList();
        if (recipients.Count == 0)
        {
            return 0;
        }
        var snapshot = await areas.GetAsync(ct);
        var staged = 0;
        foreach (var (entry, step) in steps)
        {
            var mergedInto = step == ReporterStep.Merged
                ? await edit.Db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticket.MergedIntoId, ct)
                : null;
            if (step == ReporterStep.Merged && mergedInto is null)
            {
                continue;
            }
            foreach (var recipient in recipients)
            {
                string subject, body;
                using (AppLanguages.Use(languages.Of(recipient.Culture)))
                {
                    (subject, body) = ReporterMailText.Compose(step!.Value, entry, ticket, mergedInto, recipient.Name, recipient.TrackingCode, snapshot,
                        school.Value.PublicBaseUrl, clock);
                }
                edit.Db.ReporterMessages.Add(new ReporterMessage
                {
                    TicketId = ticket.Id,
                    Version = ticket.Version,
                    Step = step.Value,
                    ToAddress = recipient.Address,
                    ToName = recipient.Name,
                    RecipientTicketId = recipient.TicketId,
                    RecipientReportId = recipient.ReportId,
                    RecipientCode = recipient.TrackingCode,
                    Subject = subject,
                    Body = body,
                    Status = ReporterMessageStatus.Pending,
                    CreatedAt = edit.Now,
                    NextAttemptAt = edit.Now,
                });
                staged++;
            }
        }
        return staged;
    }

    /// <summary>After the commit: the sender takes the new messages now rather than at its next sweep.</summary>
    public void Announce(int staged)
    {
        if (staged > 0)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// The step a reporter hears about, if any. A reassignment is not news to them (they were told when it was first
    /// taken); "merged" is news only on the report that was merged away (the survivor's own reporters hear nothing).
    /// </summary>
    public static ReporterStep? StepOf(TicketEvent e, TicketEdit edit) => e.Kind switch
    {
        _ when e.Kind.IsStaffOnly() => null,
        TicketEventKind.Claimed => ReporterStep.Claimed,
        TicketEventKind.Assigned when edit.From is not (TicketStatus.Claimed or TicketStatus.OnSite) => ReporterStep.Claimed,
        TicketEventKind.OnSite => ReporterStep.OnSite,
        TicketEventKind.Resolved => ReporterStep.Resolved,
        TicketEventKind.Approved or TicketEventKind.Rejected or TicketEventKind.Deferred => ReporterStep.Decision,
        TicketEventKind.Merged when edit.Ticket.MergedIntoId is not null => ReporterStep.Merged,
        _ => null,
    };

    /// <summary>
    /// Everyone who reported <paramref name="ticket"/>'s problem and gave an e-mail address: its reporter, each "me too",
    /// and the reporters (and "me too"s) of every ticket merged into it, however deep; each address once, and marked
    /// stopped when any of its rows here asked to stop.
    /// </summary>
    public static async Task<IReadOnlyList<ReporterRecipient>> RecipientsAsync(DispatchDbContext db, Ticket ticket, CancellationToken ct)
    {
        var rows = new List<ReporterRecipient>();
        if (ticket.ReporterEmail is { } own)
        {
            rows.Add(new ReporterRecipient(own, ticket.ReporterName, ticket.Id, null, ticket.TrackingCode, ticket.ReporterEmailsStopped, ticket.ReporterCulture));
        }
        var group = new List<int> { ticket.Id };
        var frontier = new List<int> { ticket.Id };
        for (var depth = 0; depth < MaxMergeDepth && frontier.Count > 0; depth++)
        {
            var merged = await db.Tickets.AsNoTracking()
                .Where(t => t.MergedIntoId != null && frontier.Contains(t.MergedIntoId.Value) && !group.Contains(t.Id))
                .OrderBy(t => t.Id)
                .Select(t => new { t.Id, t.TrackingCode, t.ReporterName, t.ReporterEmail, t.ReporterEmailsStopped, t.ReporterCulture })
                .ToListAsync(ct);
            frontier = merged.Select(t => t.Id).ToList();
            group.AddRange(frontier);
            rows.AddRange(merged.Where(t => t.ReporterEmail != null)
                .Select(t => new ReporterRecipient(t.ReporterEmail!, t.ReporterName, t.Id, null, t.TrackingCode, t.ReporterEmailsStopped, t.ReporterCulture)));
        }
        var meToo = await db.TicketReports.AsNoTracking()
            .Where(r => group.Contains(r.TicketId) && r.ReporterEmail != null)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.TrackingCode, r.ReporterName, r.ReporterEmail, r.ReporterEmailsStopped, r.ReporterCulture })
            .ToListAsync(ct);
        rows.AddRange(meToo.Select(r => new ReporterRecipient(r.ReporterEmail!, r.ReporterName, null, r.Id, r.TrackingCode, r.ReporterEmailsStopped, r.ReporterCulture)));
        return rows.GroupBy(r => r.Address.Trim().ToLowerInvariant())
            .Select(g => g.First() with { Stopped = g.Any(r => r.Stopped) })
            .ToList();
    }
}
