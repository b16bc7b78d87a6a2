using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Runs every minute (Hangfire): reminds the person on a planned repair when its time comes (the claimer, else the
/// person it was routed to, else the staff on duty). Each reminder is stored once per plan and person under the key
/// <c>planned:{ticketId}:{unixMs}:{userId}</c>, and a plan that has any reminder is done, so running twice, at once or
/// after a restart reminds nobody twice; a plan that came due while the app was down is caught up for a few hours.
/// </summary>
public sealed class PlannedRepairReminderSweep(
    IDbContextFactory<DispatchDbContext> dbFactory,
    NotificationService notifications,
    AreaDirectory areas,
    SchoolClock clock,
    ILogger<PlannedRepairReminderSweep> logger)
{
    /// <summary>Every minute, in school time.</summary>
    public const string Schedule = "* * * * *";

    /// <summary>How long after its time a missed reminder is still worth sending.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromHours(4);

    public static string KeyPrefix(int ticketId, DateTimeOffset plannedFor) => $"planned:{ticketId}:{plannedFor.ToUnixTimeMilliseconds()}:";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var since = now - CatchUp;
        List<(int Id, DateTimeOffset PlannedFor)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = (await db.Tickets.AsNoTracking()
                .Where(t => (t.Status == TicketStatus.New || t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite)
                    && t.PlannedFor != null && t.PlannedFor <= now && t.PlannedFor > since)
                .Select(t => new { t.Id, PlannedFor = t.PlannedFor!.Value })
                .ToListAsync(ct)).Select(t => (t.Id, t.PlannedFor)).ToList();
        }
        var reminded = 0;
        foreach (var (id, plannedFor) in due)
        {
            reminded += await RemindAsync(id, plannedFor, ct);
        }
        return reminded;
    }

    private async Task<int> RemindAsync(int ticketId, DateTimeOffset plannedFor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prefix = KeyPrefix(ticketId, plannedFor);
        if (await db.Notifications.AnyAsync(n => n.Key.StartsWith(prefix), ct))
        {
            return 0;
        }
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticketId, ct);
        var person = await Recipients.StaffAsync(db, ticket.ClaimedById, ct) ?? await Recipients.StaffAsync(db, ticket.RoutedToId, ct);
        var people = person is not null ? [person] : await Recipients.OnDutyAsync(db, ct);
        if (ticket.ClaimedById is not null)
        {
            // A job with a lead: its helpers still on it come at the planned time too.
            people.AddRange((await TicketTeam.AlertedHelpersAsync(db, ticket.Id, ct)).Where(h => people.All(p => p.UserId != h.UserId)));
        }
        if (people.Count == 0)
        {
            return 0;
        }
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";
        // In each recipient's language, the planned time in their words too.
        var title = ReaderText.Write(() => L["Now, as planned ({0}): {1}", TicketPlans.Describe(clock, plannedFor, plannedFor), area]);
        var staged = await notifications.StageAsync(db, people.Select(p => new NewNotification(p.UserId, NotificationKind.Reminder,
            title, TicketRouter.Summary(ticket), ticket.Id, $"/my?ticket={ticket.Id}", prefix + p.UserId)), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // A concurrent run stored this plan's reminders a moment ago (the key is unique).
            logger.LogDebug(ex, "The reminder for ticket {TicketId} planned for {PlannedFor} was stored by another run.", ticketId, plannedFor);
            return 0;
        }
        notifications.Announce(staged);
        return staged.Count;
    }
}
