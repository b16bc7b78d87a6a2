using DispatchBoard.Web.Auth;

namespace DispatchBoard.Web.Notifications;

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        mine.MapGet("/", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
        {
            var userId = Actor.From(http.User)!.UserId;
            return TypedResults.Ok(new
            {
                Unread = await notifications.UnreadCountAsync(userId, ct),
                Items = await notifications.ListAsync(userId, NotificationService.PageSize, ct),
            });
        });
        mine.MapPost("/{id:long}/read", async (long id, HttpContext http, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new { Marked = await notifications.MarkReadAsync(Actor.From(http.User)!.UserId, id, ct) })).DisableAntiforgery();
        mine.MapPost("/read-all", async (HttpContext http, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new { Marked = await notifications.MarkReadAsync(Actor.From(http.User)!.UserId, null, ct) })).DisableAntiforgery();
        return app;
    }
}
