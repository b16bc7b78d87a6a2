using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Tests.Integration;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Push;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Tests.Push;

public sealed class PushApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>, IAsyncLifetime
{
    private TestPushService _push = default!;

    public async Task InitializeAsync() => _push = await TestPushService.StartAsync();

    public async Task DisposeAsync() => await _push.DisposeAsync();

    private async Task<bool> StoredAsync(string endpoint)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.PushSubscriptions.AnyAsync(s => s.Endpoint == endpoint);
    }

    [Theory]
    [InlineData("GET", "/api/push/key")]
    [InlineData("GET", "/api/push/subscriptions")]
    [InlineData("POST", "/api/push/subscriptions")]
    [InlineData("POST", "/api/push/test")]
    public async Task PushApis_Anonymous_Are401(string method, string url)
    {
        var response = await factory.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Key_IsTheServersVapidPublicKey_A65BytePoint()
    {
        var client = await factory.SignedInAsync("principal");

        var body = await client.GetFromJsonAsync<JsonElement>("/api/push/key");

        var key = body.GetProperty("publicKey").GetString()!;
        Assert.True(P256.IsUncompressedPoint(WebEncoders.Base64UrlDecode(key)));
        Assert.Equal((await factory.Services.GetRequiredService<VapidKeys>().GetAsync()).PublicKey, key);
    }

    public static TheoryData<string, string> BadSubscriptions() => new()
    {
        { """{"endpoint":"ftp://push.example.com/x","keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        { """{"endpoint":"http://push.example.com/x","keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        { """{"endpoint":"push/x","keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        // Not a push service this server posts to: the server must not be made to post to addresses of someone's choosing.
        { """{"endpoint":"https://intranet.school.example/admin/reset","keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        { """{"endpoint":"http://localhost:6379/x","keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        { """{"keys":{"p256dh":"P","auth":"A"}}""", "endpoint" },
        // 0x04 followed by 64 zero bytes: 65 bytes, but (0, 0) is not on the curve.
        { """{"endpoint":"https://push.example.com/x","keys":{"p256dh":"BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","auth":"A"}}""", "keys.p256dh" },
        { """{"endpoint":"https://push.example.com/x","keys":{"p256dh":"P","auth":"AAAAAAAAAAAAAAAAAAAA"}}""", "keys.auth" },
        { """{"endpoint":"https://push.example.com/x","keys":{"p256dh":"P","auth":"A"},"label":"LABEL"}""", "label" },
        { """{"endpoint":5}""", "endpoint" },
    };

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task Subscribe_WithABadField_Is400NamingIt(string json, string field)
    {
        using var device = new TestDevice(_push.Url("x"));
        var valid = device.Request();
        json = json.Replace("\"P\"", $"\"{valid.Keys!.P256dh}\"").Replace("\"A\"", $"\"{valid.Keys.Auth}\"").Replace("LABEL", new string('x', 101));
        var client = await factory.SignedInAsync("staff1");

        var response = await client.PostAsync("/api/push/subscriptions", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task Subscribe_List_Test_Remove_AsAnySignedInPerson()
    {
        using var device = new TestDevice(_push.Url("principal-phone"));
        var client = await factory.SignedInAsync("principal");

        var created = await client.PostAsJsonAsync("/api/push/subscriptions", device.Request("Principal's phone"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var dto = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Principal's phone", dto.GetProperty("label").GetString());
        Assert.Equal(0, dto.GetProperty("consecutiveFailures").GetInt32());
        var id = dto.GetProperty("id").GetInt64();
        var again = await client.PostAsJsonAsync("/api/push/subscriptions", device.Request("Renamed"));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/push/subscriptions");
        Assert.Equal("Renamed", Assert.Single(mine.EnumerateArray()).GetProperty("label").GetString());

        var test = await client.PostAsync("/api/push/test", null);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var received = await _push.WaitForAsync(r => r.Any(x => x.Device == "principal-phone"));
        Assert.Equal("Test", device.Decrypt(received.Single(x => x.Device == "principal-phone").Body).GetProperty("kind").GetString());

        var other = await factory.SignedInAsync("staff3");
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/push/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/push/subscriptions/{id}")).StatusCode);
        Assert.False(await StoredAsync(device.Endpoint));
    }

    [Fact]
    public async Task SignOut_WithThisBrowsersPushEndpoint_RemovesItsSubscription_AndABareSignOutStillWorks()
    {
        using var device = new TestDevice(_push.Url("signout-phone"));
        var client = await factory.SignedInAsync("staff4");
        (await client.PostAsJsonAsync("/api/push/subscriptions", device.Request())).EnsureSuccessStatusCode();
        Assert.True(await StoredAsync(device.Endpoint));

        var response = await client.PostAsJsonAsync("/api/auth/logout", new { pushEndpoint = device.Endpoint });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await StoredAsync(device.Endpoint));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/push/subscriptions")).StatusCode);
        var bare = await factory.SignedInAsync("staff4");
        Assert.Equal(HttpStatusCode.NoContent, (await bare.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithABodyThatIsNotJson_SaysSo_AndSignsOutAllTheSame()
    {
        var client = await factory.SignedInAsync("staff4");

        var response = await client.PostAsync("/api/auth/logout", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/push/subscriptions")).StatusCode);
    }
}

public sealed class PushSettingsTests
{
    private static ValidateOptionsResult Validate(PushOptions options) => new PushOptionsValidator().Validate(null, options);

    [Fact]
    public void AGeneratedPair_IsValid_OneKeyAlone_OrAMismatchedPair_OrABadSubject_FailsAtStart()
    {
        var pair = VapidKeys.Generate();
        var other = VapidKeys.Generate();

        Assert.True(Validate(new PushOptions { PublicKey = pair.PublicKey, PrivateKey = pair.PrivateKey, Subject = "mailto:it@school.example" }).Succeeded);
        Assert.True(Validate(new PushOptions()).Succeeded);
        Assert.Contains("go together", Validate(new PushOptions { PublicKey = pair.PublicKey }).FailureMessage);
        Assert.Contains("does not belong", Validate(new PushOptions { PublicKey = pair.PublicKey, PrivateKey = other.PrivateKey }).FailureMessage);
        Assert.Contains("65-byte", Validate(new PushOptions { PublicKey = "AAAA", PrivateKey = pair.PrivateKey }).FailureMessage);
        Assert.Contains("Push:Subject", Validate(new PushOptions { Subject = "http://school.example" }).FailureMessage);
    }

    [Fact]
    public void TheDefaultSubject_IsTheOfficeAtTheSchoolsAddress()
    {
        Assert.Equal("mailto:office@dispatch.riverside.example", PushOptions.DefaultSubject(new SchoolOptions { PublicBaseUrl = "https://dispatch.riverside.example" }));
        Assert.Equal("mailto:office@dispatchboard.example", PushOptions.DefaultSubject(new SchoolOptions { PublicBaseUrl = "http://localhost:5080" }));
    }
}
