using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Areas.AreasText;

namespace DispatchBoard.Web.Areas;

public static class AreaAdminEndpoints
{
    public static IEndpointRouteBuilder MapAreaAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/areas/import", ImportAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Areas");
        app.MapGet("/api/areas/{code}/qr.svg", async (string code, AreaDirectory areas, IOptions<SchoolOptions> school, CancellationToken ct) =>
                await areas.FindByCodeAsync(code, ct) is { } area
                    ? Results.Text(QrCodes.Svg(school.Value.ReportLink(area.Code).ToString()), "image/svg+xml")
                    : Results.NotFound())
            .RequireAuthorization(Policies.Board).WithTags("Areas");
        return app;
    }

    public const string ScriptHeader = "X-Requested-With";

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
                return ApiResults.Problem(StatusCodes.Status400BadRequest, L["Form token missing"],
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
                return ApiResults.Problem(StatusCodes.Status400BadRequest, L["Header missing"],
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
            ? TypedResults.Ok(new { result.Created, result.Updated })
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = result.Errors.Select(e => e.ToString()).ToArray() },
                detail: L["Nothing was imported: {0} problem(s) in the file.", result.Errors.Count], title: L["The file has errors"]);
    }
}
