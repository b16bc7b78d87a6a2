using System.Reflection;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The API's machine-readable contract (<c>/openapi/v1.json</c>, OpenAPI 3.1 from Microsoft.AspNetCore.OpenApi) and its
/// reference page (<c>/api-docs</c>, Scalar), both for signed-in staff. Every endpoint says what it takes and answers
/// with the helpers below (<see cref="AcceptsJson{T}"/>, <see cref="Returns{T}"/>, <see cref="Refuses"/>); who may call
/// it, and the 401/403 a caller without that role gets, is read from its authorization metadata by the transformer here,
/// so the document cannot drift from the policies. <c>OpenApiContractTests</c> checks every endpoint is in the document
/// and every answer of a scripted day matches what the document says.
/// </summary>
public static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-docs";
    public const string CookieScheme = "cookie";
    public const string ScalarPolicy = "api-docs";

    /// <summary>
    /// A JSON body of <typeparamref name="TRequest"/>; an unreadable, mistyped or invalid one is a 400 naming the field,
    /// an oversized one a 413. Documentation only: routing's own content-type check (<c>Accepts</c>) would answer a wrong
    /// content type with a bare 415 before the handler names the problem.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder endpoint, bool optional = false) where TRequest : notnull =>
        endpoint.WithMetadata(new JsonBody(typeof(TRequest), optional))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>The JSON body an endpoint reads itself (<see cref="ApiResults.ReadJsonAsync{T}"/>), for the document.</summary>
    public sealed record JsonBody(Type Type, bool Optional);

    /// <summary>The success answer: <typeparamref name="T"/> as JSON with <paramref name="status"/> (200 unless said).</summary>
    public static RouteHandlerBuilder Returns<T>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status200OK) =>
        endpoint.Produces<T>(status);

    /// <summary>The refusals besides 401/403 (which come from the endpoint's policy): each a problem document.</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint = status == StatusCodes.Status400BadRequest
                ? endpoint.ProducesValidationProblem()
                : endpoint.ProducesProblem(status);
        }
        return endpoint;
    }

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o =>
        {
            // The JSON endpoints and the files they hand out; pages, the hub and Hangfire are not an API (the hub's
            // events are in the README).
            o.ShouldInclude = d => d.RelativePath is { } path && !path.StartsWith("openapi/", StringComparison.Ordinal);
            o.AddDocumentTransformer((document, _, _) =>
            {
                var version = typeof(ApiDocs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1";
                document.Info = new OpenApiInfo
                {
                    Title = "DispatchBoard API",
                    Version = version,
                    Description = """
                        Repair reports, their tracking, and the work of the school's logistics office.

                        **Signing in.** Staff endpoints take the sign-in cookie: `POST /api/auth/login` with
                        `{"email": "...", "password": "..."}` sets it. Reporting and tracking need no sign-in.
                        **Errors** are problem documents (RFC 9457): `title` says what kind, `detail` what to do,
                        and a 400's `errors` names each field. A 429 carries `Retry-After`.
                        **Enums** travel as their names (`"Claimed"`, `"Lighting"`); times are ISO 8601 with an offset.
                        **Live events** come over the SignalR hub at `/hubs/dispatch` (see the README, "The hub's events").
                        """,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "DispatchBoard.Auth",
                    Description = "The sign-in cookie set by POST /api/auth/login.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(DescribeAccessAsync);
            // Every problem document the app writes carries the request's trace id (AddProblemDetails), to find its log lines.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type) && schema is OpenApiSchema problem)
                {
                    problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
                    problem.Properties["traceId"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String | JsonSchemaType.Null,
                        Description = "The request's trace id (W3C), as in the app's log lines and traces.",
                    };
                }
                return Task.CompletedTask;
            });
            // The hub's event payloads, so a client generator makes their classes too (the README names them).
            o.AddDocumentTransformer(async (document, context, ct) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                foreach (var (_, payload, _) in Realtime.DispatchHub.Events)
                {
                    if (!document.Components.Schemas.ContainsKey(payload.Name))
                    {
                        document.Components.Schemas[payload.Name] = await context.GetOrCreateSchemaAsync(payload, null, ct);
                    }
                }
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.TicketReader);
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("DispatchBoard API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .HideDarkModeToggle()
                // Nothing leaves the school's network from this page: no assistant, no telemetry, no web fonts.
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .DisableDefaultFonts()
                .HideDeveloperTools()
                .ExpandAllTags()
                .WithDefaultHttpClient(ScalarTarget.CSharp, ScalarClient.HttpClient))
            .RequireAuthorization(Policies.TicketReader)
            .WithSecurityHeadersPolicy(ScalarPolicy);
        return app;
    }

    /// <summary>
    /// Who may call the operation, from the endpoint's own metadata: anonymous, any signed-in person, or the roles of its
    /// policy; and the 401 and 403 problem answers of the ones that need a sign-in.
    /// </summary>
    private static async Task DescribeAccessAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<JsonBody>().LastOrDefault() is { } body && operation.RequestBody is null)
        {
            var components = context.Document!.Components ??= new OpenApiComponents();
            components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            if (!components.Schemas.ContainsKey(body.Type.Name))
            {
                components.Schemas[body.Type.Name] = await context.GetOrCreateSchemaAsync(body.Type, null, ct);
            }
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !body.Optional,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(body.Type.Name, context.Document) },
                },
            };
        }
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Description = Join(operation.Description, "**Who:** anyone; no sign-in.");
            return;
        }
        var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var roles = new List<string>();
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            var policy = data.Policy is { } name ? await policies.GetPolicyAsync(name) : await policies.GetDefaultPolicyAsync();
            roles.AddRange(policy?.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles) ?? []);
            roles.AddRange(data.Roles?.Split(',', StringSplitOptions.TrimEntries) ?? []);
        }
        var who = roles.Count == 0
            ? "any signed-in person (not a paired display)"
            : string.Join(", ", roles.Distinct().Order(StringComparer.Ordinal));
        operation.Description = Join(operation.Description, $"**Who:** {who}.");
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] }];
        operation.Responses ??= new OpenApiResponses();
        if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            // A file a page shows (a photo): the browser is sent to the sign-in or access-denied page instead.
            operation.Responses.TryAdd("302", new OpenApiResponse { Description = "Not signed in or not allowed: a redirect to /login or /access-denied." });
            return;
        }
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        Add(operation.Responses, StatusCodes.Status401Unauthorized, "Not signed in, or the session ended.", problem);
        Add(operation.Responses, StatusCodes.Status403Forbidden, "Signed in, but the role does not allow this.", problem);
    }

    private static void Add(OpenApiResponses responses, int status, string description, IOpenApiSchema schema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses.ContainsKey(key))
        {
            return;
        }
        responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        };
    }

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : $"{first}\n\n{second}";
}
