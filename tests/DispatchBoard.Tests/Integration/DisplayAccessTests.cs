using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Displays;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>The app with room for the many pairings these tests make from one (test) client address.</summary>
public sealed class DisplayFactory : DispatchBoardFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Displays:AttemptsPerAddress", "1000");
        builder.UseSetting("Displays:AttemptsOverall", "1000");
    }
}

/// <summary>What a paired office display may open: the TV board, and nothing else that needs a sign-in.</summary>
public sealed partial class DisplayAccessTests(DisplayFactory factory) : IClassFixture<DisplayFactory>
{
    /// <summary>The demo school's administrator (the services check an actor's rights against the database).</summary>
    private async Task<Actor> AdminAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByEmailAsync("admin@demo.example");
        return new Actor(admin!.Id, admin.DisplayName, CanDispatch: true, IsAdmin: true);
    }

    /// <summary>Pages anyone may open (a requester's, the sign-in, one-time password link and pairing pages, errors), and the TV itself.</summary>
    private static readonly HashSet<string> OpenToTheDisplay =
        ["/board/tv", "/report", "/r/{AreaCode}", "/track/{Code}", "/track/{Code}/stop-emails", "/login", "/pair", "/account/set-password", "/not-found", "/error", "/access-denied"];

    private async Task<(HttpClient Client, int DisplayId)> PairedDisplayAsync(string? name = null)
    {
        var displays = factory.Services.GetRequiredService<DisplayService>();
        var created = await displays.CreateAsync(name ?? $"TV {Guid.NewGuid():N}"[..20], await AdminAsync());
        Assert.True(created.IsOk, created.Describe());
        var client = factory.Anonymous();
        var paired = await client.PostAsJsonAsync("/api/displays/pair", new { code = created.Value!.DisplayCode });
        Assert.Equal(HttpStatusCode.OK, paired.StatusCode);
        return (client, created.Value.Display.Id);
    }

    public static TheoryData<string> PageRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var template in typeof(Program).Assembly.GetTypes()
                     .Where(t => typeof(IComponent).IsAssignableFrom(t))
                     .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
                     .Select(r => r.Template)
                     .Where(t => !OpenToTheDisplay.Contains(t))
                     .Distinct()
                     .Order())
        {
            data.Add(template);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PageRoutes))]
    public async Task EveryPageButTheTvAndThePublicOnes_RefusesADisplay(string template)
    {
        var (display, _) = await PairedDisplayAsync();

        var response = await display.GetAsync(Sample(template));

        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var to = PathOf(response);
            Assert.True(to.StartsWith("/access-denied", StringComparison.Ordinal) || to.StartsWith("/board/tv", StringComparison.Ordinal),
                $"{template} redirected a display to {to}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public void PageRoutes_CoverThePeoplesPages()
    {
        var routes = PageRoutes().Cast<object[]>().Select(r => (string)r[0]).ToList();

        Assert.Contains("/", routes);
        Assert.Contains("/board", routes);
        Assert.Contains("/admin/displays", routes);
        Assert.Contains("/notifications", routes);
        Assert.Contains("/meetings/{Id:int}", routes);
    }

    public static TheoryData<string, string> ProtectedEndpoints()
    {
        // The app's own endpoint table, as routing sees it: nothing that asks for a sign-in is missed.
        using var app = new DisplayFactory();
        var data = new TheoryData<string, string>();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && e.Metadata.GetMetadata<IAllowAnonymous>() is null);
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "OPTIONS" && m != "HEAD"))
            {
                data.Add(method, Sample("/" + endpoint.RoutePattern.RawText!.TrimStart('/')));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task EveryEndpointThatNeedsASignIn_RefusesADisplay(string method, string url)
    {
        var (display, _) = await PairedDisplayAsync();

        var response = await display.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        });

        if (url.StartsWith("/api/", StringComparison.Ordinal) || url.StartsWith("/hubs/", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && PathOf(response).StartsWith("/access-denied", StringComparison.Ordinal)),
                $"{method} {url}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public void ProtectedEndpoints_IncludeTheApiTheHubAndTheAdminPages()
    {
        var urls = ProtectedEndpoints().Cast<object[]>().Select(r => (string)r[1]).ToList();

        Assert.True(urls.Contains("/api/auth/me"), string.Join(", ", urls));
        Assert.Contains("/api/tickets/1/claim", urls);
        Assert.Contains("/api/admin/displays", urls);
        Assert.Contains("/hubs/dispatch/negotiate", urls);
        Assert.True(urls.Count >= 35, $"only {urls.Count} endpoints found: {string.Join(", ", urls)}");
    }

    [Fact]
    public async Task HubNegotiate_RefusesADisplay()
    {
        var (display, _) = await PairedDisplayAsync();

        var response = await display.PostAsync("/hubs/dispatch/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TvBoard_OpensForADisplay_AndItsHomeAndLoginLeadThere()
    {
        var (display, _) = await PairedDisplayAsync();

        var tv = await display.GetAsync("/board/tv");
        var home = await display.GetAsync("/");
        var login = await display.GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, tv.StatusCode);
        Assert.Contains("Dispatch board", await tv.Content.ReadAsStringAsync());
        Assert.Equal("/board/tv", PathOf(home));
        Assert.Equal("/board/tv", PathOf(login));
    }

    [Fact]
    public async Task PairedCookie_IsPersistent_ForTheConfiguredDays()
    {
        var displays = factory.Services.GetRequiredService<DisplayService>();
        var created = await displays.CreateAsync("Cookie TV", await AdminAsync());

        var response = await factory.Anonymous().PostAsJsonAsync("/api/displays/pair", new { code = created.Value!.Code });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("DispatchBoard.Auth=", StringComparison.Ordinal));
        var expires = DateTimeOffset.Parse(ExpiresPattern().Match(cookie).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RevokedDisplay_IsRefusedOnItsNextRequest_AndSentToPairAgain()
    {
        var (display, id) = await PairedDisplayAsync();
        Assert.Equal(HttpStatusCode.OK, (await display.GetAsync("/board/tv")).StatusCode);

        var revoked = await factory.Services.GetRequiredService<DisplayService>().RevokeAsync(id, await AdminAsync());
        var after = await display.GetAsync("/board/tv");

        Assert.True(revoked.IsOk);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/pair?unpaired=true", PathOf(after));
        Assert.Contains(after.Headers.GetValues("Set-Cookie"), c => c.StartsWith("DispatchBoard.Auth=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pair_SecondUseOfACode_Is409WithASentence_AndSetsNoCookie()
    {
        var displays = factory.Services.GetRequiredService<DisplayService>();
        var created = await displays.CreateAsync("Twice TV", await AdminAsync());
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().PostAsJsonAsync("/api/displays/pair", new { code = created.Value!.Code })).StatusCode);

        var again = await factory.Anonymous().PostAsJsonAsync("/api/displays/pair", new { code = created.Value.Code });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("This code has already been used: ask the administrator for a new one.", await again.Content.ReadAsStringAsync());
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task AdminApi_CreatesADisplay_WithACodeAndLink_AndRefusesADuplicateNamingTheField()
    {
        var admin = await factory.SignedInAsync("admin");

        var created = await admin.PostAsJsonAsync("/api/admin/displays", new { name = "Staff room TV" });
        var duplicate = await admin.PostAsJsonAsync("/api/admin/displays", new { name = "staff room tv" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", body.GetProperty("code").GetString());
        Assert.StartsWith("/pair?code=", body.GetProperty("pairPath").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("\"name\"", await duplicate.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APersonsSignInOnTheDisplaysBrowser_ReplacesTheDisplay()
    {
        var (display, _) = await PairedDisplayAsync();

        var login = await display.PostAsJsonAsync("/api/auth/login", new { email = "dispatcher@demo.example", password = Testing.TestData.Password });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await display.GetAsync("/api/auth/me")).StatusCode);
    }

    private static string PathOf(HttpResponseMessage response) => response.Headers.Location is { } to
        ? to.IsAbsoluteUri ? to.PathAndQuery : to.OriginalString
        : $"(no redirect: {(int)response.StatusCode})";

    private static string Sample(string template) => RouteParameter().Replace(template, m =>
        m.Value.Contains(':', StringComparison.Ordinal) && !m.Value.Contains("**", StringComparison.Ordinal) ? "1" : m.Value.EndsWith("?}", StringComparison.Ordinal) ? "" : "x").TrimEnd('/') is { Length: > 0 } url ? url : "/";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"expires=([^;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExpiresPattern();
}

/// <summary>The same app with a tight pairing limit, for the 429 test.</summary>
public sealed class TightPairingFactory : DispatchBoardFactory
{
    public const int Limit = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Displays:AttemptsPerAddress", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class PairingLimitTests(TightPairingFactory factory) : IClassFixture<TightPairingFactory>
{
    [Fact]
    public async Task GuessingCodes_IsStoppedAfterTheLimit_With429AndRetryAfter()
    {
        var client = factory.Anonymous();
        var wrong = new[] { "ACEF-3479", "ACEF-3476", "ACEF-3477" };

        foreach (var code in wrong)
        {
            var refused = await client.PostAsJsonAsync("/api/displays/pair", new { code });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        var limited = await client.PostAsJsonAsync("/api/displays/pair", new { code = "ACEF-3473" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Contains("Too many pairing attempts", await limited.Content.ReadAsStringAsync());
    }
}
