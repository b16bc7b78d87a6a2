using System.Net;
using System.Net.Http.Json;
using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// POST /api/areas/import takes a CSV body only from a script that says so (a custom header a foreign page cannot send
/// without asking first), and a form upload only with this app's antiforgery token.
/// </summary>
public sealed class AreaImportRequestTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private const string Csv = "code,name,parentCode,kind,ownerEmail,backupEmail\n";

    private static StringContent CsvBody(string rows, string type = "text/csv") => new(Csv + rows, Encoding.UTF8, type);

    private async Task<bool> AreaExistsAsync(string code) =>
        (await (await factory.SignedInAsync("admin")).GetAsync($"/api/areas/{code}/qr.svg")).StatusCode == HttpStatusCode.OK;

    [Fact]
    public async Task ACsvBody_WithoutTheScriptHeader_IsRefused_AndNothingIsImported()
    {
        var admin = await factory.SignedInAsync("admin");

        var response = await admin.PostAsync("/api/areas/import", CsvBody("H1,Shed,MAIN,,,\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Requested-With", await response.Content.ReadAsStringAsync());
        Assert.False(await AreaExistsAsync("H1"));
    }

    [Fact]
    public async Task APlainTextBody_IsRefused_EvenWithTheHeader()
    {
        var admin = await factory.SignedInAsync("admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import") { Content = CsvBody("H2,Shed,MAIN,,,\n", "text/plain") };
        request.Headers.Add("X-Requested-With", "DispatchBoard");

        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await AreaExistsAsync("H2"));
    }

    [Fact]
    public async Task ACsvBody_WithTheScriptHeader_Imports()
    {
        var admin = await factory.SignedInAsync("admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import") { Content = CsvBody("H3,Bike shed,MAIN,,,\n") };
        request.Headers.Add("X-Requested-With", "DispatchBoard");

        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await AreaExistsAsync("H3"));
    }

    [Fact]
    public async Task AFormUpload_WithoutAToken_IsRefused_WithOneItImports()
    {
        // A client without a cookie jar, so that the test sets the sign-in and antiforgery cookies itself.
        var client = factory.Server.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = "admin@demo.example", password = TestData.Password });
        var auth = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("DispatchBoard.Auth=", StringComparison.Ordinal)).Split(';')[0];
        var (cookie, field, token) = await AntiforgeryTokensAsync("admin@demo.example");

        HttpRequestMessage Upload(string code, bool withToken)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Csv + $"{code},Store room,MAIN,,,\n")), "file", "areas.csv" } };
            if (withToken)
            {
                form.Add(new StringContent(token), field);
            }
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import") { Content = form };
            request.Headers.Add("Cookie", withToken ? $"{auth}; {cookie}" : auth);
            return request;
        }

        var refused = await client.SendAsync(Upload("H4", withToken: false));
        var accepted = await client.SendAsync(Upload("H5", withToken: true));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("antiforgery", await refused.Content.ReadAsStringAsync());
        Assert.False(await AreaExistsAsync("H4"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(await AreaExistsAsync("H5"));
    }

    /// <summary>The tokens a page of the app would give this user: the cookie ("name=value"), the form field's name and its value.</summary>
    private async Task<(string Cookie, string Field, string Token)> AntiforgeryTokensAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user!);
        var http = new DefaultHttpContext { RequestServices = services, User = principal };
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var cookieName = services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        return ($"{cookieName}={tokens.CookieToken}", tokens.FormFieldName, tokens.RequestToken!);
    }
}
