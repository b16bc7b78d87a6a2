using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

public sealed record MergeRequest(int? Into);

/// <summary>Duplicates over HTTP: the report form's "already reported" and "me too" (anonymous), merge and its undo (the dispatcher).</summary>
public static class DuplicateEndpoints
{
    public static IEndpointRouteBuilder MapDuplicateEndpoints(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("/api/tickets").AllowAnonymous().WithTags("Intake")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes));
        anonymous.MapGet("/already-reported", OfferAsync);
        anonymous.MapPost("/me-too", MeTooAsync).DisableAntiforgery();

        var dispatch = app.MapGroup("/api/tickets").RequireAuthorization(Policies.Dispatch).WithTags("Tickets");
        dispatch.MapPost("/{id:int}/merge", MergeAsync);
        dispatch.MapPost("/{id:int}/unmerge", UnmergeAsync);
        app.MapGet("/api/tickets/{id:int}/duplicates", DuplicatesAsync).RequireAuthorization(Policies.Board).WithTags("Tickets");
        app.MapGet("/api/tickets/{id:int}/reporters", ReportersAsync).RequireAuthorization(Policies.Board).WithTags("Tickets");
        return app;
    }

    /// <summary>200 with the open report of this category in this area (public words only), or 204 when there is none.</summary>
    private static async Task<IResult> OfferAsync(string? areaCode, string? category, TicketMeToo meToo, CancellationToken ct)
    {
        var result = await meToo.OfferAsync(areaCode, category, ct);
        return ApiResults.From(result, offer => offer is null ? TypedResults.NoContent() : TypedResults.Ok(offer));
    }

    private static async Task<IResult> MeTooAsync(HttpContext http, TicketMeToo meToo, CancellationToken ct)
    {
        // A page elsewhere cannot set a custom header without a CORS preflight (never granted): a form on another site cannot add "me too"s.
        if (string.IsNullOrWhiteSpace(http.Request.Headers[AreaAdminEndpoints.ScriptHeader]))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, L["Header missing"],
                L["Send the header '{0}: DispatchBoard' (it shows the request comes from a script, not a page).", AreaAdminEndpoints.ScriptHeader]);
        }
        var (body, error) = await ApiResults.ReadJsonAsync<MeTooRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var result = await meToo.AddAsync(body!, TicketChannel.Api, Actor.From(http.User), ClientNetwork.AddressOf(http), ct);
        return ApiResults.From(result, added => TypedResults.Created($"/api/tickets/track/{added.TrackingCode}",
            new { added.TrackingCode, TrackingUrl = $"/track/{added.TrackingCode}" }));
    }

    private static async Task<IResult> MergeAsync(int id, HttpContext http, TicketMerges merges, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<MergeRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (body!.Into is not { } into)
        {
            return ApiResults.Invalid("into", L["Say which ticket this report is merged into (into)."]);
        }
        return ApiResults.From(await merges.MergeAsync(id, into, Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> UnmergeAsync(int id, HttpContext http, TicketMerges merges, CancellationToken ct) =>
        ApiResults.From(await merges.UnmergeAsync(id, Actor.From(http.User)!, ct), TypedResults.Ok);

    private static async Task<IResult> DuplicatesAsync(int id, TicketDuplicates duplicates, CancellationToken ct) =>
        TypedResults.Ok(await duplicates.ForAsync(id, ct));

    private static async Task<IResult> ReportersAsync(int id, TicketMerges merges, CancellationToken ct) =>
        TypedResults.Ok(await merges.ReportersAsync(id, ct));
}
