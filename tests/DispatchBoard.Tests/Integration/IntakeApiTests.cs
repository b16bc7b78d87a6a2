using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

public sealed class IntakeApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<int> TicketCountAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.CountAsync();
    }

    [Fact]
    public async Task GetAreas_IsAnonymous_AndListsCodesForPickers()
    {
        var areas = await factory.Anonymous().GetFromJsonAsync<JsonElement>("/api/areas");

        var room = areas.EnumerateArray().Single(a => a.GetProperty("code").GetString() == "A204");
        Assert.Equal("Room 204", room.GetProperty("name").GetString());
        Assert.Equal("A-2F", room.GetProperty("parentCode").GetString());
        Assert.Equal("Classroom", room.GetProperty("kind").GetString());
        Assert.Equal("Room", room.GetProperty("level").GetString());
        Assert.True(room.GetProperty("id").GetInt32() > 0);
    }

    [Fact]
    public async Task PostTicket_Returns201_WithLocationAndTrackingCode_AndTrackingWorksAnonymously()
    {
        var client = factory.Anonymous();

        var response = await client.PostAsJsonAsync("/api/tickets", new
        {
            areaCode = "a204", category = "LIGHTING", description = "Lights out in the back", urgent = true,
            reporterName = "Ms. Huang", reporterContact = "ext. 204",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var code = body.GetProperty("trackingCode").GetString()!;
        Assert.Equal("New", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("id").GetInt32() > 0);
        Assert.Equal($"/api/tickets/track/{code}", response.Headers.Location!.OriginalString);

        var tracked = await client.GetAsync(response.Headers.Location);
        var json = await tracked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.Contains("\"status\":\"New\"", json);
        Assert.Contains("\"priority\":\"Urgent\"", json);
        Assert.DoesNotContain("Huang", json);
        Assert.DoesNotContain("ext. 204", json);
    }

    [Fact]
    public async Task TrackUnknownCode_Is404ProblemDetails()
    {
        var response = await factory.Anonymous().GetAsync("/api/tickets/track/0000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TrackPage_UnknownCode_IsAFriendly404Page()
    {
        var response = await factory.Anonymous().GetAsync("/track/0000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("couldn&#x27;t find that", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("tracking code", html);
    }

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        { "unknown area", """{"areaCode":"NOPE","category":"Lighting","description":"x"}""", "areaCode" },
        { "missing area", """{"category":"Lighting","description":"x"}""", "areaCode" },
        { "empty description", """{"areaCode":"A204","category":"Lighting","description":"  "}""", "description" },
        { "over-long description", $$"""{"areaCode":"A204","category":"Lighting","description":"{{new string('d', 2001)}}"}""", "description" },
        { "over-long name", $$"""{"areaCode":"A204","category":"Lighting","description":"x","reporterName":"{{new string('n', 101)}}"}""", "reporterName" },
        { "over-long contact", $$"""{"areaCode":"A204","category":"Lighting","description":"x","reporterContact":"{{new string('c', 101)}}"}""", "reporterContact" },
        { "unknown category", """{"areaCode":"A204","category":"Magic","description":"x"}""", "category" },
        { "numeric category", """{"areaCode":"A204","category":"3","description":"x"}""", "category" },
        { "malformed JSON", """{"areaCode":"A204","category":""", "body" },
        { "wrong type", """{"areaCode":"A204","category":"Lighting","description":"x","urgent":"very"}""", "urgent" },
        { "not an object", "[1,2]", "body" },
        { "empty body", "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task PostTicket_BadInput_Is400NamingTheField_AndStoresNothing(string why, string body, string field)
    {
        var before = await TicketCountAsync();

        var response = await factory.Anonymous().PostAsync("/api/tickets", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{why}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task PostTicket_WrongContentType_Is400_AndStoresNothing()
    {
        var before = await TicketCountAsync();

        var response = await factory.Anonymous().PostAsync("/api/tickets",
            new StringContent("areaCode=A204&category=Lighting&description=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await TicketCountAsync());
    }
}

public sealed class IntakeRateLimitTests(TightIntakeFactory factory) : IClassFixture<TightIntakeFactory>
{
    [Fact]
    public async Task PostTicket_OverTheLimitFromOneAddress_Is429_WithRetryAfter()
    {
        var client = factory.Anonymous();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < TightIntakeFactory.Limit + 2; i++)
        {
            var response = await client.PostAsJsonAsync("/api/tickets", new { areaCode = "A204", category = "Other", description = $"report {i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("Too many reports", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Created, TightIntakeFactory.Limit), statuses.Take(TightIntakeFactory.Limit));
        Assert.All(statuses.Skip(TightIntakeFactory.Limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }
}
