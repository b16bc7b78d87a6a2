using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Http.Connections;

namespace DispatchBoard.Tests.Integration;

public sealed class StaffApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<(int Id, string Code)> ReportAsync(string description = "Broken stool")
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode = "A102", category = "Furniture", description });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static TheoryData<string, string> StaffEndpoints() => new()
    {
        { "GET", "/api/tickets?open=true" },
        { "GET", "/api/tickets/1" },
        { "POST", "/api/tickets/1/claim" },
        { "POST", "/api/tickets/1/transition" },
        { "POST", "/api/tickets/1/assign" },
        { "GET", "/api/staff" },
        { "POST", "/api/staff/me/duty" },
        { "GET", "/api/auth/me" },
        { "POST", "/hubs/dispatch/negotiate?negotiateVersion=1" },
    };

    [Theory]
    [MemberData(nameof(StaffEndpoints))]
    public async Task StaffApis_Anonymous_Are401(string method, string url)
    {
        var response = await factory.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("{}") });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Assign_AsStaff_Is403_AsDispatcher_Is200()
    {
        var (id, _) = await ReportAsync();
        var staff = await factory.SignedInAsync("staff1");
        var dispatcher = await factory.SignedInAsync("dispatcher");
        var people = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff");
        var liNa = people.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Li Na").GetProperty("id").GetInt32();

        var asStaff = await staff.PostAsync($"/api/tickets/{id}/assign", Json($$"""{"staffId":{{liNa}}}"""));
        var asDispatcher = await dispatcher.PostAsync($"/api/tickets/{id}/assign", Json($$"""{"staffId":{{liNa}}}"""));

        Assert.Equal(HttpStatusCode.Forbidden, asStaff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asDispatcher.StatusCode);
        var ticket = await asDispatcher.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Claimed", ticket.GetProperty("status").GetString());
        Assert.Equal("Li Na", ticket.GetProperty("claimedBy").GetString());
    }

    [Fact]
    public async Task TwentyConcurrentClaims_ExactlyOne200_Others409WithWhoHasIt()
    {
        var (id, _) = await ReportAsync();
        var clients = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => factory.SignedInAsync($"staff{i}")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => clients[i % 4].PostAsync($"/api/tickets/{id}/claim", null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var winner = await responses.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>();
        var claimedBy = winner.GetProperty("claimedBy").GetString();
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            var detail = (await loser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            Assert.True(detail == $"Already claimed by {claimedBy}." || detail == "You have already claimed this ticket.", detail);
        }
    }

    [Fact]
    public async Task Transition_InvalidMoves_Are409_OthersTickets403_BadInput400()
    {
        var (id, _) = await ReportAsync();
        var wang = await factory.SignedInAsync("staff1");
        var li = await factory.SignedInAsync("staff2");

        var resolveUnclaimed = await wang.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"Resolved","note":"done"}"""));
        Assert.Equal(HttpStatusCode.Conflict, resolveUnclaimed.StatusCode);
        Assert.Contains("not been claimed", await resolveUnclaimed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await wang.PostAsync($"/api/tickets/{id}/claim", null)).StatusCode);
        var othersTicket = await li.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"onsite"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, othersTicket.StatusCode);
        Assert.Contains("Wang Lei", await othersTicket.Content.ReadAsStringAsync());

        var badStatus = await wang.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"Fixed"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("\"to\"", await badStatus.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await wang.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"OnSite"}"""))).StatusCode);
        var noNote = await wang.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"Resolved"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        var resolved = await wang.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"resolved","note":"Glued the leg"}"""));
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);

        var claimResolved = await li.PostAsync($"/api/tickets/{id}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, claimResolved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wang.PostAsync("/api/tickets/999999/claim", null)).StatusCode);
    }

    [Fact]
    public async Task OpenSnapshot_ListsOnlyOpenTickets_WithVersions()
    {
        var (id, _) = await ReportAsync();
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var open = await dispatcher.GetFromJsonAsync<JsonElement>("/api/tickets?open=true");

        Assert.All(open.EnumerateArray(), t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "New", "Claimed", "OnSite", "Escalated" }));
        var mine = open.EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == id);
        Assert.Equal(1, mine.GetProperty("version").GetInt32());
        Assert.Equal("Room 102", mine.GetProperty("areaName").GetString());
    }

    [Fact]
    public async Task Duty_StaffTogglesTheirOwnDuty_DispatcherHasNone()
    {
        var liu = await factory.SignedInAsync("staff4");

        var on = await liu.PostAsync("/api/staff/me/duty", Json("""{"onDuty":true}"""));
        var missing = await liu.PostAsync("/api/staff/me/duty", Json("{}"));
        var dispatcher = await (await factory.SignedInAsync("dispatcher")).PostAsync("/api/staff/me/duty", Json("""{"onDuty":true}"""));

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("onDuty").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dispatcher.StatusCode);
    }

    [Fact]
    public async Task Report_Then_HubClientReceivesTicketChanged_WithTheDto()
    {
        // The hub client cannot share an HttpClient's cookie jar over the test server: pass the cookie as a header.
        var login = await factory.Server.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = "dispatcher@demo.example", password = DispatchBoard.Testing.TestData.Password });
        var authCookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, DispatchHub.Path.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Headers["Cookie"] = authCookie;
            })
            .Build();
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>(DispatchHub.TicketChangedMethod, t =>
        {
            if (t.GetProperty("description").GetString() == "Hub test: leaking dispenser")
            {
                received.TrySetResult(t);
            }
        });
        await hub.StartAsync();

        var (id, code) = await ReportAsync("Hub test: leaking dispenser");

        var ticket = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, ticket.GetProperty("id").GetInt32());
        Assert.Equal(code, ticket.GetProperty("trackingCode").GetString());
        Assert.Equal("New", ticket.GetProperty("status").GetString());
        Assert.Equal(1, ticket.GetProperty("version").GetInt32());
        Assert.Equal("Room 102", ticket.GetProperty("areaName").GetString());
        Assert.Equal("Furniture", ticket.GetProperty("category").GetString());
        Assert.Equal("Normal", ticket.GetProperty("priority").GetString());
        Assert.True(ticket.TryGetProperty("claimedBy", out _));
        Assert.True(ticket.TryGetProperty("reportedAt", out _));
        Assert.True(ticket.TryGetProperty("areaId", out _));
    }
}
