using System.Net;
using System.Net.Http.Json;

namespace DispatchBoard.Tests.Integration;

public sealed class SecurityTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task Login_WrongPassword_Is401WithAMessage_NoCookie()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "staff1@demo.example", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong e-mail or password", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_MissingFields_Is400NamingThem()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"email\"", body);
        Assert.Contains("\"password\"", body);
    }

    [Theory]
    [InlineData("/board")]
    [InlineData("/my")]
    public async Task StaffPages_Anonymous_RedirectToLogin(string page)
    {
        var response = await factory.Anonymous().GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task TvBoard_Anonymous_GoesToPairingNotToTheSignIn()
    {
        var response = await factory.Anonymous().GetAsync("/board/tv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/pair?unpaired=true", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/pair")]
    [InlineData("/report")]
    [InlineData("/r/A204")]
    [InlineData("/login")]
    public async Task PublicPages_AreAnonymous(string page)
    {
        var response = await factory.Anonymous().GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StaffPhonePage_IsNotForTheDispatcher()
    {
        var response = await (await factory.SignedInAsync("dispatcher")).GetAsync("/my");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        var anonymous = await factory.Anonymous().GetAsync("/hangfire");
        var staff = await (await factory.SignedInAsync("staff1")).GetAsync("/hangfire");
        var admin = await (await factory.SignedInAsync("admin")).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, staff.StatusCode);
        Assert.StartsWith("/access-denied", staff.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("DispatchBoard jobs", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var client = await factory.SignedInAsync("staff1");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        await client.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}
