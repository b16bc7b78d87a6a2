using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Photos;
using Microsoft.AspNetCore.Http.Features;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <param name="Priority">Urgent, Normal or Low; left out: unchanged.</param>
/// <param name="Category">A category name; left out: unchanged.</param>
/// <param name="AreaCode">The area's code; left out: unchanged.</param>
/// <param name="Description">Left out: unchanged.</param>
/// <param name="LocationDetail">Left out: unchanged; "" clears it.</param>
public sealed record CorrectTicketRequest(string? Priority, string? Category, string? AreaCode, string? Description, string? LocationDetail);

public sealed record NoteRequest(string? Note);

public sealed record BulkRequest(int[]? Ids, string? Action, int? StaffId, string? Priority, string? Note);

/// <summary>What a bulk action came to: each ticket done, or refused in the service's words.</summary>
/// <param name="Refused">How many tickets were refused.</param>
/// <param name="Summary">One sentence: "3 assigned; #12 refused: …".</param>
public sealed record BulkResult(BulkAction Action, int Succeeded, int Refused, string Summary, IReadOnlyList<BulkResultItem> Results);

/// <param name="Refusal">Why this ticket was refused; null when it was done.</param>
/// <param name="Version">The ticket's new version when it was done.</param>
public sealed record BulkResultItem(int Id, bool Ok, string? Refusal, int? Version);

