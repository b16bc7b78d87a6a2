using System.Net;
using System.Net.Http.Json;
using DispatchBoard.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DispatchBoard.Tests.Integration;

/// <summary>The school reaches the app at https, through nginx on 10.0.0.1 that terminates TLS.</summary>
public sealed class HttpsSchoolFactory : ClientAddressFactory
{
    public const string Proxy = "10.0.0.1";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["School:PublicBaseUrl"] = "https://dispatch.school.example",
        ["Network:KnownProxies:0"] = Proxy,
    };

    /// <summary>A client of the school's host name (HSTS is never sent for localhost), as the TCP peer <paramref name="peer"/>.</summary>
    public HttpClient AtSchoolHost(string peer, string? forwardedProto = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://dispatch.school.example") });
        client.DefaultRequestHeaders.Add(Header, peer);
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        }
        return client;
    }
}

public sealed class TransportTests(HttpsSchoolFactory factory) : IClassFixture<HttpsSchoolFactory>
{
    private static object Credentials(string who) => new { email = $"{who}@demo.example", password = TestData.Password };

    [Fact]
    public async Task WhenTheSchoolIsOnHttps_TheSignInCookieIsSecure_EvenIfARequestArrivesOverHttp()
    {
        var response = await factory.AtSchoolHost(peer: "203.0.113.20").PostAsJsonAsync("/api/auth/login", Credentials("staff1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("DispatchBoard.Auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BehindTheTrustedProxy_AnHttpsRequest_GetsHsts()
    {
        var response = await factory.AtSchoolHost(HttpsSchoolFactory.Proxy, forwardedProto: "https").GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task XForwardedProto_FromAnyoneButTheProxy_IsNotBelieved()
    {
        var response = await factory.AtSchoolHost(peer: "203.0.113.21", forwardedProto: "https").GetAsync("/login");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}

public sealed class PlainHttpTransportTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task OnAPlainHttpSchoolAddress_TheCookieIsNotMarkedSecure_SoTheLocalDemoStillSignsIn()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "staff1@demo.example", password = TestData.Password });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("DispatchBoard.Auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
