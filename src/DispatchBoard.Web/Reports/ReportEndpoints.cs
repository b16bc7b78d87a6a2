using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.OpenApi;
using static DispatchBoard.Web.Reports.ReportsText;

namespace DispatchBoard.Web.Reports;

public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.Reports).WithTags("Reports");
        reports.MapGet("/", async (HttpContext http, ReportService service, CancellationToken ct) =>
        {
            var (period, error) = await PeriodAsync(http, service, ct);
            return period is null ? error! : Results.Ok(await service.BuildAsync(period, ct));
        })
            .WithSummary("The office's figures for a period")
            .WithDescription("Totals, times to claim, reach and resolve, breakdowns by area, category and staff, days, inspections and teamwork. "
                + "Durations are the tickets' own time (working time for normal reports, wall time for urgent ones).")
            .WithPeriodQuery()
            .Returns<PeriodReport>()
            .Refuses(StatusCodes.Status400BadRequest);
        reports.MapGet("/tickets.csv", async (HttpContext http, ReportService service, CsvExport export, CancellationToken ct) =>
        {
            var (period, error) = await PeriodAsync(http, service, ct);
            if (period is null)
            {
                return error!;
            }
            Attach(http, $"tickets-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv");
            await export.WriteTicketsAsync(period, http.Response.Body, ct);
            return Results.Empty;
        })
            .WithSummary("The tickets reported in a period, as a CSV file")
            .WithPeriodQuery()
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv")
            .Refuses(StatusCodes.Status400BadRequest);
        reports.MapGet("/{table}.csv", async (string table, HttpContext http, ReportService service, CancellationToken ct) =>
        {
            var (period, error) = await PeriodAsync(http, service, ct);
            if (period is null)
            {
                return error!;
            }
            if (table is not ("areas" or "categories" or "staff" or "days" or "teamwork"))
            {
                return ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"], L["Tables: tickets, areas, categories, staff, days, teamwork."]);
            }
            var report = await service.BuildAsync(period, ct);
            Attach(http, $"{table}-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv");
            await (table switch
            {
                "areas" => CsvExport.WriteAsync(CsvExport.Rows(report.ByArea), http.Response.Body, ct),
                "categories" => CsvExport.WriteAsync(CsvExport.Rows(report.ByCategory), http.Response.Body, ct),
                "staff" => CsvExport.WriteAsync(CsvExport.Rows(report.ByStaff), http.Response.Body, ct),
                "teamwork" => CsvExport.WriteAsync(CsvExport.Rows(report.Teamwork), http.Response.Body, ct),
                _ => CsvExport.WriteAsync(CsvExport.Rows(report.Days), http.Response.Body, ct),
            });
            return Results.Empty;
        })
            .WithSummary("One table of a period's report, as a CSV file")
            .WithDescription("`table` is areas, categories, staff, days or teamwork (tickets has its own operation); another name is a 404.")
            .WithPeriodQuery()
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv")
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// ?period=Day|Week|Month|Semester|Custom with from/to (yyyy-MM-dd) for Custom and an optional from for Month; or the
    /// 400 naming what is wrong.
    /// </summary>
    private static async Task<(ReportPeriod? Period, IResult? Error)> PeriodAsync(HttpContext http, ReportService service, CancellationToken ct)
    {
        var query = http.Request.Query;
        var kind = PeriodKind.Month;
        if (query.TryGetValue("period", out var text) && !EnumNames.TryParse(text.ToString(), out kind))
        {
            return (null, ApiResults.Invalid("period",
                L["Use period=Day, Week, Month (optional from=yyyy-MM-dd), Semester, or Custom with from and to (yyyy-MM-dd, at most {0} days).", ReportService.MaxCustomDays]));
        }
        DateOnly? Date(string name) => query.TryGetValue(name, out var v) && DateOnly.TryParseExact(v.ToString(), "yyyy-MM-dd", out var d) ? d : null;
        var (from, to) = (Date("from"), Date("to"));
        var problem = kind == PeriodKind.Custom ? ReportService.CustomPeriodProblem(from, to) : ReportService.DateProblem(from);
        if (problem is not null)
        {
            return (null, ApiResults.Invalid("period", L["{0} Dates are yyyy-MM-dd, e.g. from=2026-11-01&to=2026-11-30.", problem]));
        }
        return (await service.PeriodAsync(kind, from, to, ct), null);
    }

    /// <summary>The query <see cref="PeriodAsync"/> reads, for the API document.</summary>
    private static RouteHandlerBuilder WithPeriodQuery(this RouteHandlerBuilder endpoint) => endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "period",
            In = ParameterLocation.Query,
            Description = "The period (default Month): Day and Week are the current ones, Month the current one or the one from starts in, "
                + "Semester the latest semester that has started, Custom from to to. Dates are between 2000-01-01 and 2099-12-31.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = Enum.GetNames<PeriodKind>().Select(n => (System.Text.Json.Nodes.JsonNode)n).ToList(),
            },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "from",
            In = ParameterLocation.Query,
            Description = "yyyy-MM-dd: the first day of a Custom period, or a day of the Month wanted.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "to",
            In = ParameterLocation.Query,
            Description = $"yyyy-MM-dd: the last day of a Custom period (at most {ReportService.MaxCustomDays} days).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
        });
        return Task.CompletedTask;
    });

    private static void Attach(HttpContext http, string fileName)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
    }
}
