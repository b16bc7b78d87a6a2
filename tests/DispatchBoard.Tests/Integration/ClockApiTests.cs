using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Realtime;
using Hangfire;
using Hangfire.Storage;
using Ical.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DispatchBoard.Tests.Integration;

public sealed class ClockApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public void TestHost_WithJobsDisabled_RunsNoHangfireServer_AndRegistersNoRecurringJob()
    {
        var hosted = factory.Services.GetServices<IHostedService>().ToList();
        var storage = factory.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();

        Assert.Contains(hosted, s => s is DatabaseInitializer);
        Assert.DoesNotContain(hosted, s => s is JobRegistrar or BackgroundJobServerHostedService);
        Assert.Empty(storage.GetMonitoringApi().Servers());
        Assert.Empty(connection.GetRecurringJobs());
    }

    [Fact]
    public async Task HazardMarkedInARound_AppearsLiveForHubClients_AsAnInspectionTicket()
    {
        // Any week: the round schedule "every minute" makes this week's rounds exist now.
        await factory.Services.GetRequiredService<InspectionService>().CreateWeekAsync("* * * * *");
        var rounds = await (await factory.SignedInAsync("staff4")).GetFromJsonAsync<JsonElement>("/api/rounds");
        var playground = rounds.EnumerateArray().Single(r => r.GetProperty("areaName").GetString() == "Playground");
        var round = await (await factory.SignedInAsync("staff4")).GetFromJsonAsync<JsonElement>($"/api/rounds/{playground.GetProperty("id").GetInt32()}");
        var itemId = round.GetProperty("items")[0].GetProperty("id").GetInt32();

        var login = await factory.Server.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "dispatcher@demo.example", password = TestData.Password });
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, DispatchHub.Path.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Headers["Cookie"] = cookie;
            }).Build();
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>(DispatchHub.TicketChangedMethod, t =>
        {
            if (t.GetProperty("channel").GetString() == "Inspection")
            {
                received.TrySetResult(t);
            }
        });
        await hub.StartAsync();
        var staff = await factory.SignedInAsync("staff4");

        var bad = await staff.PostAsync($"/api/rounds/items/{itemId}", Json("""{"result":"Hazard"}"""));
        var response = await staff.PostAsync($"/api/rounds/items/{itemId}", Json("""{"result":"hazard","hazard":"Slide has a sharp edge","urgent":true}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"hazard\"", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("New", ticket.GetProperty("status").GetString());
        Assert.Equal("SafetyHazard", ticket.GetProperty("category").GetString());
        Assert.Equal("Urgent", ticket.GetProperty("priority").GetString());
        Assert.Contains("Slide has a sharp edge", ticket.GetProperty("description").GetString());
        Assert.Equal(ticket.GetProperty("id").GetInt32(), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetInt32());
    }

    [Fact]
    public async Task CalendarFeed_OverHttp_IsAnIcsWithTheNextMeetings_UnknownTokenIs404()
    {
        await factory.Services.GetRequiredService<MeetingScheduler>().CreateOneOffAsync(
            new OneOffInput("Stairwell lighting review", DateTimeOffset.UtcNow.AddDays(3), 30, "Staff Room", null, ["Staff"]),
            new DispatchBoard.Web.Auth.Actor("test", "Test", CanDispatch: true));
        var wang = await factory.SignedInAsync("staff1");
        var url = (await (await wang.PostAsync("/api/me/calendar-token", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;

        var feed = await factory.Anonymous().GetAsync(new Uri(url).PathAndQuery);
        var unknown = await factory.Anonymous().GetAsync("/calendar/00000000000000000000000000000000deadbeef.ics");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var calendar = Calendar.Load(await feed.Content.ReadAsStringAsync())!;
        Assert.Contains(calendar.Events, e => e.Summary == "Stairwell lighting review" && e.Location == "Staff Room");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
