using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using static DispatchBoard.Web.Inspections.InspectionsText;

namespace DispatchBoard.Web.Inspections;

public sealed record CheckRequest(string? Result, string? Note, string? Hazard, bool FixedOnTheSpot, string? FixNote, bool Urgent);

public static class InspectionEndpoints
{
    public static IEndpointRouteBuilder MapInspectionEndpoints(this IEndpointRouteBuilder app)
    {
        var rounds = app.MapGroup("/api/rounds").RequireAuthorization(Policies.Board).WithTags("Inspections");
        rounds.MapGet("/", async (InspectionService inspections, DateOnly? week, CancellationToken ct) => TypedResults.Ok(await inspections.WeekAsync(week, null, ct)))
            .WithSummary("Safety rounds of a week")
            .WithDescription("The rounds of the week of the given day (?week=2025-03-10; this week without it), with their progress.")
            .Returns<IReadOnlyList<RoundSummary>>();
        rounds.MapGet("/{id:int}", async (int id, InspectionService inspections, CancellationToken ct) =>
            await inspections.GetAsync(id, ct) is { } round ? Results.Ok(round) : ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"], L["There is no round #{0}.", id]))
            .WithSummary("A safety round")
            .WithDescription("A round with its checklist lines, each with its result and the ticket a hazard became.")
            .Returns<RoundDetail>().Refuses(StatusCodes.Status404NotFound);
        rounds.MapPost("/items/{itemId:int}", async (int itemId, HttpContext http, InspectionService inspections, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<CheckRequest>(http);
            if (error is not null)
            {
                return error;
            }
            if (!EnumNames.TryParse<InspectionResult>(body!.Result, out var result) || result == InspectionResult.Pending)
            {
                return ApiResults.Invalid("result", L["Say how it was: Ok, Hazard or NotApplicable."]);
            }
            var record = new CheckRecord(result, body.Note, body.Hazard, body.FixedOnTheSpot, body.FixNote, body.Urgent);
            return ApiResults.From(await inspections.RecordAsync(itemId, record, Actor.From(http.User)!, ct), TypedResults.Ok);
        })
            .WithSummary("Record a checklist line")
            .WithDescription("Ok, Hazard or NotApplicable, with a note. A hazard (described in hazard) becomes a ticket at once, already resolved "
                + "when fixed on the spot (fixNote; only a staff member who takes jobs). When the last line is checked the round is complete; "
                + "a line of a completed round, or one that already became a ticket, is a 409.")
            .AcceptsJson<CheckRequest>().Returns<RoundItemDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }
}
