using System.Globalization;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.OpenApi;
using static DispatchBoard.Web.Audit.AuditText;

namespace DispatchBoard.Web.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        // Read only, on purpose: the log has no endpoint (and no service method) that changes or removes a line.
        app.MapGet("/api/admin/audit.csv", async (HttpContext http, AuditLog audit, SchoolClock clock, CancellationToken ct) =>
        {
            var (filter, error) = ReadFilter(http.Request.Query);
            if (filter is null)
            {
                return error!;
            }
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition =
                $"attachment; filename=\"audit-{clock.LocalDate(clock.UtcNow).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv\"";
            await audit.WriteCsvAsync(filter, http.Response.Body, ct);
            return Results.Empty;
        }).RequireAuthorization(Policies.Admin).WithTags("Admin")
            .WithSummary("The audit log, as a CSV file")
            .WithDescription("Who did what, when and from where (sign-ins, accounts, roles, displays, imports…), newest first, "
                + "filtered by the query; the log is read only.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(Query("kind", "Only lines of this kind.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = Enum.GetNames<AuditKind>().Select(n => (System.Text.Json.Nodes.JsonNode)n).ToList() }));
                operation.Parameters.Add(Query("person", "Only lines by this account (its user id).", new OpenApiSchema { Type = JsonSchemaType.String }));
                operation.Parameters.Add(Query("text", "Only lines whose subject, details, actor or address contain this text (any case).", new OpenApiSchema { Type = JsonSchemaType.String }));
                operation.Parameters.Add(Query("from", "yyyy-MM-dd: from this day (the school's day).", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }));
                operation.Parameters.Add(Query("to", "yyyy-MM-dd: up to and including this day, not before from.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }));
                return Task.CompletedTask;
            })
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv")
            .Refuses(StatusCodes.Status400BadRequest);
        return app;
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };

    /// <summary>?kind=RoleChanged&amp;person=&lt;user id&gt;&amp;text=…&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd, or the 400 naming the field.</summary>
    public static (AuditFilter? Filter, IResult? Error) ReadFilter(IQueryCollection query)
    {
        AuditKind? kind = null;
        if (query.TryGetValue("kind", out var kindText) && !string.IsNullOrEmpty(kindText))
        {
            if (!EnumNames.TryParse<AuditKind>(kindText.ToString(), out var parsed))
            {
                return (null, ApiResults.Invalid("kind", L["Use one of {0}.", string.Join(", ", Enum.GetNames<AuditKind>())]));
            }
            kind = parsed;
        }
        DateOnly? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("from", d => from = d), ("to", d => to = d) })
        {
            if (query.TryGetValue(name, out var text) && !string.IsNullOrEmpty(text))
            {
                if (!DateOnly.TryParseExact(text.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    || day.Year < 2000 || day.Year > 9000)
                {
                    return (null, ApiResults.Invalid(name, L["'{0}' is a date like 2026-11-30 (yyyy-MM-dd).", name]));
                }
                set(day);
            }
        }
        if (from > to)
        {
            return (null, ApiResults.Invalid("to", L["'to' must not be before 'from'."]));
        }
        string? Text(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        return (new AuditFilter(kind, Text("person"), Text("text"), from, to), null);
    }
}
