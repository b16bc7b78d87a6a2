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
        rounds.MapGet("/", async (InspectionService inspections, DateOnly? week, CancellationToken ct) => TypedResults.Ok(await inspections.WeekAsync(week, null, ct)));
        rounds.MapGet("/{id:int}", async (int id, InspectionService inspections, CancellationToken ct) =>
            await inspections.GetAsync(id, ct) is { } round ? Results.Ok(round) : ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"], L["There is no round #{0}.", id]));
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
        });
        return app;
    }
}
