using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Meetings;

public static class MeetingEndpoints
{
    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        // The token in the address is the key (calendar apps cannot sign in); an unknown token is a plain 404.
        app.MapGet("/calendar/{token}.ics", async (string token, CalendarFeed feed, CancellationToken ct) =>
                await feed.FeedAsync(token, ct) is { } ics ? Results.Text(ics, "text/calendar; charset=utf-8") : Results.NotFound())
            .AllowAnonymous().WithTags("Calendar");
        var meetings = app.MapGroup("/api/meetings").RequireAuthorization(Policies.TicketReader).WithTags("Meetings");
        meetings.MapGet("/", async (MeetingService service, SchoolClock clock, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(clock.UtcNow.AddDays(-31), clock.UtcNow.AddDays(90), null, ct)));
        app.MapPost("/api/me/calendar-token", async (HttpContext http, CalendarFeed feed, CancellationToken ct) =>
        {
            var token = await feed.TokenAsync(Actor.From(http.User)!.UserId, regenerate: true, ct);
            return TypedResults.Ok(new { Url = feed.Address(token) });
        }).RequireAuthorization().DisableAntiforgery().WithTags("Calendar");
        return app;
    }
}