/// <summary>The dispatcher's corrections and bulk actions, and the staff's internal notes.</summary>
public static class TriageEndpoints
{
    public static IEndpointRouteBuilder MapTriageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/tickets/{id:int}", [HttpMethods.Patch], CorrectAsync).RequireAuthorization(Policies.Dispatch).WithTags("Tickets")
            .WithSummary("Correct a ticket's details")
            .WithDescription("Priority, category, area, description or location detail of an open ticket; fields left out stay as they are. "
                + "Nothing to change is a 400; a ticket that is not open a 409. A waiting ticket moved to another area is routed again.")
            .AcceptsJson<CorrectTicketRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        app.MapPost("/api/tickets/bulk", BulkAsync).RequireAuthorization(Policies.Dispatch).WithTags("Tickets")
            .WithSummary("Assign, reprioritise or cancel several tickets at once")
            .WithDescription("Up to 100 ids; action Assign (with staffId), Priority (with priority) or Cancel (with a note). Each ticket is "
                + "changed on its own: a refused one does not undo the others, and the answer lists each.")
            .AcceptsJson<BulkRequest>().Returns<BulkResult>();
        // Staff and the dispatcher write notes; the service checks the person is active staff or a dispatcher.
        app.MapPost("/api/tickets/{id:int}/notes", AddNoteAsync).RequireAuthorization(Policies.Board).WithTags("Tickets").DisableAntiforgery()
            .WithSummary("Add an internal note to a ticket")
            .WithDescription("Staff only (never shown to the reporter). JSON {\"note\": \"...\"}, or a multipart form (field 'note', and up to "
                + "the photo limit of files 'photos': JPEG, PNG or WebP) sent with the header 'X-Requested-With: DispatchBoard' (else 400). "
                + "Active staff and the dispatcher write notes (else 403).")
            // The body is described here rather than with Accepts: Accepts metadata would have routing turn any other content
            // type away before the handler can say what is wrong with it.
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge)
            .Returns<TicketDto>()
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(NoteRequest), null, ct) },
                        ["multipart/form-data"] = new()
                        {
                            Schema = new Microsoft.OpenApi.OpenApiSchema
                            {
                                Type = Microsoft.OpenApi.JsonSchemaType.Object,
                                Required = new HashSet<string> { "note" },
                                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                                {
                                    ["note"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                                    ["photos"] = new Microsoft.OpenApi.OpenApiSchema
                                    {
                                        Type = Microsoft.OpenApi.JsonSchemaType.Array,
                                        Items = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                                        Description = "JPEG, PNG or WebP files.",
                                    },
                                },
                            },
                        },
                    },
                };
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = AreaAdminEndpoints.ScriptHeader,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Required = false,
                    Description = "Any value, e.g. `DispatchBoard`, with a `multipart/form-data` body: shows the request comes from a script, not a page.",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                });
            });
        return app;
    }

    private static async Task<IResult> CorrectAsync(int id, HttpContext http, TicketTriage triage, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<CorrectTicketRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var correction = new CorrectTicket(body!.Priority, body.Category, body.AreaCode, body.Description, body.LocationDetail);
        return ApiResults.From(await triage.CorrectAsync(id, correction, Actor.From(http)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> BulkAsync(HttpContext http, TicketBulk bulk, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<BulkRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var result = await bulk.ApplyAsync(new BulkChange(body!.Ids, body.Action, body.StaffId, body.Priority, body.Note), Actor.From(http)!, ct);
        return ApiResults.From(result, outcome => TypedResults.Ok(new BulkResult(
            outcome.Action,
            outcome.Succeeded,
            outcome.Items.Count - outcome.Succeeded,
            outcome.Summary(),
            outcome.Items.Select(i => new BulkResultItem(i.Id, i.Ok, i.Refusal, i.Ticket?.Version)).ToList())));
    }

    /// <summary>JSON {"note": "..."}, or a form upload (note, photos) from a script, which then says so with X-Requested-With.</summary>
    private static async Task<IResult> AddNoteAsync(int id, HttpContext http, TicketNotes notes, PhotoStore store, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.HasFormContentType)
        {
            var (body, error) = await ApiResults.ReadJsonAsync<NoteRequest>(http);
            return error ?? ApiResults.From(await notes.AddAsync(id, body!.Note, Actor.From(http)!, null, ct), TypedResults.Ok);
        }
        // A form needs no CORS preflight: only a script (which can set this header) may post one here.
        if (string.IsNullOrWhiteSpace(request.Headers[AreaAdminEndpoints.ScriptHeader]))
        {
            // A 400 that, as every 400 of the API, names what is wrong in errors: here the header.
            var missing = L["Send the header '{0}: DispatchBoard' with a form upload (it shows the request comes from a script, not a page).", AreaAdminEndpoints.ScriptHeader];
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [AreaAdminEndpoints.ScriptHeader] = [missing] },
                detail: missing, title: L["Header missing"]);
        }
        var limit = store.Options.MaxUploadBytes * store.Options.MaxPerReport + ApiResults.MaxJsonBytes;
        if (request.ContentLength > limit)
        {
            return ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, L["Too large"],
                L["A note takes at most {0} photos of {1} MB each.", store.Options.MaxPerReport, store.Options.MaxUploadMegabytes]);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException)
        {
            return ApiResults.Invalid("photos", L["The form upload could not be read; send the note as the field 'note' and each photo as a file 'photos'."]);
        }
        var errors = new ValidationErrors();
        var uploads = new List<PhotoUpload>();
        try
        {
            foreach (var file in form.Files.Take(store.Options.MaxPerReport + 1))
            {
                await using var stream = file.OpenReadStream();
                if (await store.ReceiveAsync(file.FileName, stream, errors, ct) is { } upload)
                {
                    uploads.Add(upload);
                }
            }
            if (form.Files.Count > store.Options.MaxPerReport)
            {
                errors.Add("photos", L["At most {0} photos go with a note (got {1}); leave some out.", store.Options.MaxPerReport, form.Files.Count]);
            }
            if (errors.Any)
            {
                return ApiResults.Invalid(errors.ToDictionary());
            }
            return ApiResults.From(await notes.AddAsync(id, form["note"].ToString(), Actor.From(http)!, uploads, ct), TypedResults.Ok);
        }
        finally
        {
            foreach (var upload in uploads)
            {
                upload.Dispose();
            }
        }
    }
}
