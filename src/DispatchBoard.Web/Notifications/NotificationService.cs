using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Notifications;

/// <summary>The bell: how many alerts are unread, and the latest ones.</summary>
public sealed record BellView(int Unread, IReadOnlyList<NotificationDto> Latest);

public sealed record NotificationDto(long Id, NotificationKind Kind, string Title, string? Body, int? TicketId, string? Link, DateTimeOffset CreatedAt, bool Read);

/// <summary>
/// An alert to store for one person. <paramref name="Key"/> makes it unique: storing it twice stores it once.
/// <paramref name="Title"/> and <paramref name="Body"/> are written in the recipient's language as the alert is stored
/// (<see cref="ReaderText.Write"/>). <paramref name="ExpiresAt"/>: when it stops being worth delivering;
/// <paramref name="Urgent"/>: about an urgent report or a hazard.
/// </summary>
public sealed record NewNotification(string UserId, NotificationKind Kind, ReaderText Title, ReaderText Body, int? TicketId, string? Link, string Key,
    DateTimeOffset? ExpiresAt = null, bool Urgent = false);

/// <summary>
/// The notification centre: alerts persisted per user, with a live unread count. Features stage alerts into their own
/// transaction (<see cref="Stage"/>) so an alert exists exactly when the change that caused it does, then announce them
/// after the commit (<see cref="Announce"/>).
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<DispatchDbContext> dbFactory,
    DispatchNotifier notifier,
    SchoolClock clock,
    IEnumerable<IAlertChannel> channels,
    RecipientLanguages languages,
    ILogger<NotificationService> logger)
{
    private readonly IAlertChannel[] _channels = channels.ToArray();

    public const int PageSize = 50;

    /// <summary>Adds alerts to <paramref name="db"/> (saved by the caller), skipping keys already stored.</summary>
    public async Task<IReadOnlyList<Notification>> StageAsync(DispatchDbContext db, IEnumerable<NewNotification> alerts, CancellationToken ct)
    {
        var wanted = alerts.DistinctBy(a => a.Key).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var keys = wanted.Select(a => a.Key).ToList();
        // One JSON parameter (EF.Parameter): one statement text whatever the number of keys, translated once.
        var existing = await db.Notifications.Where(n => EF.Parameter(keys).Contains(n.Key)).Select(n => n.Key).ToListAsync(ct);
        var now = clock.UtcNow;
        var fresh = wanted.Where(a => !existing.Contains(a.Key)).ToList();
        // Each alert in its recipient's language (asked only when some text depends on it).
        var language = fresh.Any(a => a.Title.ForReader || a.Body.ForReader)
            ? await languages.OfAsync(db, fresh.Select(a => a.UserId), ct)
            : null;
        var staged = fresh.Select(a => (Alert: a, Culture: language?[a.UserId] ?? languages.School)).Select(x => new Notification
        {
            UserId = x.Alert.UserId,
            Kind = x.Alert.Kind,
            Title = Clip(x.Alert.Title.In(x.Culture), Notification.TitleMaxLength) ?? "",
            Body = Clip(x.Alert.Body.In(x.Culture), Notification.BodyMaxLength),
            TicketId = x.Alert.TicketId,
            Link = x.Alert.Link,
            CreatedAt = now,
            Key = Clip(x.Alert.Key, Notification.KeyMaxLength)!,
            ExpiresAt = x.Alert.ExpiresAt,
            Urgent = x.Alert.Urgent,
        }).ToList();
        db.Notifications.AddRange(staged);
        return staged;
    }

    /// <summary>
    /// Tells the recipients' open screens (bell, phone) after the alerts were committed, and hands them to the other
    /// channels (Web Push), which deliver in the background.
    /// </summary>
    public void Announce(IEnumerable<Notification> committed)
    {
        var list = committed as IReadOnlyList<Notification> ?? committed.ToList();
        foreach (var n in list)
        {
            notifier.Publish(new NotificationAdded(n.UserId, ToDto(n)));
        }
        if (list.Count == 0)
        {
            return;
        }
        foreach (var channel in _channels)
        {
            try
            {
                channel.Deliver(list);
            }
            catch (Exception ex)
            {
                // The alerts are stored and on screen; a channel that fails here must not fail the change that raised them.
                logger.AlertChannelFailed(ex, channel.GetType().Name, list.Count);
            }
        }
    }

    /// <summary>Stores and announces alerts on their own (when no other change goes with them).</summary>
    public async Task<int> SendAsync(IEnumerable<NewNotification> alerts, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staged = await StageAsync(db, alerts, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another process stored one of these keys in between: store one by one, skipping what exists.
            db.ChangeTracker.Clear();
            var stored = new List<Notification>();
            foreach (var n in staged)
            {
                await using var single = await dbFactory.CreateDbContextAsync(ct);
                if (await single.Notifications.AnyAsync(x => x.Key == n.Key, ct))
                {
                    continue;
                }
                n.Id = 0;
                single.Notifications.Add(n);
                try
                {
                    await single.SaveChangesAsync(ct);
                    stored.Add(n);
                }
                catch (DbUpdateException)
                {
                }
            }
            staged = stored;
        }
        Announce(staged);
        return staged.Count;
    }

    /// <summary>The unread count and the latest alerts in one statement, so the two always agree.</summary>
    public async Task<BellView> BellAsync(string userId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(take, 1, 200))
            .Select(n => new { Notification = n, Unread = db.Notifications.Count(u => u.UserId == userId && u.ReadAt == null) })
            .ToListAsync(ct);
        return new BellView(rows.FirstOrDefault()?.Unread ?? 0, rows.Select(r => ToDto(r.Notification)).ToList());
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    public async Task<IReadOnlyList<NotificationDto>> ListAsync(string userId, int take = PageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>Marks one of the user's alerts read (or all of them when <paramref name="id"/> is null).</summary>
    public async Task<int> MarkReadAsync(string userId, long? id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var changed = await db.Notifications
            .Where(n => n.UserId == userId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (changed > 0)
        {
            notifier.Publish(new NotificationsRead(userId));
        }
        return changed;
    }

    public static NotificationDto ToDto(Notification n) =>
        new(n.Id, n.Kind, n.Title, n.Body, n.TicketId, n.Link, n.CreatedAt, n.ReadAt is not null);

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : TextCut.Head(text, max - 1) + "…";
}
