using System.Net.Http.Json;
using Microsoft.Playwright;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>What the API benchmarks (fanout, boards, intake, claims, render) say to DispatchBoard: sign-ins and the demo school's areas.</summary>
public static class OurApi
{
    /// <summary>Rooms and places of the demo school that take reports (reports rotate through them).</summary>
    public static readonly string[] Areas = ["OFF101", "OFF102", "OFF103", "CONF", "CANT", "GYM", "PLAY", "FIELD"];

    /// <summary>An anonymous report (POST /api/tickets) of a light out in the <paramref name="n"/>th demo area, round the list.</summary>
    public static Task<HttpResponseMessage> ReportAsync(HttpClient http, int n, string description) =>
        http.PostAsJsonAsync("api/tickets", new { areaCode = Areas[n % Areas.Length], category = "Lighting", description });

    /// <summary>Signs a browser context in as the dispatcher and returns its cookies, for every other screen to share.</summary>
    public static async Task<IReadOnlyList<Cookie>> BrowserCookiesAsync(IBrowserContext context)
    {
        var response = await context.APIRequest.PostAsync("api/auth/login", new APIRequestContextOptions
        {
            DataObject = new { email = "dispatcher@demo.example", password = Servers.Password },
        });
        if (!response.Ok)
        {
            throw new InvalidOperationException($"Sign-in failed: {response.Status} {await response.TextAsync()}");
        }
        return (await context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }).ToList();
    }

    /// <summary>Signs in as <paramref name="email"/> and returns the cookie header every client of that person shares.</summary>
    public static async Task<string> CookieAsync(ServerProcess server, string email)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Address };
        var login = await http.PostAsJsonAsync("api/auth/login", new { email, password = Servers.Password });
        if (!login.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }
        return string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
    }

    /// <summary>An HTTP client for many concurrent requests to one server (no cookie container: a cookie goes as a header).</summary>
    public static HttpClient Client(ServerProcess server, string? cookie = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = server.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (cookie is not null)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }
        return http;
    }
}
