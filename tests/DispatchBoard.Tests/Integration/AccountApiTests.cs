using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Testing;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// Passwords over HTTP: changing one's own (every other client's cookie stops working, this client's is renewed), the
/// administrator's reset link and the first-sign-in link, used through the API a page or a script calls.
/// </summary>
public sealed class AccountApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private const string NewPassword = "Fresh-Start-2027";

    /// <summary>A fresh account for each test (so the demo users' passwords stay as the other tests expect).</summary>
    private async Task<string> NewAccountAsync(string name, string? password = TestData.Password)
    {
        var email = $"{name.Replace(' ', '-').ToLowerInvariant()}-{Guid.NewGuid():N}"[..30] + "@demo.example";
        var admin = await factory.SignedInAsync("admin");
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { email, name, roles = new[] { "Staff" }, password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    private async Task<HttpClient> SignInAsync(string email, string password = TestData.Password)
    {
        var client = factory.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return client;
    }

    private static HttpRequestMessage Post(string url, object? body, bool scriptHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (scriptHeader)
        {
            request.Headers.Add("X-Requested-With", "DispatchBoard");
        }
        return request;
    }

    private async Task<string> UserIdAsync(string email)
    {
        var admin = await factory.SignedInAsync("admin");
        var people = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users");
        return people.EnumerateArray().Single(p => p.GetProperty("email").GetString() == email).GetProperty("userId").GetString()!;
    }

    private static string TokenOf(string url) => Uri.UnescapeDataString(new Uri(url).Query.TrimStart('?').Split('=', 2)[1]);

    [Fact]
    public async Task ChangePassword_SignsOutTheOtherClients_ButNotThisOne()
    {
        var email = await NewAccountAsync("Pat Change");
        var desk = await SignInAsync(email);
        var phone = await SignInAsync(email);

        var changed = await phone.SendAsync(Post("/api/account/password",
            new { currentPassword = TestData.Password, newPassword = NewPassword, repeatPassword = NewPassword }));

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("/api/auth/me")).StatusCode);
        var deskPage = await desk.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, deskPage.StatusCode);
        Assert.StartsWith("/login?", deskPage.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.Password })).StatusCode);
        await SignInAsync(email, NewPassword);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Is400NamingTheField_AndNothingChanges()
    {
        var email = await NewAccountAsync("Pat Wrong");
        var client = await SignInAsync(email);

        var refused = await client.SendAsync(Post("/api/account/password",
            new { currentPassword = "not-my-password", newPassword = NewPassword, repeatPassword = NewPassword }));
        var withoutHeader = await client.SendAsync(Post("/api/account/password",
            new { currentPassword = TestData.Password, newPassword = NewPassword, repeatPassword = NewPassword }, scriptHeader: false));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Your current password is not right: type the password you signed in with.",
            problem.GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Contains("X-Requested-With", await withoutHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        await SignInAsync(email);
    }

    [Fact]
    public async Task ResetLink_SetsANewPassword_EndsTheOldSessions_AndWorksOnce()
    {
        var email = await NewAccountAsync("Pat Reset");
        var oldSession = await SignInAsync(email);
        var admin = await factory.SignedInAsync("admin");
        var userId = await UserIdAsync(email);

        var withoutHeader = await admin.SendAsync(Post($"/api/admin/users/{userId}/reset-link", null, scriptHeader: false));
        var made = await admin.SendAsync(Post($"/api/admin/users/{userId}/reset-link", null));
        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var link = await made.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(link.GetProperty("emailed").GetBoolean());
        var token = TokenOf(link.GetProperty("url").GetString()!);

        var page = await factory.Anonymous().GetAsync($"/account/set-password?token={token}");
        var set = await factory.Anonymous().SendAsync(Post("/api/account/set-password", new { token, password = NewPassword, repeatPassword = NewPassword }));
        var again = await factory.Anonymous().SendAsync(Post("/api/account/set-password", new { token, password = "Another-Try-2027", repeatPassword = "Another-Try-2027" }));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        Assert.Contains("Choose a password for Pat Reset", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSession.GetAsync("/api/auth/me")).StatusCode);
        await SignInAsync(email, NewPassword);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("This link was already used on", await again.Content.ReadAsStringAsync());
        var usedPage = await (await factory.Anonymous().GetAsync($"/account/set-password?token={token}")).Content.ReadAsStringAsync();
        Assert.Contains("This link was already used on", usedPage);
    }

    [Fact]
    public async Task AnAccountMadeWithoutAPassword_SignsInOnlyAfterItsFirstSignInLink()
    {
        var admin = await factory.SignedInAsync("admin");
        var email = $"first-{Guid.NewGuid():N}"[..20] + "@demo.example";

        var created = await admin.PostAsJsonAsync("/api/admin/users", new { email, name = "Fran First", roles = new[] { "Staff" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(account.GetProperty("hasPassword").GetBoolean());
        var link = account.GetProperty("firstSignInLink");
        Assert.Equal("FirstSignIn", link.GetProperty("purpose").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = "" + NewPassword })).StatusCode);
        var set = await factory.Anonymous().SendAsync(Post("/api/account/set-password",
            new { token = TokenOf(link.GetProperty("url").GetString()!), password = NewPassword, repeatPassword = NewPassword }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        await SignInAsync(email, NewPassword);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users");
        var row = listed.EnumerateArray().Single(p => p.GetProperty("email").GetString() == email);
        Assert.True(row.GetProperty("hasPassword").GetBoolean());
        Assert.False(row.TryGetProperty("firstSignInLink", out _));
    }

    [Fact]
    public async Task SetPassword_UnknownToken_Is409WithASentence()
    {
        var response = await factory.Anonymous().SendAsync(Post("/api/account/set-password",
            new { token = "made-up", password = NewPassword, repeatPassword = NewPassword }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("This link is not valid", await response.Content.ReadAsStringAsync());
    }
}
