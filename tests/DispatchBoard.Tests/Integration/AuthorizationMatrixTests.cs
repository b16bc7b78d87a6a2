using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Displays;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The app, telling the matrix which endpoint answered each request (so a sample URL that misses its route, and lands on
/// another or on none, fails instead of passing as "allowed"); with room for the display pairings of the matrix.
/// </summary>
public sealed class AuthorizationMatrixFactory : DispatchBoardFactory
{
    public const string EndpointHeader = "X-Matrix-Endpoint";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Displays:AttemptsPerAddress", "1000");
        builder.UseSetting("Displays:AttemptsOverall", "1000");
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, EndpointEcho>());
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(Errors)));
    }

    /// <summary>What the app logged at Error or above: a 500 in the matrix is shown with its cause.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    private sealed class ErrorLog(System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                errors.Enqueue($"{formatter(state, exception)} {exception}");
            }
        }
        public void Dispose()
        {
        }
    }

    private sealed class EndpointEcho : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                // Routing sets the endpoint on this feature; a status page re-executed for an empty 4xx sets another later.
                var endpoint = new FirstEndpoint();
                context.Features.Set<IEndpointFeature>(endpoint);
                context.Response.OnStarting(() =>
                {
                    if (endpoint.First is RouteEndpoint route)
                    {
                        context.Response.Headers[EndpointHeader] = AuthorizationMatrixTests.Normalize(route.RoutePattern.RawText);
                    }
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class FirstEndpoint : IEndpointFeature
    {
        private Endpoint? _endpoint;

        public Endpoint? First { get; private set; }

        public Endpoint? Endpoint
        {
            get => _endpoint;
            set
            {
                _endpoint = value;
                First ??= value;
            }
        }
    }
}

/// <summary>
/// Every route the running app maps × every kind of caller, against the table below: a new route without a row, a row
/// without a route, and a caller let in or kept out against the table all fail, each naming the route.
/// </summary>
public sealed partial class AuthorizationMatrixTests(AuthorizationMatrixFactory factory, ITestOutputHelper output)
    : IClassFixture<AuthorizationMatrixFactory>
{
    /// <summary>
    /// One row per route and method. Cells, per caller:
    ///   ok    allowed: any answer but a refusal below (a 400 for the deliberately invalid body counts; a 5xx fails the cell)
    ///   401   not signed in: 401 from /api and /hubs; elsewhere a redirect to /login?ReturnUrl=(the page)
    ///   403   refused for the role: 403 from /api and /hubs; elsewhere a redirect to /access-denied
    ///   pair  the office TV's sign-in: a redirect to /pair?unpaired=true
    /// Method "*": the route takes any method (probed with GET and POST). "GET,POST": a Razor page (probed with both; a
    /// page's POST is an enhanced form post, refused without an antiforgery token once authorization let it through).
    /// Not here: static files (MapStaticAssets' endpoints carry a StaticAssetDescriptor, plus its 404 fallback for file
    /// names; /wwwroot-assets is middleware, not an endpoint).
    /// </summary>
    private const string Table = """
        # method  route                                         anon  Staff Disp  Princ Admin Display

        ## Health, for a load balancer (Hosting/Health.cs)
        *         /health/live                                  ok    ok    ok    ok    ok    ok
        *         /health/ready                                 ok    ok    ok    ok    ok    ok

        ## The language switch, for anyone (Languages)
        GET       /language/{name}                              ok    ok    ok    ok    ok    ok

        ## Sign-in and the person's own things (Auth, Notifications, Push, Meetings' calendar token)
        POST      /api/auth/login                               ok    ok    ok    ok    ok    ok
        POST      /api/auth/logout                              ok    ok    ok    ok    ok    ok
        POST      /api/auth/logout-everywhere                   401   ok    ok    ok    ok    403
        GET       /api/auth/me                                  401   ok    ok    ok    ok    403
        GET       /api/notifications                            401   ok    ok    ok    ok    403
        POST      /api/notifications/{id:long}/read             401   ok    ok    ok    ok    403
        POST      /api/notifications/read-all                   401   ok    ok    ok    ok    403
        GET       /api/push/key                                 401   ok    ok    ok    ok    403
        GET       /api/push/subscriptions                       401   ok    ok    ok    ok    403
        POST      /api/push/subscriptions                       401   ok    ok    ok    ok    403
        DELETE    /api/push/subscriptions/{id:long}             401   ok    ok    ok    ok    403
        POST      /api/push/test                                401   ok    ok    ok    ok    403
        POST      /api/me/calendar-token                        401   ok    ok    ok    ok    403
        POST      /api/account/password                         401   ok    ok    ok    ok    403
        POST      /api/account/set-password                     ok    ok    ok    ok    ok    ok
        GET       /calendar/{token}.ics                         ok    ok    ok    ok    ok    ok

        ## Reporting and tracking, open to anyone (Areas, Tickets intake, Photos)
        GET       /api/areas                                    ok    ok    ok    ok    ok    ok
        POST      /api/tickets                                  ok    ok    ok    ok    ok    ok
        GET       /api/tickets/track/{trackingCode}             ok    ok    ok    ok    ok    ok
        POST      /api/tickets/track/{trackingCode}/confirm     ok    ok    ok    ok    ok    ok
        POST      /api/tickets/track/{trackingCode}/reopen      ok    ok    ok    ok    ok    ok
        GET       /api/tickets/already-reported                 ok    ok    ok    ok    ok    ok
        POST      /api/tickets/me-too                           ok    ok    ok    ok    ok    ok
        GET       /track/{trackingCode}/photos/{id:int}         ok    ok    ok    ok    ok    ok
        GET       /track/{trackingCode}/photos/{id:int}/thumb   ok    ok    ok    ok    ok    ok
        GET       /track/{trackingCode}/stop-emails/one-click   ok    ok    ok    ok    ok    ok
        POST      /track/{trackingCode}/stop-emails/one-click   ok    ok    ok    ok    ok    ok

        ## Tickets, the board's work (Tickets, Escalations, Staff, Photos, Areas' QR)
        GET       /api/tickets                                  401   ok    ok    403   ok    403
        GET       /api/tickets/{id:int}                         401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/claim                   401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/transition              401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/assign                  401   403   ok    403   ok    403
        PATCH     /api/tickets/{id:int}                         401   403   ok    403   ok    403
        POST      /api/tickets/{id:int}/notes                   401   ok    ok    403   ok    403
        POST      /api/tickets/bulk                             401   403   ok    403   ok    403
        PUT       /api/tickets/{id:int}/plan                    401   ok    ok    403   ok    403
        DELETE    /api/tickets/{id:int}/plan                    401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/escalate                401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/merge                   401   403   ok    403   ok    403
        POST      /api/tickets/{id:int}/unmerge                 401   403   ok    403   ok    403
        GET       /api/tickets/{id:int}/duplicates              401   ok    ok    403   ok    403
        GET       /api/tickets/{id:int}/reporters               401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/helpers                 401   ok    ok    403   ok    403
        DELETE    /api/tickets/{id:int}/helpers/{staffId:int}   401   ok    ok    403   ok    403
        POST      /api/tickets/{id:int}/helpers/me/done         401   ok    ok    403   ok    403
        GET       /api/staff                                    401   ok    ok    403   ok    403
        POST      /api/staff/me/duty                            401   ok    403   403   403   403
        GET       /api/areas/{code}/qr.svg                      401   ok    ok    403   ok    403
        GET       /photos/{id:int}                              401   ok    ok    ok    ok    403
        GET       /photos/{id:int}/thumb                        401   ok    ok    ok    ok    403
        *         /hubs/dispatch/negotiate                      401   ok    ok    403   ok    403
        *         /hubs/dispatch                                401   ok    ok    403   ok    403

        ## The principal's office (Escalations, Planning)
        GET       /api/escalations                              401   403   403   ok    403   403
        POST      /api/escalations/{id:int}/decision            401   403   403   ok    403   403
        GET       /api/suggestions/mine                         401   ok    ok    ok    ok    403
        POST      /api/suggestions                              401   ok    ok    ok    ok    403
        GET       /api/suggestions                              401   403   403   ok    403   403
        POST      /api/suggestions/{id:int}/review              401   403   403   ok    403   403

        ## Safety rounds, meetings, reports
        GET       /api/rounds                                   401   ok    ok    403   ok    403
        GET       /api/rounds/{id:int}                          401   ok    ok    403   ok    403
        POST      /api/rounds/items/{itemId:int}                401   ok    ok    403   ok    403
        GET       /api/meetings                                 401   ok    ok    ok    ok    403
        GET       /api/reports                                  401   403   ok    ok    ok    403
        GET       /api/reports/tickets.csv                      401   403   ok    ok    ok    403
        GET       /api/reports/{table}.csv                      401   403   ok    ok    ok    403

        ## The API's contract and its reference page, for signed-in staff (Hosting/ApiDocs.cs); the page's script and icon
        ## are Scalar's own public files (the same for every school, nothing of ours in them)
        GET       /openapi/{documentName}.json                  401   ok    ok    ok    ok    403
        GET       /api-docs/{documentName?}                     401   ok    ok    ok    ok    403
        GET       /api-docs/scalar.js                           ok    ok    ok    ok    ok    ok
        GET       /api-docs/scalar.aspnetcore.js                ok    ok    ok    ok    ok    ok
        GET       /api-docs/favicon.svg                         ok    ok    ok    ok    ok    ok

        ## Administration (Staff, Displays, Areas, Calendar, Hangfire)
        GET       /api/admin/users                              401   403   403   403   ok    403
        POST      /api/admin/users                              401   403   403   403   ok    403
        POST      /api/admin/users/{userId}/active              401   403   403   403   ok    403
        PUT       /api/admin/users/{userId}/roles               401   403   403   403   ok    403
        POST      /api/admin/users/{userId}/reset-link          401   403   403   403   ok    403
        GET       /api/admin/displays                           401   403   403   403   ok    403
        POST      /api/admin/displays                           401   403   403   403   ok    403
        POST      /api/admin/displays/{id:int}/code             401   403   403   403   ok    403
        POST      /api/admin/displays/{id:int}/revoke           401   403   403   403   ok    403
        POST      /api/displays/pair                            ok    ok    ok    ok    ok    ok
        POST      /api/areas/import                             401   403   403   403   ok    403
        POST      /api/admin/calendar/import                    401   403   403   403   ok    403
        GET       /api/admin/audit.csv                          401   403   403   403   ok    403
        *         /hangfire/{**path}                            401   403   403   403   ok    403

        ## Pages anyone may open
        GET,POST  /                                             ok    ok    ok    ok    ok    ok
        GET,POST  /login                                        ok    ok    ok    ok    ok    ok
        GET,POST  /pair                                         ok    ok    ok    ok    ok    ok
        GET,POST  /access-denied                                ok    ok    ok    ok    ok    ok
        GET,POST  /not-found                                    ok    ok    ok    ok    ok    ok
        GET,POST  /error                                        ok    ok    ok    ok    ok    ok
        GET,POST  /report                                       ok    ok    ok    ok    ok    ok
        GET,POST  /r/{AreaCode}                                 ok    ok    ok    ok    ok    ok
        GET,POST  /track/{Code}                                 ok    ok    ok    ok    ok    ok
        GET,POST  /account/set-password                         ok    ok    ok    ok    ok    ok
        GET,POST  /track/{Code}/stop-emails                     ok    ok    ok    ok    ok    ok

        ## Pages by role
        GET,POST  /account                                      401   ok    ok    ok    ok    403
        GET,POST  /notifications                                401   ok    ok    ok    ok    403
        GET,POST  /board                                        401   ok    ok    403   ok    403
        GET,POST  /board/tv                                     pair  ok    ok    403   ok    ok
        GET,POST  /my                                           401   ok    403   403   403   403
        GET,POST  /principal                                    401   403   403   ok    403   403
        GET,POST  /rounds                                       401   ok    ok    403   ok    403
        GET,POST  /rounds/{Id:int}                              401   ok    ok    403   ok    403
        GET,POST  /meetings                                     401   ok    ok    ok    ok    403
        GET,POST  /meetings/{Id:int}                            401   ok    ok    ok    ok    403
        GET,POST  /planning                                     401   ok    ok    ok    ok    403
        GET,POST  /suggestions                                  401   ok    ok    ok    ok    403
        GET,POST  /reports                                      401   403   ok    ok    ok    403
        GET,POST  /reports/print                                401   403   ok    ok    ok    403
        GET,POST  /admin/staff                                  401   403   403   403   ok    403
        GET,POST  /admin/displays                               401   403   403   403   ok    403
        GET,POST  /admin/areas                                  401   403   403   403   ok    403
        GET,POST  /admin/posters                                401   403   403   403   ok    403
        GET,POST  /admin/checklists                             401   403   403   403   ok    403
        GET,POST  /admin/audit                                  401   403   403   403   ok    403
        GET,POST  /admin/system                                 401   403   403   403   ok    403
        GET,POST  /admin/calendar                               401   403   ok    403   ok    403
        GET,POST  /admin/roster                                 401   403   ok    403   ok    403

        ## Blazor's own plumbing: open, as the public pages need a circuit; each page checks its policy itself
        *         /_blazor/negotiate                            ok    ok    ok    ok    ok    ok
        *         /_blazor                                      ok    ok    ok    ok    ok    ok
        *         /_blazor/disconnect                           ok    ok    ok    ok    ok    ok
        *         /_blazor/initializers                         ok    ok    ok    ok    ok    ok
        GET       /_framework/opaque-redirect                   ok    ok    ok    ok    ok    ok
        """;

    /// <summary>The callers, in the table's column order.</summary>
    private static readonly string[] Callers = ["anonymous", "Staff", "Dispatcher", "Principal", "Admin", "Display"];

    /// <summary>Rows that end the caller's session: probed after all others, in this order (everywhere, then this one).</summary>
    private static readonly string[] SessionEnders = ["POST /api/auth/logout-everywhere", "POST /api/auth/logout"];

    private enum Outcome { Allowed, Unauthorized, Forbidden, Unpaired }

    private sealed record Row(string Methods, string Route, Outcome[] Expected, int Line)
    {
        public IEnumerable<string> Keys => Methods == "*" ? [$"* {Route}"] : Methods.Split(',').Select(m => $"{m} {Route}");

        /// <summary>The methods sent: any-method routes with a read and a write.</summary>
        public IEnumerable<string> Probes => Methods == "*" ? ["GET", "POST"] : Methods.Split(',');
    }

    private static List<Row> Rows() => Table.Split('\n')
        .Select((text, index) => (Text: text.Trim(), Line: index + 1))
        .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'))
        .Select(l =>
        {
            var cells = l.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(cells.Length == 2 + Callers.Length, $"Table line {l.Line} needs a method, a route and {Callers.Length} cells: {l.Text}");
            return new Row(cells[0], cells[1], cells[2..].Select(c => c switch
            {
                "ok" => Outcome.Allowed,
                "401" => Outcome.Unauthorized,
                "403" => Outcome.Forbidden,
                "pair" => Outcome.Unpaired,
                _ => throw new FormatException($"Table line {l.Line}: unknown cell '{c}' (ok, 401, 403, pair)"),
            }).ToArray(), l.Line);
        })
        .ToList();

    /// <summary>A route as the table writes it: leading slash, no trailing one (a group's root maps as "/api/x/").</summary>
    public static string Normalize(string? raw) => "/" + (raw ?? "").Trim('/');

    /// <summary>
    /// The app's routes as "METHOD /route" (or "* /route" for a route that takes any method), from the running app's
    /// endpoint data source. Static files are left out: the endpoints MapStaticAssets adds (each carries a
    /// StaticAssetDescriptor) and the fallback it adds last (Order int.MaxValue) to answer 404 for unknown file names.
    /// </summary>
    private Dictionary<string, RouteEndpoint> AppRoutes()
    {
        var routes = new Dictionary<string, RouteEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
                || endpoint.RoutePattern.RawText == "{**path:file}" && endpoint.Order == int.MaxValue)
            {
                continue;
            }
            var route = Normalize(endpoint.RoutePattern.RawText);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            foreach (var key in methods is null ? [$"* {route}"] : methods.Where(m => m is not ("HEAD" or "OPTIONS")).Select(m => $"{m} {route}"))
            {
                Assert.True(routes.TryAdd(key, endpoint), $"Two endpoints answer {key}");
            }
        }
        return routes;
    }

    [Fact]
    public void Table_HasOneRowForEveryRouteOfTheApp_AndNoneForAMissingRoute()
    {
        var routes = AppRoutes();
        var rows = Rows();
        var keys = rows.SelectMany(r => r.Keys.Select(k => (Key: k, r.Line))).ToList();

        var problems = new List<string>();
        problems.AddRange(keys.GroupBy(k => k.Key).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} has {g.Count()} rows (lines {string.Join(", ", g.Select(k => k.Line))}): keep one"));
        problems.AddRange(routes.Keys.Where(k => keys.All(r => r.Key != k)).Order()
            .Select(k => $"add a row for {k} to the table in {nameof(AuthorizationMatrixTests)}"));
        problems.AddRange(keys.Where(k => !routes.ContainsKey(k.Key))
            .Select(k => $"remove the row for {k.Key} (table line {k.Line}): the app has no such route"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains("POST /api/tickets/{id:int}/claim", routes.Keys);
        Assert.Contains("* /hubs/dispatch/negotiate", routes.Keys);
        Assert.Contains("* /hangfire/{**path}", routes.Keys);
        Assert.Contains("GET /board", routes.Keys);
    }

    [Fact]
    public async Task EveryCaller_GetsWhatTheTableSays_OnEveryRoute()
    {
        var routes = AppRoutes();
        var rows = Rows().Where(r => r.Keys.All(routes.ContainsKey)).ToList(); // the other test names stale rows
        var dispatcher = await factory.SignedInAsync("dispatcher");
        var samples = await SamplesAsync(dispatcher);
        var callers = new[]
        {
            factory.Anonymous(),
            await factory.SignedInAsync("staff1"),
            dispatcher,
            await factory.SignedInAsync("principal"),
            await factory.SignedInAsync("admin"),
            await PairedDisplayAsync(),
        };
        var probes = rows.SelectMany(row => row.Probes.SelectMany(method => Enumerable.Range(0, Callers.Length)
            .Select(caller => (Row: row, Method: method, Caller: caller)))).ToList();
        var failures = new ConcurrentBag<string>();

        async Task ProbeAsync((Row Row, string Method, int Caller) probe)
        {
            var (row, method, caller) = probe;
            var url = samples.Url(row.Route);
            var api = row.Route.StartsWith("/api/", StringComparison.Ordinal) || row.Route.StartsWith("/hubs/", StringComparison.Ordinal)
                || row.Route.StartsWith("/openapi/", StringComparison.Ordinal);
            using var request = Request(method, url, api);
            using var response = await callers[caller].SendAsync(request);
            var answeredBy = response.Headers.TryGetValues(AuthorizationMatrixFactory.EndpointHeader, out var by) ? by.Single() : "(no endpoint)";
            var (seen, redirected) = Observe(response);
            var expected = row.Expected[caller];
            var where = $"{method} {row.Route} (table line {row.Line}) as {Callers[caller]}, {method} {url}";
            if (answeredBy != row.Route)
            {
                failures.Add($"{where}: answered by {answeredBy}, not the row's route: fix the sample values");
            }
            else if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{where}: {(int)response.StatusCode}, expected {expected}");
            }
            else if (seen != expected)
            {
                failures.Add($"{where}: {seen} ({(int)response.StatusCode} {response.Headers.Location}), expected {expected}");
            }
            else if (seen != Outcome.Allowed && redirected == api)
            {
                failures.Add($"{where}: refused {(api ? "with a redirect; an API answers 401/403" : "with a bare status; a browser route redirects")}");
            }
            else if (seen == Outcome.Unauthorized && !api && QueryValue(response.Headers.Location!.OriginalString, "ReturnUrl") != url)
            {
                failures.Add($"{where}: the sign-in does not lead back to the page ({response.Headers.Location})");
            }
        }

        var ordinary = probes.Where(p => !SessionEnders.Contains($"{p.Method} {p.Row.Route}")).ToList();
        await Parallel.ForEachAsync(ordinary, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, _) => await ProbeAsync(p));
        foreach (var ender in SessionEnders)
        {
            await Task.WhenAll(probes.Where(p => $"{p.Method} {p.Row.Route}" == ender).Select(ProbeAsync));
        }

        output.WriteLine($"Authorization matrix: {rows.Count} rows ({rows.Sum(r => r.Keys.Count())} route × method), "
            + $"{probes.Count} requests ({probes.Count / Callers.Length} route × method probes × {Callers.Length} callers)");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {probes.Count} cells differ from the table:\n"
            + string.Join("\n", failures.Order(StringComparer.Ordinal))
            + (failures.Any(f => f.Contains(": 500", StringComparison.Ordinal)) ? "\nThe app logged:\n" + string.Join("\n", factory.Errors.Take(5)) : ""));
    }

    /// <summary>
    /// A request as the app's own pages would send it (same-origin, so the cross-site guard lets it by); a write carries
    /// a body that no handler accepts, so an allowed call stops at validation instead of changing anything.
    /// </summary>
    private static HttpRequestMessage Request(string method, string url, bool api)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Accept.ParseAdd(api ? "application/json" : "text/html");
        if (method != "GET")
        {
            request.Content = api
                ? new StringContent("{not json", Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent([]);
        }
        return request;
    }

    /// <summary>What the caller got, and whether a refusal came as a redirect (a browser's) or as a status (an API's).</summary>
    private static (Outcome Outcome, bool Redirected) Observe(HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return (Outcome.Unauthorized, false);
            case HttpStatusCode.Forbidden:
                return (Outcome.Forbidden, false);
            case HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect:
                var to = response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location?.OriginalString ?? "";
                return (to.StartsWith("/login?", StringComparison.Ordinal) ? Outcome.Unauthorized
                    : to.StartsWith("/access-denied", StringComparison.Ordinal) ? Outcome.Forbidden
                    : to == "/pair?unpaired=true" ? Outcome.Unpaired
                    : Outcome.Allowed, true);
            default:
                return (Outcome.Allowed, false);
        }
    }

    private static string? QueryValue(string pathAndQuery, string name) => pathAndQuery[(pathAndQuery.IndexOf('?') + 1)..].Split('&')
        .Select(p => p.Split('=', 2))
        .Where(p => p.Length == 2 && string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase))
        .Select(p => Uri.UnescapeDataString(p[1]))
        .FirstOrDefault();

    private async Task<HttpClient> PairedDisplayAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("admin@demo.example");
        var created = await factory.Services.GetRequiredService<DisplayService>()
            .CreateAsync("Matrix TV", new Actor(admin!.Id, admin.DisplayName, CanDispatch: true, IsAdmin: true));
        Assert.True(created.IsOk, created.Describe());
        var display = factory.Anonymous();
        (await display.PostAsJsonAsync("/api/displays/pair", new { code = created.Value!.DisplayCode })).EnsureSuccessStatusCode();
        return display;
    }

    /// <summary>Route values from the seeded school, so an allowed call reaches its handler with something real.</summary>
    private sealed record Samples(IReadOnlyDictionary<string, string> Ids, string TrackingCode, string UserId)
    {
        public string Url(string route)
        {
            var url = RouteParameter().Replace(route, m => Value(route, m.Groups["name"].Value));
            url = url.Length > 1 ? url.TrimEnd('/') : url;
            return route.EndsWith("/negotiate", StringComparison.Ordinal) ? url + "?negotiateVersion=1" : url;
        }

        private string Value(string route, string name) => name.ToLowerInvariant() switch
        {
            "trackingcode" => TrackingCode,
            "code" when route.StartsWith("/track/", StringComparison.Ordinal) => TrackingCode,
            "code" or "areacode" => "A204",
            "userid" => UserId,
            "token" => "not-a-calendar-token",
            "table" => "areas",
            "name" when route.StartsWith("/language/", StringComparison.Ordinal) => "zh-Hans",
            "path" => "", // Hangfire's dashboard home
            "documentname" => "v1",
            _ => Ids.Where(i => route.StartsWith(i.Key, StringComparison.Ordinal)).OrderByDescending(i => i.Key.Length)
                .Select(i => i.Value).FirstOrDefault() ?? "1",
        };
    }

    /// <summary>
    /// The demo school has people and areas but no tickets: one is reported and cancelled here, so that claiming it is
    /// refused by the workflow (409) and even an allowed claim changes nothing. Other ids are the first stored, if any.
    /// </summary>
    private async Task<Samples> SamplesAsync(HttpClient dispatcher)
    {
        var reported = await factory.Anonymous().PostAsJsonAsync("/api/tickets",
            new { areaCode = "A204", category = "Furniture", description = "Authorization matrix: a cancelled ticket" });
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var ticket = await reported.Content.ReadFromJsonAsync<ReportedTicket>();
        var cancelled = await dispatcher.PostAsJsonAsync($"/api/tickets/{ticket!.Id}/transition", new { to = "Cancelled", note = "Matrix sample" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var photo = await db.Photos.OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync();
        var round = await db.InspectionRounds.OrderBy(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync();
        var item = await db.InspectionItems.OrderBy(i => i.Id).Select(i => (int?)i.Id).FirstOrDefaultAsync();
        var meeting = await db.Meetings.OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync();
        var escalation = await db.Escalations.OrderBy(e => e.Id).Select(e => (int?)e.Id).FirstOrDefaultAsync();
        var suggestion = await db.Suggestions.OrderBy(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync();
        var notification = await db.Notifications.OrderBy(n => n.Id).Select(n => (long?)n.Id).FirstOrDefaultAsync();
        var user = await db.Users.Where(u => u.Email == "staff4@demo.example").Select(u => u.Id).SingleAsync();
        var ids = new Dictionary<string, string>
        {
            ["/api/tickets/"] = $"{ticket.Id}",
            ["/photos/"] = $"{photo ?? 1}",
            ["/track/"] = $"{photo ?? 1}",
            ["/api/rounds/"] = $"{round ?? 1}",
            ["/rounds/"] = $"{round ?? 1}",
            ["/api/rounds/items/"] = $"{item ?? 1}",
            ["/meetings/"] = $"{meeting ?? 1}",
            ["/api/escalations/"] = $"{escalation ?? 1}",
            ["/api/suggestions/"] = $"{suggestion ?? 1}",
            ["/api/notifications/"] = $"{notification ?? 1}",
            // Harmless ids (404): revoking or re-coding a real display, or deleting a real device, would change the school.
            ["/api/admin/displays/"] = "999999",
            ["/api/push/subscriptions/"] = "999999",
        };
        return new Samples(ids, ticket.TrackingCode, user);
    }

    private sealed record ReportedTicket(int Id, string TrackingCode);

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
