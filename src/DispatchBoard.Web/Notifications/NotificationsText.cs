using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Notifications;

/// <summary>The texts of the bell, the alerts page and a phone's alert sound.</summary>
public sealed class NotificationsText
{
    public static readonly Texts L = new(typeof(NotificationsText));
}
