namespace DispatchBoard.Web.Notifications;

/// <summary>
/// A way an alert leaves the browser tab (Web Push, e-mail, …). <see cref="NotificationService.Announce"/> hands every
/// committed alert to each channel; a channel must return at once (queue the work, never send on the caller's thread)
/// and never throw: a slow or broken channel must not delay the request that raised the alert, nor the other channels.
/// </summary>
public interface IAlertChannel
{
    void Deliver(IReadOnlyList<Notification> committed);
}
