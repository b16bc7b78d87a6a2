using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Planning;

public sealed record ReviewRequest(string? Status, string? Reply);

public static class PlanningEndpoints
{
    public static IEndpointRouteBuilder MapPlanningEndpoints(this IEndpointRouteBuilder app)
    {
        var suggestions = app.MapGroup("/api/suggestions").RequireAuthorization(Policies.TicketReader).WithTags("Suggestions");
        suggestions.MapGet("/mine", async (HttpContext http, SuggestionService service, CancellationToken ct) =>
            TypedResults.Ok(await service.MineAsync(Actor.From(http.User)!.UserId, ct)))
            .WithSummary("My suggestions")
            .WithDescription("The suggestions the caller put to the principal, newest first, with the principal's answers.")
            .Returns<IReadOnlyList<Suggestion>>();
        suggestions.MapPost("/", async (HttpContext http, SuggestionService service, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<SuggestionInput>(http);
            return error ?? ApiResults.From(await service.SubmitAsync(body!, Actor.From(http.User)!, ct), s => TypedResults.Created($"/api/suggestions/{s.Id}", s));
        })
            .WithSummary("Make a suggestion")
            .WithDescription("A suggestion to the principal (title, text, category, optional cost estimate); the principal is notified.")
            .AcceptsJson<SuggestionInput>().Returns<Suggestion>(StatusCodes.Status201Created);
        suggestions.MapGet("/", async (SuggestionService service, CancellationToken ct) => TypedResults.Ok(await service.AllAsync(ct)))
            .RequireAuthorization(Policies.Principal)
            .WithSummary("All suggestions")
            .WithDescription("Open suggestions first (oldest first), then those answered in the last four months (newest first).")
            .Returns<IReadOnlyList<Suggestion>>();
        suggestions.MapPost("/{id:int}/review", async (int id, HttpContext http, SuggestionService service, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<ReviewRequest>(http);
            if (error is not null)
            {
                return error;
            }
            return !EnumNames.TryParse<SuggestionStatus>(body!.Status, out var status)
                ? ApiResults.Invalid("status", "Use UnderReview, Accepted or Declined.")
                : ApiResults.From(await service.ReviewAsync(id, status, body.Reply, Actor.From(http.User)!, ct), TypedResults.Ok);
        }).RequireAuthorization(Policies.Principal)
            .WithSummary("Answer a suggestion")
            .WithDescription("Moves a suggestion to UnderReview, Accepted or Declined with a reply (required to accept or decline); the author "
                + "is notified. An accepted or declined suggestion is a 409.")
            .AcceptsJson<ReviewRequest>().Returns<Suggestion>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }
}
