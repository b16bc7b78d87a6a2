using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

public sealed record MergeRequest(int? Into);

/// <summary>A "me too" added to a report on the board: the reporter's own tracking code, which follows that ticket.</summary>
public sealed record MeTooReceipt(string TrackingCode, string TrackingUrl);

/// <summary>Duplicates over HTTP: the report form's "already reported" and "me too" (anonymous), merge and its undo (the dispatcher).</summary>
public static class DuplicateEndpoints
{
    public static IEndpointRouteBuilder MapDuplicateEndpoints(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("/api/tickets").AllowAnonymous().WithTags("Intake")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes));
        anonymous.MapGet("/already-reported", OfferAsync)
            .WithSummary("Is this problem already reported?")
            .WithDescription("The open report of this category in this very area (public words only, and its number for a \"me too\"), "
                + "or 204 when there is none. An unknown area or category is a 400.")
            .Returns<MeTooOffer>().Produces(StatusCodes.Status204NoContent).Refuses(StatusCodes.Status400BadRequest);
        anonymous.MapPost("/me-too", MeTooAsync).DisableAntiforgery()
            .WithSummary("Add \"me too\" to a report already on the board")
            .WithDescription("With ticketId from GET /api/tickets/already-reported and the same area and category; it needs the header "
                + "'X-Requested-With: DispatchBoard' (else 400). A report closed or changed meanwhile is a 409 (gone: 404); report it anew. "
                + "Limited per client address like reports (429).")
            .AcceptsJson<MeTooRequest>().Returns<MeTooReceipt>(StatusCodes.Status201Created)
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = AreaAdminEndpoints.ScriptHeader,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Required = true,
                    Description = "Any value, e.g. `DispatchBoard`: shows the request comes from a script, not a page.",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                });
                return Task.CompletedTask;
            });

        var dispatch = app.MapGroup("/api/tickets").RequireAuthorization(Policies.Dispatch).WithTags("Tickets");
        dispatch.MapPost("/{id:int}/merge", MergeAsync)
            .WithSummary("Merge a duplicate report into another ticket")
            .WithDescription("The open report {id} is closed into the open ticket 'into', whose reporters it joins. Into itself is a 400; "
                + "a report that is not open or waits for the principal, or a target that is itself merged, a 409.")
            .AcceptsJson<MergeRequest>().Returns<MergedTickets>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        dispatch.MapPost("/{id:int}/unmerge", UnmergeAsync)
            .WithSummary("Undo a merge")
            .WithDescription("The duplicate {id} is as it was before the merge and follows its own course again; one not merged is a 409.")
            .Returns<MergedTickets>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        app.MapGet("/api/tickets/{id:int}/duplicates", DuplicatesAsync).RequireAuthorization(Policies.Board).WithTags("Tickets")
            .WithSummary("Possible duplicates of a ticket")
            .WithDescription("Open tickets that may be the same problem: the same category, in the same area or a room of the same floor, reported "
                + "close in time; "
                + "empty for a ticket that is not open or does not exist.")
            .Returns<IReadOnlyList<TicketDto>>();
        app.MapGet("/api/tickets/{id:int}/reporters", ReportersAsync).RequireAuthorization(Policies.Board).WithTags("Tickets")
            .WithSummary("Everyone who reported a ticket's problem")
            .WithDescription("The ticket's reporter, each \"me too\", and the reporters of every ticket merged into it; mergedHere lists "
                + "the tickets merged directly into it. Empty for an unknown ticket.")
            .Returns<TicketReporters>();
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
            // A 400 that, as every 400 of the API, names what is wrong in errors: here the header.
            var missing = L["Send the header '{0}: DispatchBoard' (it shows the request comes from a script, not a page).", AreaAdminEndpoints.ScriptHeader];
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [AreaAdminEndpoints.ScriptHeader] = [missing] },
                detail: missing, title: L["Header missing"]);
        }
        var (body, error) = await ApiResults.ReadJsonAsync<MeTooRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var result = await meToo.AddAsync(body!, TicketChannel.Api, Actor.From(http.User), ClientNetwork.AddressOf(http), ct);
        return ApiResults.From(result, added => TypedResults.Created($"/api/tickets/track/{added.TrackingCode}",
            new MeTooReceipt(added.TrackingCode, $"/track/{added.TrackingCode}")));
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
