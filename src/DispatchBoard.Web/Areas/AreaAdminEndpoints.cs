using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using static DispatchBoard.Web.Areas.AreasText;

namespace DispatchBoard.Web.Areas;

/// <summary>What an area import did: areas added, and existing codes updated.</summary>
public sealed record AreasImported(int Created, int Updated);

public static class AreaAdminEndpoints
{
    public static IEndpointRouteBuilder MapAreaAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/areas/import", ImportAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Areas")
            .WithSummary("Import areas from a CSV file")
            .WithDescription("Columns code, name, parentCode, kind, ownerEmail, backupEmail (optional level, teachingRoom yes/no); at most 1 MB. "
                + "All or nothing: existing codes are updated, and a file with any bad row imports nothing and is a 400 whose `errors.rows` "
                + "lists each problem. From a script, send the CSV as the body (`text/csv`) with the header `X-Requested-With: DispatchBoard`; "
                + "from a page, as the form field `file` of a `multipart/form-data` upload carrying the app's antiforgery token.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The CSV file (with the X-Requested-With header)." } },
                        ["multipart/form-data"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "file" },
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The CSV file." },
                                    [AntiforgeryField] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The antiforgery token of the app's page." },
                                },
                            },
                        },
                    },
                };
                operation.Parameters ??= [];
                operation.Parameters.Add(ScriptHeaderParameter(required: false));
                return Task.CompletedTask;
            })
            .Returns<AreasImported>()
            .Refuses(StatusCodes.Status400BadRequest);
        app.MapGet("/api/areas/{code}/qr.svg", async (string code, AreaDirectory areas, IOptions<SchoolOptions> school, CancellationToken ct) =>
                await areas.FindByCodeAsync(code, ct) is { } area
                    ? Results.Text(QrCodes.Svg(school.Value.ReportLink(area.Code).ToString()), "image/svg+xml")
                    // A problem document, not the app's HTML not-found page (which an empty 404 would be re-executed into).
                    : ApiResults.From(ServiceResult<Area>.NotFound(L["There is no area with the code {0}.", Tickets.ReportFields.Shorten(code)]), _ => Results.Empty))
            .RequireAuthorization(Policies.Board).WithTags("Areas")
            .WithSummary("An area's QR code poster image")
            .WithDescription("An SVG QR code of the area's report link (the page a phone opens to report a problem there).")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml")
            .Refuses(StatusCodes.Status404NotFound);
        return app;
    }

    public const string ScriptHeader = "X-Requested-With";

    /// <summary>The form field of the antiforgery token (the framework's default name), for the API document and refusals.</summary>
    private const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>A 400 with its own title that, as every 400 of the API, names the field (or header) in <c>errors</c>.</summary>
    public static IResult Refused(string title, string field, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail, title: title);

    /// <summary>The header a script's file upload carries (see <see cref="ScriptHeader"/>), for the API document.</summary>
    public static OpenApiParameter ScriptHeaderParameter(bool required) => new()
    {
        Name = ScriptHeader,
        In = ParameterLocation.Header,
        Required = required,
        Description = required
            ? "Any value, e.g. `DispatchBoard`: shows the request comes from a script, not a page."
            : "Any value, e.g. `DispatchBoard`, with a `text/csv` body: shows the request comes from a script, not a page.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>CSV as the body (text/csv, from a script) or as the "file" field of a form upload with an antiforgery token.</summary>
    private static async Task<IResult> ImportAsync(HttpContext http, AreaImport import, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentLength > AreaImport.MaxBytes)
        {
            return ApiResults.Invalid("file", L["The file is larger than 1 MB; split it."]);
        }
        Stream body;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                return ApiResults.Invalid("file", L["The form upload could not be read; attach the CSV as the form field 'file'."]);
            }
            // A form can be posted by any page a signed-in admin visits: only one carrying this app's antiforgery token counts.
            if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return Refused(L["Form token missing"], AntiforgeryField,
                    L["This upload form did not come from DispatchBoard (its antiforgery token is missing or stale); import from the Areas page."]);
            }
            if (form.Files.GetFile("file") is not { } file)
            {
                return ApiResults.Invalid("file", L["Attach the CSV as the form field 'file'."]);
            }
            body = file.OpenReadStream();
        }
        else if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A page elsewhere cannot set a custom header without the browser asking this server first (CORS preflight,
            // which it never grants), so a script's CSV must carry one. text/plain, which needs no such asking, is refused.
            if (string.IsNullOrWhiteSpace(request.Headers[ScriptHeader]))
            {
                return Refused(L["Header missing"], ScriptHeader,
                    L["Send the header '{0}: DispatchBoard' with a CSV body (it shows the request comes from a script, not a page).", ScriptHeader]);
            }
            body = request.Body;
        }
        else
        {
            return ApiResults.Invalid("file", L["Send the CSV as text/csv (with the X-Requested-With header) or as a form upload named 'file'."]);
        }
        var result = await import.ImportAsync(body, Actor.From(http)!, ct);
        return result.Succeeded
            ? TypedResults.Ok(new AreasImported(result.Created, result.Updated))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = result.Errors.Select(e => e.ToString()).ToArray() },
                detail: L["Nothing was imported: {0} problem(s) in the file.", result.Errors.Count], title: L["The file has errors"]);
    }
}
