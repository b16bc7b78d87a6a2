using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using DispatchBoard.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration.Contract;

/// <summary>
/// The API's OpenAPI document against the running app: it is for signed-in staff only; every JSON endpoint the app maps
/// is in it, each saying who may call it, what it takes and what it answers; and a scripted day of work (the walks in
/// the other parts of this class, one per group of features) gets, on every call, exactly an answer the document
/// describes: a listed status, the media type, and a body that fits the schema field for field. Every operation is
/// called at least once with success.
/// </summary>
public sealed partial class OpenApiContractTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private const string DocumentPath = "/openapi/v1.json";

    [Fact]
    public async Task Document_AndReferencePage_AreForSignedInStaffOnly()
    {
        using var anonymous = factory.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(DocumentPath)).StatusCode);
        var page = await anonymous.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login?ReturnUrl=%2Fapi-docs", page.Headers.Location!.OriginalString);

        foreach (var who in new[] { "staff1", "dispatcher", "principal", "admin" })
        {
            using var client = await factory.SignedInAsync(who);
            var document = await client.GetAsync(DocumentPath);
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Equal("3.1.1", (await document.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("openapi").GetString());
            // Scalar sends /api-docs on to its own address for the page (/api-docs/v1).
            var reference = await client.GetAsync("/api-docs");
            for (var hops = 0; hops < 3 && (int)reference.StatusCode is >= 300 and < 400
                 && reference.Headers.Location!.OriginalString.Contains("api-docs", StringComparison.Ordinal); hops++)
            {
                reference = await client.GetAsync(reference.Headers.Location);
            }
            Assert.True(reference.StatusCode == HttpStatusCode.OK, $"/api-docs as {who}: {(int)reference.StatusCode} {reference.Headers.Location}");
            Assert.Contains("DispatchBoard API", await reference.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Document_HasEveryEndpointOfTheApp()
    {
        var contract = await ContractAsync();
        var documented = contract.Operations.ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // Route handlers (MapGet, MapPost, …) are the API; pages, the hub, Hangfire, health checks and static files are not.
            if (endpoint.Metadata.GetMetadata<MethodInfo>() is null || Undocumented.Contains(endpoint.RoutePattern.RawText ?? "")
                || (endpoint.RoutePattern.RawText ?? "").StartsWith("/api-docs", StringComparison.Ordinal))
            {
                continue;
            }
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.Trim('/'), @"\{([^}:=?]+)[^}]*}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                if (!documented.Contains($"{method} {path}"))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }
        Assert.True(missing.Count == 0, "Not in the OpenAPI document:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// Route handlers that are not API: the document itself, its reference page (/api-docs, Scalar's), and the browser's
    /// language switch (a redirect back to the page).
    /// </summary>
    private static readonly HashSet<string> Undocumented = ["/openapi/{documentName}.json", "/language/{name}"];

    [Fact]
    public async Task Document_EveryOperationSaysWhoWhatAndWhatItAnswers()
    {
        var contract = await ContractAsync();
        var problems = new List<string>();
        foreach (var key in contract.Operations)
        {
            var operation = contract.Operation(key);
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                problems.Add($"{key}: no summary");
            }
            if (!operation.TryGetProperty("description", out var description) || !description.GetString()!.Contains("**Who:**"))
            {
                problems.Add($"{key}: does not say who may call it");
            }
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            // A success is a 2xx, or the redirect of an endpoint that answers a browser with a page (the one-click stop's GET).
            var success = responses.Where(r => r.Name.StartsWith('2') || r.Name.StartsWith('3')).ToList();
            if (success.Count == 0)
            {
                problems.Add($"{key}: no success answer");
            }
            foreach (var answer in success.Where(r => r.Name.StartsWith('2') && r.Name != "204"))
            {
                if (!answer.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                {
                    problems.Add($"{key}: {answer.Name} describes no body");
                }
                else if (content.EnumerateObject().Any(c => c.Name.Contains("json") && !c.Value.TryGetProperty("schema", out _)))
                {
                    problems.Add($"{key}: {answer.Name} has JSON without a schema");
                }
            }
            if (responses.Count == success.Count && !key.StartsWith("GET", StringComparison.Ordinal))
            {
                problems.Add($"{key}: a change that documents no refusal");
            }
            if (operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").EnumerateObject().Any(c => c.Name.Contains("json"))
                && !responses.Any(r => r.Name == "400"))
            {
                problems.Add($"{key}: takes JSON but does not document the 400 for a bad body");
            }
        }
        foreach (var schema in contract.Root.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (schema.Name.StartsWith("AnonymousType", StringComparison.Ordinal))
            {
                problems.Add($"schema {schema.Name}: an anonymous type; name it (a client generator makes a class of each)");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task ScriptedDay_EveryAnswerIsOneTheDocumentDescribes_AndEveryOperationIsUsed()
    {
        var log = new ContractLog(await ContractAsync());
        var walk = new Walk(factory, log);
        await WalkTicketsAsync(walk);
        await WalkPeopleAsync(walk);
        await WalkAdminAsync(walk);

        Assert.True(log.Problems.IsEmpty, $"{log.Problems.Count} answers differ from the document:\n" + string.Join("\n", log.Problems));
        var seen = log.Seen();
        var unused = log.Contract.Operations.Where(o => !seen.TryGetValue(o, out var statuses) || !statuses.Any(s => s is >= 200 and < 400)).ToList();
        Assert.True(unused.Count == 0, "Operations the walks never called with success:\n" + string.Join("\n", unused));
    }

    [Fact]
    public async Task HubEvents_AreInTheReadme_FieldForField_AndTheirSchemasInTheDocument()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var schemas = (await ContractAsync()).Root.GetProperty("components").GetProperty("schemas");
        var problems = new List<string>();
        foreach (var (method, payload, _) in DispatchBoard.Web.Realtime.DispatchHub.Events)
        {
            var row = readme.FirstOrDefault(l => l.StartsWith($"| `{method}` |", StringComparison.Ordinal));
            if (row is null)
            {
                problems.Add($"README: no row for the hub event {method}");
                continue;
            }
            if (!row.Contains($"`{payload.Name}`", StringComparison.Ordinal))
            {
                problems.Add($"README: the {method} row does not name its payload {payload.Name}");
            }
            foreach (var property in payload.GetProperties())
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (!row.Contains($"`{name}`", StringComparison.Ordinal))
                {
                    problems.Add($"README: the {method} row does not list the field {name}");
                }
            }
            if (!schemas.TryGetProperty(payload.Name, out var schema))
            {
                problems.Add($"OpenAPI: no schema {payload.Name} for the hub event {method}");
            }
            else
            {
                foreach (var property in payload.GetProperties())
                {
                    var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    if (!schema.GetProperty("properties").TryGetProperty(name, out _))
                    {
                        problems.Add($"OpenAPI: the schema {payload.Name} has no field {name}");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DispatchBoard.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("DispatchBoard.sln not found above " + AppContext.BaseDirectory);
    }

    private async Task<ApiContract> ContractAsync()
    {
        using var admin = await factory.SignedInAsync("admin");
        var text = await admin.GetStringAsync(DocumentPath);
        return new ApiContract(JsonDocument.Parse(text));
    }

    /// <summary>The scripted day's clients: each checks every answer against the document as it arrives.</summary>
    public sealed class Walk(DispatchBoardFactory factory, ContractLog log)
    {
        public DispatchBoardFactory Factory => factory;

        public ContractLog Log => log;

        /// <summary>A client with no sign-in (a reporter, a tracking page), with its own cookie jar.</summary>
        public HttpClient Anonymous() =>
            factory.CreateDefaultClient(new Uri("http://localhost"), new ContractRecorder(log), new CookieContainerHandler());

        /// <summary>A client signed in as a demo user ("staff1", "dispatcher", "principal", "admin").</summary>
        public async Task<HttpClient> AsAsync(string who)
        {
            var client = Anonymous();
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = TestData.Password });
            for (var retry = 0; response.StatusCode == HttpStatusCode.TooManyRequests && retry < 2; retry++)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = TestData.Password });
            }
            Assert.True(response.IsSuccessStatusCode, $"Sign-in as {who}: {(int)response.StatusCode}");
            return client;
        }
    }
}
