using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

public static class CalendarAdminEndpoints
{
    public static IEndpointRouteBuilder MapCalendarAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/calendar/import", ImportAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Calendar");
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
            return ApiResults.Problem(StatusCodes.Status400BadRequest, L["Header missing"],
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
        var rows = outcome.Rows.Select(r => new
        {
            r.Line,
            r.Where,
            r.Name,
            Kind = r.Kind?.ToString(),
            From = r.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            To = r.To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Status = r.Status.ToString(),
            r.Field,
            r.Message,
        }).ToList();
        if (!outcome.CanImport)
        {
            return TypedResults.ValidationProblem(outcome.FieldErrors(),
                detail: L["Nothing was imported: {0} problem(s) in the file.", outcome.Errors], title: L["The file has errors"],
                extensions: new Dictionary<string, object?> { ["rows"] = rows });
        }
        return TypedResults.Ok(new { outcome.Imported, DryRun = dryRun, outcome.Added, outcome.AlreadyThere, outcome.Skipped, Rows = rows });
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
