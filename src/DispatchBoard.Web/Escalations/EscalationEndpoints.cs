using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Escalations;

public sealed record EscalateRequest(string? Reason, string? Note);

public sealed record DecisionRequest(string? Decision, string? Note, string? ContractorNote);

public static class EscalationEndpoints
{
    public static IEndpointRouteBuilder MapEscalationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tickets/{id:int}/escalate", EscalateAsync).RequireAuthorization(Policies.Board).WithTags("Escalations")
            .WithSummary("Put a job to the principal's office")
            .WithDescription("A claimed or on-site job that needs the principal (reason Purchase, Contractor, SafetyClosure, Policy or "
                + "Other; a note is required). The holder or a dispatcher escalates (else 403); a job that is not claimed is a 409.")
            .AcceptsJson<EscalateRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var principal = app.MapGroup("/api/escalations").RequireAuthorization(Policies.Principal).WithTags("Escalations");
        principal.MapGet("/", async (EscalationService escalations, CancellationToken ct) => TypedResults.Ok(await escalations.InboxAsync(ct)))
            .WithSummary("The principal's inbox")
            .WithDescription("Escalations waiting for a decision (pending first, then deferred), oldest first, each with its ticket, history and photos.")
            .Returns<IReadOnlyList<InboxItem>>();
        principal.MapPost("/{id:int}/decision", DecideAsync)
            .WithSummary("Decide on an escalation")
            .WithDescription("Approved (the job goes back to its holder; contractorNote only here), Rejected (the ticket closes; note "
                + "required) or Deferred (it stays in the inbox; note required). An escalation already decided is a 409.")
            .AcceptsJson<DecisionRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
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
