using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Escalations;

public sealed record EscalateRequest(string? Reason, string? Note);

public sealed record DecisionRequest(string? Decision, string? Note, string? ContractorNote);

public static class EscalationEndpoints
{
    public static IEndpointRouteBuilder MapEscalationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tickets/{id:int}/escalate", EscalateAsync).RequireAuthorization(Policies.Board).WithTags("Escalations");
        var principal = app.MapGroup("/api/escalations").RequireAuthorization(Policies.Principal).WithTags("Escalations");
        principal.MapGet("/", async (EscalationService escalations, CancellationToken ct) => TypedResults.Ok(await escalations.InboxAsync(ct)));
        principal.MapPost("/{id:int}/decision", DecideAsync);
        return app;
    }

    private static async Task<IResult> EscalateAsync(int id, HttpContext http, EscalationService escalations, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<EscalateRequest>(http);
        return error ?? ApiResults.From(await escalations.EscalateAsync(id, body!.Reason, body.Note, Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> DecideAsync(int id, HttpContext http, EscalationService escalations, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<DecisionRequest>(http);
        return error ?? ApiResults.From(
            await escalations.DecideAsync(id, body!.Decision, body.Note, body.ContractorNote, Actor.From(http.User)!, ct), TypedResults.Ok);
    }
}
