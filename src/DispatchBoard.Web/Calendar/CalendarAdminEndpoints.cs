using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.OpenApi;
using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

/// <summary>What a calendar import did (or, in a dry run, would do): the counts, and each row or event with its outcome.</summary>
public sealed record CalendarImported(bool Imported, bool DryRun, int Added, int AlreadyThere, int Skipped, IReadOnlyList<CalendarImportRow> Rows);

/// <summary>
/// The import's 400, for the API document: a validation problem whose <c>errors</c> name line and field, and, when the
/// file was read, <see cref="Rows"/> saying what each line would do (the handler sends it as the problem's extension).
/// </summary>
public sealed class CalendarImportProblem : Microsoft.AspNetCore.Http.HttpValidationProblemDetails
{
    public IReadOnlyList<CalendarImportRow>? Rows { get; init; }
}

public static class CalendarAdminEndpoints
{
    public static IEndpointRouteBuilder MapCalendarAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/calendar/import", ImportAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Calendar")
            .WithSummary("Import closures, skeleton days and make-up days from a CSV or iCalendar file")
            .WithDescription("The file is the body: `text/csv` (columns Name, Kind, From, To) or `text/calendar` (.ics, all-day events), "
                + "at most 1 MB, with the header `X-Requested-With: DispatchBoard`. All or nothing: an entry already in the calendar is "
                + "skipped, and a file with any error imports nothing and is a 400 whose `errors` name line and field (`line 3.from`) "
                + "and whose `rows` say what each line would do. `?dryRun=true` only answers what the import would do.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A CSV file: Name, Kind, From, To (yyyy-MM-dd)." } },
                        ["text/calendar"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An iCalendar (.ics) file." } },
                    },
                };
                operation.Parameters ??= [];
                operation.Parameters.Add(AreaAdminEndpoints.ScriptHeaderParameter(required: true));
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "dryRun",
                    In = ParameterLocation.Query,
                    Description = "true: store nothing, answer what the import would do (the preview).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                });
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "kind",
                    In = ParameterLocation.Query,
                    Description = $"The kind of rows and events that do not name one (default Closure): {CalendarImportFile.KindWordsText}.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                return Task.CompletedTask;
            })
            .Returns<CalendarImported>()
            .Produces<CalendarImportProblem>(StatusCodes.Status400BadRequest, "application/problem+json")
            .Refuses(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    /// <summary>
    /// A CSV (text/csv) or iCalendar (text/calendar) body from a script, all or nothing; <c>?dryRun=true</c> answers what
    /// it would do, <c>?kind=SkeletonDay</c> sets the kind of rows and events that do not name one (default Closure).
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, CalendarPeriods periods, CancellationToken ct)
    {
        var request = http.Request;
        var type = request.ContentType ?? "";
        CalendarImportFormat format;
        if (type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            format = CalendarImportFormat.Csv;
        }
        else if (type.StartsWith("text/calendar", StringComparison.OrdinalIgnoreCase))
        {
            format = CalendarImportFormat.ICalendar;
        }
        else
        {
            return ApiResults.Invalid("file", L["Send the calendar as text/csv or text/calendar (got '{0}'), with the header '{1}: DispatchBoard'.", type.Length == 0 ? L["none"] : type, AreaAdminEndpoints.ScriptHeader]);
        }
        // As for the area import: a page elsewhere cannot set a custom header without a CORS preflight (never granted), and
        // text/csv and text/calendar, unlike JSON, could otherwise be posted by a plain cross-site form or fetch.
        if (string.IsNullOrWhiteSpace(request.Headers[AreaAdminEndpoints.ScriptHeader]))
        {
            return AreaAdminEndpoints.Refused(L["Header missing"], AreaAdminEndpoints.ScriptHeader,
                L["Send the header '{0}: DispatchBoard' with the file (it shows the request comes from a script, not a page).", AreaAdminEndpoints.ScriptHeader]);
        }
        var query = request.Query;
        var dryRun = false;
        if (query.TryGetValue("dryRun", out var dryRunText) && !bool.TryParse(dryRunText.ToString(), out dryRun))
        {
            return ApiResults.Invalid("dryRun", L["dryRun is true or false."]);
        }
        var kind = CalendarDayKind.Closure;
        if (query.TryGetValue("kind", out var kindText) && !CalendarImportFile.TryParseKind(kindText.ToString(), out kind))
        {
            return ApiResults.Invalid("kind", L["kind is one of {0}.", CalendarImportFile.KindWordsText]);
        }
        if (request.ContentLength > CalendarImportFile.MaxBytes || await ReadAtMostAsync(request.Body, CalendarImportFile.MaxBytes, ct) is not { } content)
        {
            return ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, L["Too large"], L["The file is larger than 1 MB; split it."]);
        }

        var result = await periods.ImportAsync(new CalendarImportRequest(content, format, kind, dryRun), Actor.From(http)!, ct);
        if (!result.IsOk)
        {
            return ApiResults.From(result, _ => Results.Ok());
        }
        var outcome = result.Value!;
        // Enums travel as their names and dates as yyyy-MM-dd: the rows as they are.
        var rows = outcome.Rows;
        if (!outcome.CanImport)
        {
            return TypedResults.ValidationProblem(outcome.FieldErrors(),
                detail: L["Nothing was imported: {0} problem(s) in the file.", outcome.Errors], title: L["The file has errors"],
                extensions: new Dictionary<string, object?> { ["rows"] = rows });
        }
        return TypedResults.Ok(new CalendarImported(outcome.Imported, dryRun, outcome.Added, outcome.AlreadyThere, outcome.Skipped, rows));
    }

    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
