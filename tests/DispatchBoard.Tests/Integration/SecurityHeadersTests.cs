using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DispatchBoard.Testing;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

public sealed partial class SecurityHeadersTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    public static TheoryData<string, HttpStatusCode> EveryKindOfResponse => new()
    {
        { "/", HttpStatusCode.OK },                          // a page
        { "/api/areas", HttpStatusCode.OK },                 // an API answer
        { "/favicon.svg", HttpStatusCode.OK },               // a shared asset
        { "/css/app.css", HttpStatusCode.OK },               // a static web asset
        { "/sw.js", HttpStatusCode.OK },                     // the service worker
        { "/no-such-page", HttpStatusCode.NotFound },        // a 404 page
        { "/api/no-such-thing", HttpStatusCode.NotFound },   // a bare 404
        { "/board", HttpStatusCode.Redirect },               // a redirect to the sign-in
    };

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path, HttpStatusCode status)
    {
        var response = await factory.Anonymous().GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertAppHeaders(response);
    }

    [Fact]
    public async Task AProblem_CarriesTheSecurityHeaders()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertAppHeaders(response);
    }

    [Fact]
    public async Task APage_AllowsItsImportMapByThisResponsesNonce_AndNoOtherInlineScript()
    {
        var response = await factory.Anonymous().GetAsync("/report");
        var html = await response.Content.ReadAsStringAsync();

        var nonce = NonceSource().Match(Csp(response)).Groups[1].Value;
        Assert.NotEmpty(nonce);
        var importMap = ImportMapTag().Match(html);
        Assert.True(importMap.Success, html);
        Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(importMap.Value)); // the browser decodes the attribute
        var other = await factory.Anonymous().GetAsync("/report");
        Assert.DoesNotContain($"'nonce-{nonce}'", Csp(other));
        Assert.DoesNotContain("unsafe-eval", Csp(response));
    }

    [Fact]
    public async Task OfflinePage_IsAllowedItsOwnScriptAndStyleByHash_AndNothingElseInline()
    {
        var response = await factory.Anonymous().GetAsync("/offline.html");
        var html = await response.Content.ReadAsStringAsync();
        var csp = Csp(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"script-src 'self' 'sha256-{Sha256(InlineScript().Match(html).Groups[1].Value)}'", csp);
        Assert.Contains($"style-src 'self' 'sha256-{Sha256(InlineStyle().Match(html).Groups[1].Value)}'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
    }

    [Fact]
    public async Task HangfireDashboard_HasARelaxedPolicyOfItsOwn_StillNotFramable()
    {
        var admin = await factory.SignedInAsync("admin");

        var dashboard = await admin.GetAsync("/hangfire");
        var page = await admin.GetAsync("/admin/areas");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.True(Csp(dashboard).Contains("script-src 'self' 'unsafe-inline'", StringComparison.Ordinal), Csp(dashboard));
        Assert.Contains("frame-ancestors 'none'", Csp(dashboard));
        Assert.Equal("DENY", Single(dashboard, "X-Frame-Options"));
        Assert.DoesNotContain("'unsafe-inline'", ScriptSrc(Csp(page)));
    }

    [Fact]
    public async Task Photos_AreServedPrivate_AndNotSniffed()
    {
        var result = await factory.Services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A102", "Furniture", "Wobbly table", false, null, null, Photos: [new PhotoUpload("table.png", TestImages.Png(4, 4))]),
            TicketChannel.Web, null);
        var photoId = (await factory.Services.GetRequiredService<TicketQueries>().GetDetailAsync(result.Value!.Id))!.Photos.Single().Id;

        var staff = await (await factory.SignedInAsync("staff1")).GetAsync($"/photos/{photoId}");
        var reporter = await factory.Anonymous().GetAsync($"/track/{result.Value.TrackingCode}/photos/{photoId}");

        foreach (var response in new[] { staff, reporter })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.Private, $"Cache-Control was {response.Headers.CacheControl}");
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        }
    }

    private static void AssertAppHeaders(HttpResponseMessage response)
    {
        var csp = Csp(response);
        foreach (var directive in new[]
                 {
                     "default-src 'self'", "img-src 'self' data: blob:", "font-src 'self' data:", "frame-ancestors 'none'",
                     "base-uri 'self'", "form-action 'self'", "object-src 'none'", "worker-src 'self'", "manifest-src 'self'",
                     "style-src 'self' 'unsafe-inline'",
                 })
        {
            Assert.True(csp.Contains(directive, StringComparison.Ordinal), $"{directive} is not in {csp}");
        }
        Assert.Contains("connect-src 'self' ws://localhost:5080;", csp); // School:PublicBaseUrl
        Assert.StartsWith("script-src 'self'", ScriptSrc(csp));
        Assert.DoesNotContain("unsafe", ScriptSrc(csp));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Single(response, "Cross-Origin-Opener-Policy"));
        var permissions = Single(response, "Permissions-Policy");
        foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()" })
        {
            Assert.True(permissions.Contains(feature, StringComparison.Ordinal), $"{feature} is not in {permissions}");
        }
        // The TV board's wake lock; a bare token and a one-item list are the same allowlist.
        Assert.Matches(@"screen-wake-lock=\(?self\)?(,|$)", permissions);
    }

    private static string Csp(HttpResponseMessage response) => Single(response, "Content-Security-Policy");

    private static string ScriptSrc(string csp) =>
        csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<script[^>]*type=\"importmap\"[^>]*>")]
    private static partial Regex ImportMapTag();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();
}
