using System.Net;
using System.Net.Http.Json;
using System.Text;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>A tight intake limit behind a trusted proxy (10.0.0.1), with a low ceiling for everyone and few wrong tracking codes.</summary>
public class IntakeLimitFactory : ClientAddressFactory
{
    public const int PerClient = 3;
    public const int TrackingMisses = 3;
    public const string Proxy = "10.0.0.1";

    protected override int IntakePermitLimit => PerClient;

    protected virtual int Overall => 1_000;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Intake:OverallPermitLimit"] = Overall.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Intake:TrackingMissLimit"] = TrackingMisses.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Network:KnownProxies:0"] = Proxy,
        ["School:OfficePhone"] = "0571-8888-1234",
    };

    /// <summary>A client behind the proxy: the proxy is the TCP peer and names the client in X-Forwarded-For.</summary>
    public HttpClient Behind(string clientAddress, string peer = Proxy)
    {
        var client = From(peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return client;
    }
}

/// <summary>
/// Each test uses addresses of its own: the limits are per client network and the factory is shared by the class. The
/// overall ceiling is tested in its own class, as it counts every anonymous write.
/// </summary>
public sealed class IntakeLimitTests(IntakeLimitFactory factory) : IClassFixture<IntakeLimitFactory>
{
    private static object Report(string description = "Light flickers") => new { areaCode = "A204", category = "Lighting", description };

    private static async Task<List<HttpStatusCode>> ReportManyAsync(IEnumerable<HttpClient> clients)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var client in clients)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/tickets", Report())).StatusCode);
        }
        return statuses;
    }

    private async Task<int> TicketCountAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.CountAsync();
    }

    [Fact]
    public async Task BehindTheTrustedProxy_EachReporterHasTheirOwnLimit_NotOneForTheWholeSchool()
    {
        var first = factory.Behind("198.51.100.1");
        var second = factory.Behind("198.51.100.2");

        var firstStatuses = await ReportManyAsync(Enumerable.Repeat(first, IntakeLimitFactory.PerClient + 1));
        var secondStatus = (await second.PostAsJsonAsync("/api/tickets", Report())).StatusCode;

        Assert.Equal(HttpStatusCode.TooManyRequests, firstStatuses[^1]);
        Assert.Equal(HttpStatusCode.Created, secondStatus);
    }

    [Fact]
    public async Task XForwardedFor_FromAnUntrustedPeer_IsIgnored_SoRotatingItEscapesNothing()
    {
        var clients = Enumerable.Range(1, IntakeLimitFactory.PerClient + 1).Select(i => factory.Behind($"192.0.2.{i}", peer: "203.0.113.9"));

        var statuses = await ReportManyAsync(clients);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task AnIpv6Client_IsCountedByIts64_SoRotatingWithinItEscapesNothing()
    {
        var rotating = Enumerable.Range(1, IntakeLimitFactory.PerClient + 1).Select(i => factory.From($"2001:db8:77:1::{i:x}"));

        var statuses = await ReportManyAsync(rotating);
        var neighbour = await factory.From("2001:db8:77:2::1").PostAsJsonAsync("/api/tickets", Report());

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.Created, neighbour.StatusCode);
    }

    [Fact]
    public async Task TheLimitedReporter_IsToldToCallTheOffice_WithItsNumber()
    {
        var client = factory.From("198.51.100.30");

        HttpResponseMessage response = null!;
        for (var i = 0; i <= IntakeLimitFactory.PerClient; i++)
        {
            response = await client.PostAsJsonAsync("/api/tickets", Report());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("call the office at 0571-8888-1234", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvalidReports_SpendNoPermit()
    {
        var client = factory.From("198.51.100.40");
        for (var i = 0; i < IntakeLimitFactory.PerClient + 2; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/tickets", new { areaCode = "A204", category = "Lighting", description = "" })).StatusCode);
        }

        var statuses = await ReportManyAsync(Enumerable.Repeat(client, IntakeLimitFactory.PerClient));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
    }

    [Fact]
    public async Task SignedInStaff_ReportingThroughTheApi_AreNotCountedAsAnonymous()
    {
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var statuses = await ReportManyAsync(Enumerable.Repeat(dispatcher, IntakeLimitFactory.PerClient + 3));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
    }

    [Fact]
    public async Task AnAnonymousJsonBodyOver64KB_IsRefusedWith413_BeforeItIsRead_AndNothingIsStored()
    {
        var before = await TicketCountAsync();
        var json = $"{{\"areaCode\":\"A204\",\"category\":\"Lighting\",\"description\":\"{new string('x', 70 * 1024)}\"}}";
        // Sent chunked, without a Content-Length to trust: the limit is on what is read.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await factory.From("198.51.100.50").PostAsync("/api/tickets", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KB", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task AfterTooManyWrongTrackingCodes_LookupsFromThatNetworkStop_RightCodesIncluded_OthersUnaffected()
    {
        var reporter = factory.From("198.51.100.60");
        var report = await reporter.PostAsJsonAsync("/api/tickets", Report());
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        var created = await report.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var code = created.GetProperty("trackingCode").GetString()!;
        var guesser = factory.From("198.51.100.61");

        for (var i = 0; i < IntakeLimitFactory.TrackingMisses; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await guesser.GetAsync($"/api/tickets/track/ZZZZZZZZ{i:D2}")).StatusCode);
        }
        var api = await guesser.GetAsync($"/api/tickets/track/{code}");
        var page = await guesser.GetAsync($"/track/{code}");
        var confirm = await guesser.PostAsJsonAsync($"/api/tickets/track/{code}/reopen", new { comment = "still broken" });
        var reporterStill = await reporter.GetAsync($"/api/tickets/track/{code}");

        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.NotNull(api.Headers.RetryAfter);
        Assert.Contains("wrong tracking codes", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("wrong tracking codes", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reporterStill.StatusCode);
    }
}

/// <summary>The same app with a low ceiling for all anonymous writes together.</summary>
public sealed class IntakeCeilingFactory : IntakeLimitFactory
{
    public const int Ceiling = 8;

    protected override int Overall => Ceiling;
}

public sealed class OverallIntakeCeilingTests(IntakeCeilingFactory factory) : IClassFixture<IntakeCeilingFactory>
{
    [Fact]
    public async Task ManyAddresses_TogetherMeetTheOverallCeiling_WhileStaffStillReport()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < IntakeCeilingFactory.Ceiling + 2; i++)
        {
            var response = await factory.From($"198.51.100.{100 + i}").PostAsJsonAsync("/api/tickets",
                new { areaCode = "A204", category = "Lighting", description = $"spread flood {i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("very busy", await response.Content.ReadAsStringAsync());
            }
        }
        var staff = await (await factory.SignedInAsync("dispatcher")).PostAsJsonAsync("/api/tickets",
            new { areaCode = "A204", category = "Lighting", description = "Taken by phone" });

        Assert.All(statuses.Take(IntakeCeilingFactory.Ceiling), s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.All(statuses.Skip(IntakeCeilingFactory.Ceiling), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.Created, staff.StatusCode);
    }
}
