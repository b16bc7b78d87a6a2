using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The app with each test client coming from the address it names (the X-Test-Client header: the TCP peer, as a proxy or a
/// browser would be), with the <see cref="Settings"/> a subclass adds.
/// </summary>
public class ClientAddressFactory : DispatchBoardFactory
{
    public const string Header = "X-Test-Client";

    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFilter>());
    }

    public HttpClient From(string address)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextStep) =>
            {
                if (http.Request.Headers[Header] is [{ } address])
                {
                    http.Connection.RemoteIpAddress = IPAddress.Parse(address);
                }
                return nextStep(http);
            });
            next(app);
        };
    }
}

/// <summary>
/// Clients from named addresses on a clock that stands still: the sign-in throttle's delays (2 s after the free
/// failures) must not run out between two requests on a loaded machine, or a 429 would turn into a 401.
/// </summary>
public sealed class FrozenClockClientFactory : ClientAddressFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow())));
    }
}

public sealed class SignInTests(FrozenClockClientFactory factory) : IClassFixture<FrozenClockClientFactory>
{
    private static object Credentials(string who, string password = TestData.Password) => new { email = $"{who}@demo.example", password };

    [Fact]
    public async Task Login_AfterAnAttackers50Failures_TheRightPasswordStillWorksFromAnotherAddress()
    {
        var attacker = factory.From("203.0.113.50");
        for (var i = 0; i < 50; i++)
        {
            var guess = await attacker.PostAsJsonAsync("/api/auth/login", Credentials("staff2", $"guess-{i}"));
            Assert.True(guess.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"guess {i}: {guess.StatusCode}");
        }

        var owner = await factory.From("192.0.2.10").PostAsJsonAsync("/api/auth/login", Credentials("staff2"));

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Login_RepeatedFailuresFromOneAddress_Get429WithRetryAfter()
    {
        var client = factory.From("203.0.113.7");
        for (var i = 0; i < SignInThrottle.FreeFailuresPerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", Credentials("staff3", "wrong-password"))).StatusCode);
        }

        var throttled = await client.PostAsJsonAsync("/api/auth/login", Credentials("staff3", "wrong-password"));
        var rightButThrottled = await client.PostAsJsonAsync("/api/auth/login", Credentials("staff3"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var seconds = throttled.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.NotNull(seconds);
        Assert.InRange(seconds!.Value, 1, SignInThrottle.MaxDelay.TotalSeconds);
        Assert.Contains($"Too many sign-in attempts: wait {seconds} seconds and try again.", await throttled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButThrottled.StatusCode);
    }

    [Fact]
    public async Task Login_ManyAccountsTriedFromOneAddress_Get429()
    {
        var client = factory.From("203.0.113.99");
        for (var i = 0; i < SignInThrottle.FreeFailuresPerAddress; i++)
        {
            await client.PostAsJsonAsync("/api/auth/login", Credentials($"nobody{i}", "wrong-password"));
        }

        var throttled = await client.PostAsJsonAsync("/api/auth/login", Credentials("nobody-else", "wrong-password"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Login_UnknownWrongAndDeactivated_AnswerAlike_AndNothingLocksTheAccount()
    {
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var principal = (await users.FindByEmailAsync("principal@demo.example"))!;
            principal.IsActive = false;
            principal.LockoutEnd = DateTimeOffset.MaxValue;
            await users.UpdateAsync(principal);
        }

        var unknown = await factory.From("198.51.100.1").PostAsJsonAsync("/api/auth/login", Credentials("no-such-person"));
        var wrong = await factory.From("198.51.100.2").PostAsJsonAsync("/api/auth/login", Credentials("staff4", "wrong-password"));
        var deactivated = await factory.From("198.51.100.3").PostAsJsonAsync("/api/auth/login", Credentials("principal"));

        foreach (var response in new[] { unknown, wrong, deactivated })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(await Shown(wrong), await Shown(response));
        }
        Assert.Contains("Wrong e-mail or password.", await Shown(wrong));
    }

    [Fact]
    public async Task Login_EightWrongPasswords_DoNotLockTheAccount()
    {
        for (var i = 0; i < 8; i++)
        {
            await factory.From($"198.51.100.{20 + i}").PostAsJsonAsync("/api/auth/login", Credentials("dispatcher", "wrong-password"));
        }

        var owner = await factory.From("198.51.100.40").PostAsJsonAsync("/api/auth/login", Credentials("dispatcher"));

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Logout_ACookieCopiedBefore_NoLongerWorks()
    {
        var (browser, copy) = await SignedInTwiceWithOneCookieAsync("staff1");
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task LogoutEverywhere_CutsAnotherClientsCookie_AndEndsTheirCircuits()
    {
        var phone = await SignInAsync("admin", "192.0.2.30");
        var desk = await SignInAsync("admin", "192.0.2.31");
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/api/auth/me")).StatusCode);
        var ended = new List<string>();
        factory.Services.GetRequiredService<AccessGuard>().Revoked += ended.Add;

        Assert.Equal(HttpStatusCode.NoContent, (await phone.PostAsync("/api/auth/logout-everywhere", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Single(ended);
        Assert.Equal(HttpStatusCode.OK, (await factory.From("192.0.2.32").PostAsJsonAsync("/api/auth/login", Credentials("admin"))).StatusCode);
    }

    private async Task<HttpClient> SignInAsync(string who, string address)
    {
        var client = factory.From(address);
        (await client.PostAsJsonAsync("/api/auth/login", Credentials(who))).EnsureSuccessStatusCode();
        return client;
    }

    private async Task<(HttpClient Browser, HttpClient Copy)> SignedInTwiceWithOneCookieAsync(string who)
    {
        var browser = factory.Server.CreateClient();
        var login = await browser.PostAsJsonAsync("/api/auth/login", Credentials(who));
        login.EnsureSuccessStatusCode();
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        var copy = factory.Server.CreateClient();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        return (browser, copy);
    }

    /// <summary>What a person sees of a problem: status, title and sentence (not the per-request trace id).</summary>
    private static async Task<string> Shown(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return $"{root.GetProperty("status")}|{root.GetProperty("title")}|{root.GetProperty("detail")}";
    }
}
