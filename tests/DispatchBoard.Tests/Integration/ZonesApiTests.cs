using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

public sealed class ZonesApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(int Id, string Code)> ReportAsync(string area = "B101", string description = "Dripping tap")
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode = area, category = "Plumbing", description });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task EscalationLoop_OverHttp_StaffEscalates_PrincipalDecides_ReporterSeesIt_AndConfirms()
    {
        var (id, code) = await ReportAsync();
        var li = await factory.SignedInAsync("staff2");
        var principal = await factory.SignedInAsync("principal");
        Assert.Equal(HttpStatusCode.OK, (await li.PostAsync($"/api/tickets/{id}/claim", null)).StatusCode);

        var escalated = await li.PostAsync($"/api/tickets/{id}/escalate", Json("""{"reason":"Purchase","note":"New mixer tap, 150 yuan"}"""));
        Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);
        Assert.Equal("Escalated", (await BodyAsync(escalated)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await li.GetAsync("/api/escalations")).StatusCode);

        var inbox = await BodyAsync(await principal.GetAsync("/api/escalations"));
        var item = inbox.EnumerateArray().Single(i => i.GetProperty("ticket").GetProperty("ticket").GetProperty("id").GetInt32() == id);
        var escalationId = item.GetProperty("escalation").GetProperty("id").GetInt32();
        Assert.Equal("Purchase", item.GetProperty("escalation").GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await li.PostAsync($"/api/escalations/{escalationId}/decision", Json("""{"decision":"Approved"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await principal.PostAsync($"/api/escalations/{escalationId}/decision", Json("""{"decision":"Maybe"}"""))).StatusCode);
        var approved = await principal.PostAsync($"/api/escalations/{escalationId}/decision", Json("""{"decision":"Approved","note":"Buy it."}"""));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var track = await factory.Anonymous().GetFromJsonAsync<JsonElement>($"/api/tickets/track/{code}");
        var last = track.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("Approved", last.GetProperty("kind").GetString());
        Assert.Equal("Buy it.", last.GetProperty("note").GetString());

        await li.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"OnSite"}"""));
        await li.PostAsync($"/api/tickets/{id}/transition", Json("""{"to":"Resolved","note":"Fitted the new tap"}"""));
        var badRating = await factory.Anonymous().PostAsync($"/api/tickets/track/{code}/confirm", Json("""{"rating":9}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badRating.StatusCode);
        var confirmed = await factory.Anonymous().PostAsync($"/api/tickets/track/{code}/confirm", Json("""{"rating":4,"comment":"Works"}"""));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var closed = await factory.Anonymous().GetFromJsonAsync<JsonElement>($"/api/tickets/track/{code}");
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal(4, closed.GetProperty("rating").GetInt32());
    }

    [Fact]
    public async Task Notifications_AreListedAndMarkedRead_ForTheSignedInUserOnly()
    {
        await ReportAsync("A204", "Lamp flickers"); // routed to Wang Lei (staff1), who is on duty
        var wang = await factory.SignedInAsync("staff1");

        var mine = await wang.GetFromJsonAsync<JsonElement>("/api/notifications");
        Assert.True(mine.GetProperty("unread").GetInt32() >= 1);
        var first = mine.GetProperty("items").EnumerateArray().First(n => n.GetProperty("body").GetString() == "Lamp flickers");
        Assert.Equal("Routed", first.GetProperty("kind").GetString());

        Assert.Equal(HttpStatusCode.OK, (await wang.PostAsync($"/api/notifications/{first.GetProperty("id").GetInt64()}/read", null)).StatusCode);
        await wang.PostAsync("/api/notifications/read-all", null);
        Assert.Equal(0, (await wang.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("unread").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Anonymous().GetAsync("/api/notifications")).StatusCode);
    }

    [Fact]
    public async Task Photos_StaffAndPrincipalSeeThem_TheReporterOnlyThroughTheirCode_OthersNot()
    {
        var result = await factory.Services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A102", "Furniture", "Broken stool", false, null, null, Photos: [new PhotoUpload("stool.png", TestImages.Png(5, 5))]),
            TicketChannel.Web, null);
        var code = result.Value!.TrackingCode;
        var photoId = (await factory.Services.GetRequiredService<TicketQueries>().GetDetailAsync(result.Value.Id))!.Photos.Single().Id;
        var (_, otherCode) = await ReportAsync();

        var asStaff = await (await factory.SignedInAsync("staff1")).GetAsync($"/photos/{photoId}");
        var asPrincipal = await (await factory.SignedInAsync("principal")).GetAsync($"/photos/{photoId}");
        var anonymous = await factory.Anonymous().GetAsync($"/photos/{photoId}");
        var reporter = await factory.Anonymous().GetAsync($"/track/{code}/photos/{photoId}");
        var wrongCode = await factory.Anonymous().GetAsync($"/track/{otherCode}/photos/{photoId}");

        Assert.Equal(HttpStatusCode.OK, asStaff.StatusCode);
        // Stored re-encoded, never as sent.
        Assert.Equal("image/jpeg", asStaff.Content.Headers.ContentType?.MediaType);
        using var served = SkiaSharp.SKBitmap.Decode(await asStaff.Content.ReadAsByteArrayAsync());
        Assert.Equal((5, 5), (served.Width, served.Height));
        Assert.Equal(HttpStatusCode.OK, asPrincipal.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reporter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongCode.StatusCode);
    }

    [Fact]
    public async Task AreaImport_OverHttp_BadFileIs400WithRows_GoodFileImports_AndQrPointsAtTheReportLink()
    {
        var admin = await factory.SignedInAsync("admin");
        admin.DefaultRequestHeaders.Add("X-Requested-With", "DispatchBoard");
        var bad = await admin.PostAsync("/api/areas/import",
            new StringContent("code,name,parentCode,kind,ownerEmail,backupEmail\nZ1,Good,MAIN,,,\nZ2,,MAIN,,,\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Row 3 (Z2): name is empty.", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/areas/Z1/qr.svg")).StatusCode);

        var good = await admin.PostAsync("/api/areas/import",
            new StringContent("code,name,parentCode,kind,ownerEmail,backupEmail\nZ1,Garden,MAIN,playground,,\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(1, (await BodyAsync(good)).GetProperty("created").GetInt32());
        var qr = await admin.GetAsync("/api/areas/Z1/qr.svg");
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await factory.SignedInAsync("dispatcher")).PostAsync("/api/areas/import",
            new StringContent("x", Encoding.UTF8, "text/csv"))).StatusCode);
    }

    [Fact]
    public async Task DeactivatedUser_LosesAccessAtOnce_OpenSessionAndHubIncluded_AndTheirJobsGoBackToTheQueue()
    {
        var (id, _) = await ReportAsync("GATE", "Gate latch broken");
        var liu = await factory.SignedInAsync("staff4");
        Assert.Equal(HttpStatusCode.OK, (await liu.PostAsync($"/api/tickets/{id}/claim", null)).StatusCode);
        var login = await factory.Server.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "staff4@demo.example", password = TestData.Password });
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, DispatchHub.Path.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Headers["Cookie"] = cookie;
            })
            .Build();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        var admin = await factory.SignedInAsync("admin");
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users");
        var liuId = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "staff4@demo.example").GetProperty("userId").GetString();

        var deactivated = await admin.PostAsync($"/api/admin/users/{liuId}/active", Json("""{"active":false}"""));

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await liu.GetAsync("/api/tickets?open=true")).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var again = await factory.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "staff4@demo.example", password = TestData.Password });
        // Answered like a wrong password: the sign-in tells nobody that the account exists or was deactivated.
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await again.Content.ReadAsStringAsync());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.Null(ticket.ClaimedById);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/users/{users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "admin@demo.example").GetProperty("userId").GetString()}/active",
            Json("""{"active":false}"""))).StatusCode);
    }
}
