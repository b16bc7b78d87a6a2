using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DispatchBoard.Tests.Integration;

public sealed class DuplicateApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<(int Id, string TrackingCode)> ReportAsync(string area)
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode = area, category = "Plumbing", description = "Dripping tap" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
    }

    [Fact]
    public async Task AlreadyReported_GivesPublicWordsOnly_OrNoContent()
    {
        var (id, code) = await ReportAsync("B-2F-WC");
        var client = factory.Anonymous();

        var offer = await client.GetAsync("/api/tickets/already-reported?areaCode=B-2F-WC&category=Plumbing");
        var none = await client.GetAsync("/api/tickets/already-reported?areaCode=B-2F-WC&category=Cleaning");
        var bad = await client.GetAsync("/api/tickets/already-reported?areaCode=nowhere&category=Plumbing");

        Assert.Equal(HttpStatusCode.OK, offer.StatusCode);
        var text = await offer.Content.ReadAsStringAsync();
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(id, body.GetProperty("ticketId").GetInt32());
        Assert.Equal("waiting for a caretaker", body.GetProperty("state").GetString());
        Assert.DoesNotContain(code, text);
        Assert.DoesNotContain("Dripping", text);
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("areaCode", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MeToo_NeedsTheScriptHeader_ThenGivesItsOwnTrackingCode()
    {
        var (id, _) = await ReportAsync("B-3F-WC");
        var client = factory.Anonymous();
        var body = new { ticketId = id, areaCode = "B-3F-WC", category = "Plumbing", reporterName = "Lily" };

        var withoutHeader = await client.PostAsJsonAsync("/api/tickets/me-too", body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets/me-too") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Requested-With", "DispatchBoard");
        var added = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Contains("X-Requested-With", await withoutHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var code = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingCode").GetString();
        var tracked = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/track/{code}");
        Assert.Equal("New", tracked.GetProperty("status").GetString());
        Assert.Equal(code, tracked.GetProperty("trackingCode").GetString());
    }
}
