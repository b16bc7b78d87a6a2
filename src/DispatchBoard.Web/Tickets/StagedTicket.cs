using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;

namespace DispatchBoard.Web.Tickets;

/// <summary>What the person who found the problem did about it there and then.</summary>
public sealed record FixedOnTheSpot(string Note);

/// <summary>
/// A ticket added to a transaction that another use case opened (a hazard recorded on a safety round). The caller
/// commits, then calls <see cref="Publish"/>; disposed without publishing (the caller rolled back), it removes the
/// photo files it wrote.
/// </summary>
public sealed class StagedTicket(TicketDto ticket, IReadOnlyList<Notification> alerts, IReadOnlyList<Photo> photos,
    DispatchNotifier notifier, NotificationService notifications, PhotoStore photoStore) : IDisposable
{
    private bool _published;

    public TicketDto Ticket { get; } = ticket;

    /// <summary>Tells the live screens and the people alerted, once the caller's transaction is committed.</summary>
    public void Publish()
    {
        _published = true;
        notifier.Publish(new TicketChanged(Ticket));
        notifications.Announce(alerts);
    }

    public void Dispose()
    {
        if (!_published)
        {
            photoStore.Remove(photos);
        }
    }
}
