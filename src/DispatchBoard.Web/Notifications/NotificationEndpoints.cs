using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Notifications;

/// <summary>The bell: how many of the person's notifications are unread, and the latest of them.</summary>
public sealed record NotificationInbox(int Unread, IReadOnlyList<NotificationDto> Items);

/// <summary>How many notifications were marked read just now (0 when they were already, or not the person's).</summary>
public sealed record NotificationsMarked(int Marked);

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        mine.MapGet("/", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var userId = Actor.From(http.User)!.UserId;
            return TypedResults.Ok(new NotificationInbox(
                await notifications.UnreadCountAsync(userId, ct),
                await notifications.ListAsync(userId, NotificationService.PageSize, ct)));
        })
            .WithSummary("My notifications")
            .WithDescription("The number unread, and the latest notifications, newest first.")
            .Returns<NotificationInbox>();
        mine.MapPost("/{id:long}/read", async (long id, HttpContext http, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new NotificationsMarked(await notifications.MarkReadAsync(Actor.From(http.User)!.UserId, id, ct)))).DisableAntiforgery()
            .WithSummary("Mark a notification read")
            .WithDescription("Marks one of the person's own notifications read; marked is 0 when it was read already or is not theirs.")
            .Returns<NotificationsMarked>();
        mine.MapPost("/read-all", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new NotificationsMarked(await notifications.MarkReadAsync(Actor.From(http.User)!.UserId, null, ct)))).DisableAntiforgery()
            .WithSummary("Mark all my notifications read")
            .WithDescription("Marks every unread notification of the person read; marked says how many.")
            .Returns<NotificationsMarked>();
        return app;
    }
}
