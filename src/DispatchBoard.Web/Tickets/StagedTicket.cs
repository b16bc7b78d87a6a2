using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;

namespace DispatchBoard.Web.Tickets;

/// <summary>What the person who found the problem did about it there and then.</summary>
public sealed record FixedOnTheSpot(string Note);

/// <summary>
/// A report that passed every check, with its photo files already written: ready to go into a transaction (the files
/// are written before it, not while the database is locked). Disposed without its ticket published (the transaction
/// was rolled back), it removes the files.
/// </summary>
public sealed class PreparedReport(AreaInfo area, TicketCategory category, TicketPriority priority, string description, string? location,
    string? reporterName, string? reporterContact, IReadOnlyList<Photo> photos, PhotoStore photoStore, string? photosNotKept = null) : IDisposable
{
    private bool _kept;

    internal AreaInfo Area { get; } = area;
    internal TicketCategory Category { get; } = category;
    internal TicketPriority Priority { get; } = priority;
    internal string Description { get; } = description;
    internal string? Location { get; } = location;
    internal string? ReporterName { get; } = reporterName;
    internal string? ReporterContact { get; } = reporterContact;
    internal IReadOnlyList<Photo> Photos { get; } = photos;

    /// <summary>Why some or all photos were left out (a quota), for the reporter; the report goes ahead.</summary>
    public string? PhotosNotKept { get; } = photosNotKept;

    internal void Keep() => _kept = true;

    public void Dispose()
    {
        if (!_kept)
        {
            photoStore.Remove(Photos);
        }
    }
}

/// <summary>
/// A ticket added to a transaction (the intake's own, or one another use case opened: a hazard recorded on a safety
/// round). The caller commits, then calls <see cref="Publish"/>.
/// </summary>
public sealed class StagedTicket(TicketDto ticket, PreparedReport report, IReadOnlyList<Notification> alerts,
    DispatchNotifier notifier, NotificationService notifications, DispatchMetrics metrics)
{
    public TicketDto Ticket { get; } = ticket;

    /// <summary>Tells the live screens and the people alerted, once the caller's transaction is committed.</summary>
    public void Publish()
    {
        report.Keep();
        metrics.ReportReceived(Ticket.Channel.ToString(), Ticket.Category.ToString(), Ticket.Priority == TicketPriority.Urgent);
        if (Ticket.Status == TicketStatus.Resolved)
        {
            // Fixed on the spot during a round: claimed, there and fixed as it was reported.
            metrics.StepReached(TicketStep.Claimed, TimeSpan.Zero, Ticket.Category.ToString());
            metrics.StepReached(TicketStep.OnSite, TimeSpan.Zero, Ticket.Category.ToString());
            metrics.StepReached(TicketStep.Resolved, TimeSpan.Zero, Ticket.Category.ToString());
        }
        using (DispatchTracing.Source.StartActivity("board publish"))
        {
            notifier.Publish(new TicketChanged(Ticket));
        }
        notifications.Announce(alerts);
    }
}
