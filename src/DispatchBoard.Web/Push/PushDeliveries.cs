using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

/// <summary>An alert and one device of its recipient (and whether they take jobs: the Claim action).</summary>
/// <param name="Culture">The recipient's account language (null: the school's): the words the device shows around the alert.</param>
public sealed record PushTarget(Notification Alert, PushSubscription Subscription, bool IsStaff, string? Culture = null);

/// <summary>What a catch-up finds: recent alerts some device never got, and deliveries waiting for a retry.</summary>
public sealed record PushBacklog(IReadOnlyList<long> Missing, IReadOnlyList<(long Id, DateTimeOffset? At)> Waiting);

/// <summary>A retry's claim: won (send it), not due yet (wait until then), or nothing to send.</summary>
public abstract record RetryClaim
{
    public sealed record Won(PushTarget Target) : RetryClaim;
    public sealed record NotDue(DateTimeOffset At) : RetryClaim;
    public sealed record Nothing : RetryClaim;
}

/// <summary>
/// The database side of pushing: which (alert, device) pairs are owed, and their claims. Each pair is claimed by a
/// unique row before it is sent, and a retry by a conditional update, so of two senders (or a restart) only one sends.
/// A device counts only while it belongs to the alert's recipient and was theirs when the alert was made.
/// </summary>
public sealed class PushDeliveries(IDbContextFactory<DispatchDbContext> dbFactory, IOptions<PushOptions> options, TimeProvider time)
{
    private const int CatchUpLimit = 5_000;

    public DateTimeOffset Expiry(Notification n) => n.ExpiresAt ?? n.CreatedAt + TimeSpan.FromHours(options.Value.DefaultTtlHours);

    /// <summary>Alerts since <paramref name="since"/> not yet pushed to a device their recipient had then, and waiting retries.</summary>
    public async Task<PushBacklog> BacklogAsync(DateTimeOffset since, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var missing = await (from n in db.Notifications
                             where n.CreatedAt >= since && (n.ExpiresAt == null || n.ExpiresAt > now)
                             where db.PushSubscriptions.Any(s => s.UserId == n.UserId && s.CreatedAt <= n.CreatedAt
                                 && !db.PushDeliveries.Any(d => d.NotificationId == n.Id && d.SubscriptionId == s.Id))
                             orderby n.Id
                             select n.Id).Take(CatchUpLimit).ToListAsync(ct);
        var waiting = (await db.PushDeliveries.Where(d => d.Outcome == PushOutcome.Retrying)
            .Select(d => new { d.Id, d.NextAttemptAt }).ToListAsync(ct)).Select(d => (d.Id, d.NextAttemptAt)).ToList();
        return new PushBacklog(missing, waiting);
    }

    /// <summary>
    /// The (alert, device) pairs of these alerts not claimed yet, for alerts not expired. With the recipients' ids known
    /// (alerts just made), one look at their devices first: most alerts go to people with no device registered.
    /// </summary>
    public async Task<List<PushTarget>> OwedAsync(long[] notificationIds, string[]? recipients, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The ids go as one JSON parameter (EF.Parameter): one statement text whatever their number, translated once
        // (EF 10's default, a parameter per id, makes each batch size a statement of its own).
        if (recipients is not null && !await db.PushSubscriptions.AnyAsync(s => EF.Parameter(recipients).Contains(s.UserId), ct))
        {
            return [];
        }
        var rows = await (from n in db.Notifications.AsNoTracking()
                          where EF.Parameter(notificationIds).Contains(n.Id)
                          join s in db.PushSubscriptions.AsNoTracking() on n.UserId equals s.UserId
                          where s.CreatedAt <= n.CreatedAt
                              && !db.PushDeliveries.Any(d => d.NotificationId == n.Id && d.SubscriptionId == s.Id)
                          select new
                          {
                              Alert = n, Subscription = s, IsStaff = db.Staff.Any(m => m.UserId == n.UserId && m.IsActive),
                              db.Users.First(u => u.Id == n.UserId).Culture,
                          })
            .ToListAsync(ct);
        return rows.Where(r => Expiry(r.Alert) > now).Select(r => new PushTarget(r.Alert, r.Subscription, r.IsStaff, r.Culture)).ToList();
    }

    /// <summary>Claims the pairs of a chunk in one insert; when another sender got some first, one by one. The ones won, with their delivery ids.</summary>
    public async Task<List<(long DeliveryId, PushTarget Target)>> ClaimAsync(PushTarget[] chunk, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var claims = chunk.Select(t => NewClaim(t, now)).ToList();
            db.PushDeliveries.AddRange(claims);
            try
            {
                await db.SaveChangesAsync(ct);
                return claims.Select((claim, i) => (claim.Id, chunk[i])).ToList();
            }
            catch (DbUpdateException)
            {
                // Another sender claimed some of them in between: claim one by one, each insert deciding on its own.
            }
        }
        var won = new List<(long, PushTarget)>();
        foreach (var target in chunk)
        {
            await using var single = await dbFactory.CreateDbContextAsync(ct);
            var claim = NewClaim(target, now);
            single.PushDeliveries.Add(claim);
            try
            {
                await single.SaveChangesAsync(ct);
                won.Add((claim.Id, target));
            }
            catch (DbUpdateException)
            {
            }
        }
        return won;
    }

    /// <summary>Claims a waiting retry when it is due, for a device its recipient still has (otherwise it has failed).</summary>
    public async Task<RetryClaim> ClaimRetryAsync(long deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.PushDeliveries
            .Where(d => d.Id == deliveryId && d.Outcome == PushOutcome.Retrying && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Outcome, PushOutcome.Sending).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct) == 1;
        if (!claimed)
        {
            // Not due yet (the timer ran early, the clock moved back), or taken by another sender.
            var due = await db.PushDeliveries.Where(d => d.Id == deliveryId && d.Outcome == PushOutcome.Retrying)
                .Select(d => d.NextAttemptAt).FirstOrDefaultAsync(ct);
            return due is { } at ? new RetryClaim.NotDue(at) : new RetryClaim.Nothing();
        }
        // A browser that another person has since turned alerts on in belongs to them now: not the last person's alert.
        var row = await (from d in db.PushDeliveries.AsNoTracking()
                         where d.Id == deliveryId
                         join n in db.Notifications.AsNoTracking() on d.NotificationId equals n.Id
                         join s in db.PushSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                         where s.UserId == n.UserId && s.CreatedAt <= n.CreatedAt
                         select new
                         {
                             Alert = n, Subscription = s, IsStaff = db.Staff.Any(m => m.UserId == n.UserId && m.IsActive),
                             db.Users.First(u => u.Id == n.UserId).Culture,
                         })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            await db.PushDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Outcome, PushOutcome.Failed).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.Error, "The device is no longer the recipient's"), ct);
            return new RetryClaim.Nothing();
        }
        return new RetryClaim.Won(new PushTarget(row.Alert, row.Subscription, row.IsStaff, row.Culture));
    }

    public async Task<List<PushSubscription>> DevicesAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PushSubscriptions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(ct);
    }

    /// <summary>The language on a person's account (null when they have not chosen one).</summary>
    public async Task<string?> CultureAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Culture).FirstOrDefaultAsync(ct);
    }

    private static PushDelivery NewClaim(PushTarget target, DateTimeOffset now) => new()
    {
        NotificationId = target.Alert.Id, SubscriptionId = target.Subscription.Id, Outcome = PushOutcome.Sending, Attempts = 1, CreatedAt = now,
    };
}
