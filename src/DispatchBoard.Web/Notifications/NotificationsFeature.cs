using Microsoft.Extensions.DependencyInjection.Extensions;
namespace DispatchBoard.Web.Notifications;

public static class NotificationsFeature
{
    /// <summary>Each person's alerts (the bell), stored with the change that caused them.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationService>();
        // Each alert is written in its recipient's language (Languages/).
        services.TryAddSingleton<Languages.RecipientLanguages>();
        return services;
    }
}
