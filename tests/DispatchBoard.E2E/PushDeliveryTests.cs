using System.Text.Json;
using System.Text.RegularExpressions;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// A report reaches a staff member's phone through Web Push, end to end: the app's own page subscribes (Chromium here
/// cannot reach a real push service, so <c>PushManager.subscribe</c> hands back a subscription of the test's push
/// service, whose keys the test holds), the server encrypts and signs the alert for that push service, the test
/// decrypts it as a browser would and gives it to the phone's service worker, and the notification opens the ticket.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PushDeliveryTests(AppFixture app) : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "dispatchboard-e2e-profile", Guid.NewGuid().ToString("N"));

    static PushDeliveryTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task UrgentReport_ReachesTheOwnersPhoneAsAPush_ThatShowsWithClaim_AndOpensTheTicket()
    {
        await using var pushService = await TestPushService.StartAsync();
        using var device = new TestDevice(pushService.Url("wang-phone"));
        var keys = device.Request().Keys!;
        await using var phone = await app.PhoneWithProfileAsync(_profile);
        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        await phone.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        await app.SignInAsync(phone, "staff1");
        var serverKey = (await (await phone.APIRequest.GetAsync("/api/push/key")).JsonAsync())!.Value.GetProperty("publicKey").GetString()!;

        // The browser's push service, replaced: subscribe must be given the app's VAPID key and answers with the test's device.
        await phone.AddInitScriptAsync($$"""
            (() => {
                const endpoint = {{JsonSerializer.Serialize(device.Endpoint)}}, p256dh = {{JsonSerializer.Serialize(keys.P256dh)}}, auth = {{JsonSerializer.Serialize(keys.Auth)}};
                const expectedKey = {{JsonSerializer.Serialize(serverKey)}};
                const toBase64Url = (key) => btoa(String.fromCharCode(...new Uint8Array(key.buffer ?? key))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
                let current = null;
                PushManager.prototype.getSubscription = async function () { return current; };
                PushManager.prototype.subscribe = async function (options) {
                    window.__subscribedWithKey = toBase64Url(options.applicationServerKey);
                    if (window.__subscribedWithKey !== expectedKey) throw new DOMException("Not the app's VAPID key", "InvalidAccessError");
                    current = {
                        endpoint, expirationTime: null, options: { userVisibleOnly: options.userVisibleOnly, applicationServerKey: options.applicationServerKey },
                        toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
                        unsubscribe: async () => { current = null; return true; },
                    };
                    return current;
                };
            })();
            """);
        var page = phone.Pages.Count > 0 ? phone.Pages[0] : await phone.NewPageAsync();
        await page.GotoAsync("/my");
        await ServiceWorkers.WaitForControlAsync(page);
        await Pages.WaitForCircuitAsync(page);

        // Wang Lei turns alerts on with the app's own button; the app carries the subscription to the server.
        await Expect(page.Locator("[data-testid='device-alerts'][data-state='off']")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "31-phone-alert-me");
        await page.Locator("[data-testid='enable-alerts']").ClickAsync();
        await Expect(page.Locator("[data-testid='device-alerts'][data-state='on']")).ToBeVisibleAsync();
        Assert.Equal(serverKey, await page.EvaluateAsync<string>("() => window.__subscribedWithKey"));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var wang = await db.Users.SingleAsync(u => u.Email == "staff1@demo.example");
            var subscription = await db.PushSubscriptions.SingleAsync(s => s.Endpoint == device.Endpoint);
            Assert.Equal((wang.Id, "Chrome on Linux"), (subscription.UserId, subscription.Label));
            await db.Staff.Where(s => s.UserId == wang.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnDuty, true));
        }
        var push = await PushProbe.AttachAsync(phone, page, app.BaseAddress);

        // An urgent report in his building, from a teacher's phone: routed to him, pushed to his phone.
        await using var teacher = await app.PhoneAsync();
        var report = await teacher.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = "A204", category = "Lighting", description = "E2E push: every light in the room is out", urgent = true },
        });
        Assert.Equal(201, report.Status);
        var ticketId = (await report.JsonAsync())!.Value.GetProperty("id").GetInt32();
        // Wang is on duty with his phone subscribed in a school that earlier tests left jobs in: the sweeps may push
        // those to him too. This ticket's pushes are the ones whose link opens it.
        var url = $"/my?ticket={ticketId}";
        IReadOnlyList<TestPushService.Received> ForThisTicket() =>
            pushService.For("wang-phone")
                .Where(r => device.Decrypt(r.Body).TryGetProperty("url", out var link) && link.GetString() == url).ToList();
        await pushService.WaitForAsync(_ => ForThisTicket().Count > 0);
        var received = Assert.Single(ForThisTicket());

        var vapid = TestDevice.VerifyVapid(received.Headers["Authorization"]);
        Assert.Equal(serverKey, vapid.Key);
        Assert.Equal("high", received.Headers["Urgency"]);
        var payload = device.Decrypt(received.Body);
        Assert.Equal("URGENT: Lighting & electrical in Room 204", payload.GetProperty("title").GetString());
        Assert.Equal($"/my?ticket={ticketId}", payload.GetProperty("url").GetString());
        Assert.True(payload.GetProperty("claim").GetBoolean());

        // The push service hands the decrypted message to the phone: the service worker shows it, with Claim.
        var shown = Assert.Single(await push.PushAsync(payload), n => n.Tag == $"ticket-{ticketId}");
        Assert.Equal(("URGENT: Lighting & electrical in Room 204", "E2E push: every light in the room is out"), (shown.Title, shown.Body));
        Assert.Equal(["claim"], shown.Actions);

        // A tap on it opens the ticket.
        await push.ClickAsync($"ticket-{ticketId}");
        await Expect(page).ToHaveURLAsync(new Regex($@"/my\?ticket={ticketId}$"));
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("E2E push: every light in the room is out");
        await app.ScreenshotAsync(page, "32-phone-ticket-opened-from-alert");

        // One alert, one push: nothing else reaches this device for it.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId);
            Assert.Equal(TicketStatus.New, ticket.Status);
        }
        Assert.Single(ForThisTicket());
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_profile))
            {
                Directory.Delete(_profile, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
