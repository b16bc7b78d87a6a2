using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace DispatchBoard.Tests.Integration;

/// <summary>A role taken away reaches the person's open sessions at once, not when their cookie is next checked.</summary>
public sealed class RoleChangeSessionTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<string> UserIdAsync(HttpClient admin, string email)
    {
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users");
        return users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == email).GetProperty("userId").GetString()!;
    }

    private async Task ReportAsync(string description) =>
        (await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode = "A102", category = "Furniture", description })).EnsureSuccessStatusCode();

    private HubConnection Hub(string cookie) => new HubConnectionBuilder()
        .WithUrl(new Uri(factory.Server.BaseAddress, DispatchHub.Path.TrimStart('/')), o =>
        {
            o.Transports = HttpTransportType.LongPolling;
            o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
            o.Headers["Cookie"] = cookie;
        })
        .Build();

    [Fact]
    public async Task StaffRoleRemoved_OpenHubConnection_StopsReceivingTicketChanged_AndCannotReconnect()
    {
        // The hub client cannot share an HttpClient's cookie jar over the test server: pass the cookie as a header.
        var login = await factory.Server.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = "staff2@demo.example", password = DispatchBoard.Testing.TestData.Password });
        login.EnsureSuccessStatusCode();
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
        await using var hub = Hub(cookie);
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<string>();
        hub.On<JsonElement>(DispatchHub.TicketChangedMethod, t =>
        {
            var description = t.GetProperty("description").GetString()!;
            lock (received)
            {
                received.Add(description);
            }
            if (description == "Role test: before")
            {
                before.TrySetResult();
            }
        });
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        await ReportAsync("Role test: before");
        await before.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var admin = await factory.SignedInAsync("admin");
        var staffId = await UserIdAsync(admin, "staff2@demo.example");
        var changed = await admin.PutAsJsonAsync($"/api/admin/users/{staffId}/roles", new { roles = new[] { "Principal" } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        // The connection is closed by the server, not left to receive the next ticket's reporter contact.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await ReportAsync("Role test: after");
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        lock (received)
        {
            Assert.DoesNotContain("Role test: after", received);
        }
        // Connecting again with the same cookie is refused: the cookie now carries the new roles, and the hub wants the board's.
        await using var again = Hub(cookie);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task DemotedAdmin_Cookie_CarriesTheNewRolesOnItsNextRequest()
    {
        var admin = await factory.SignedInAsync("admin");
        var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { email = "deputy@demo.example", name = "Dana Deputy", roles = new[] { "Admin" }, password = DispatchBoard.Testing.TestData.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var deputy = await factory.SignedInAsync("deputy");
        Assert.Equal(HttpStatusCode.OK, (await deputy.GetAsync("/api/admin/users")).StatusCode);

        var demoted = await admin.PutAsJsonAsync($"/api/admin/users/{await UserIdAsync(admin, "deputy@demo.example")}/roles",
            new { roles = new[] { "Dispatcher" } });
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await deputy.GetAsync("/api/admin/users")).StatusCode);
        // Still signed in, as a dispatcher: only the roles changed.
        var me = await deputy.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(["Dispatcher"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await deputy.GetAsync("/api/tickets?open=true")).StatusCode);
    }
}
