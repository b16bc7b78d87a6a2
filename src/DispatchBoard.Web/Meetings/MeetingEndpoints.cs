using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Meetings;

/// <summary>The address of the person's calendar feed, with its new secret token.</summary>
public sealed record CalendarFeedAddress(Uri Url);

public static class MeetingEndpoints
{
    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        // The token in the address is the key (calendar apps cannot sign in); an unknown token is a plain 404.
        app.MapGet("/calendar/{token}.ics", async (string token, CalendarFeed feed, CancellationToken ct) =>
                await feed.FeedAsync(token, ct) is { } ics ? Results.Text(ics, "text/calendar; charset=utf-8") : Results.NotFound())
            .AllowAnonymous().WithTags("Calendar")
            .WithSummary("A person's calendar feed")
            .WithDescription("The person's meetings and safety rounds as iCalendar, for a calendar app to subscribe to. The token in the "
                + "address is the key; making a new one (POST /api/me/calendar-token) revokes the old. An unknown token is a 404.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/calendar")
            .Produces(StatusCodes.Status404NotFound, typeof(string), "text/html");
        var meetings = app.MapGroup("/api/meetings").RequireAuthorization(Policies.TicketReader).WithTags("Meetings");
        meetings.MapGet("/", async (MeetingService service, SchoolClock clock, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(clock.UtcNow.AddDays(-31), clock.UtcNow.AddDays(90), null, ct)))
            .WithSummary("Meetings")
            .WithDescription("Every meeting from a month ago to three months ahead.")
            .Returns<IReadOnlyList<MeetingDto>>();
        app.MapPost("/api/me/calendar-token", async (HttpContext http, CalendarFeed feed, CancellationToken ct) =>
        {
            var token = await feed.TokenAsync(Actor.From(http.User)!.UserId, regenerate: true, ct);
            return TypedResults.Ok(new CalendarFeedAddress(feed.Address(token)));
        }).RequireAuthorization().DisableAntiforgery().WithTags("Calendar")
            .WithSummary("Make a new calendar feed address")
            .WithDescription("A new secret address for the person's calendar feed; the old address stops working.")
            .Returns<CalendarFeedAddress>();
        return app;
    }
}
