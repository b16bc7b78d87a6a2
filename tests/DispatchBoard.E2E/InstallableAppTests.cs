using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// DispatchBoard as an installed app on a phone: Chromium finds it installable, a page opened without a network shows
/// the offline page (which brings the board back by itself), and the service worker turns a push into a notification
/// whose click opens the ticket and whose Claim action claims it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InstallableAppTests(AppFixture app, ITestOutputHelper output) : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "dispatchboard-e2e-profile", Guid.NewGuid().ToString("N"));

    static InstallableAppTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task Phone_FindsTheAppInstallable_ManifestIconsAndServiceWorkerAreAllThere()
    {
        await using var phone = await app.PhoneWithProfileAsync(_profile);
        await app.SignInAsync(phone, "staff1");
        var page = phone.Pages.Count > 0 ? phone.Pages[0] : await phone.NewPageAsync();
        await page.GotoAsync("/my");
        await ServiceWorkers.WaitForControlAsync(page);
        var cdp = await phone.NewCDPSessionAsync(page);

        var manifest = (await cdp.SendAsync("Page.getAppManifest"))!.Value;
        Assert.EndsWith("/manifest.webmanifest", manifest.GetProperty("url").GetString());
        Assert.Empty(manifest.GetProperty("errors").EnumerateArray());
        // Chromium's own reading of it (its enum names: "kStandalone"; short_name and lang are not reported here).
        var parsed = manifest.GetProperty("manifest");
        Assert.Equal(app.BaseAddress.ToString(), parsed.GetProperty("id").GetString());
        Assert.Equal(new Uri(app.BaseAddress, "/my").ToString(), parsed.GetProperty("startUrl").GetString());
        Assert.Equal(app.BaseAddress.ToString(), parsed.GetProperty("scope").GetString());
        Assert.Equal("kStandalone", parsed.GetProperty("display").GetString());
        Assert.Equal("DispatchBoard", parsed.GetProperty("name").GetString());
        Assert.Equal("rgba(30,90,168,1)", parsed.GetProperty("themeColor").GetString());
        Assert.Equal(3, parsed.GetProperty("icons").GetArrayLength());

        var installability = (await cdp.SendAsync("Page.getInstallabilityErrors"))!.Value;
        Assert.Equal("[]", installability.GetProperty("installabilityErrors").GetRawText());

        var raw = JsonDocument.Parse(manifest.GetProperty("data").GetString()!).RootElement;
        Assert.Equal("Dispatch", raw.GetProperty("short_name").GetString());
        Assert.Equal("en", raw.GetProperty("lang").GetString());
        Assert.False(string.IsNullOrWhiteSpace(raw.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(raw.GetProperty("background_color").GetString()));
        var icons = raw.GetProperty("icons").EnumerateArray()
            .Select(i => (Src: i.GetProperty("src").GetString()!, Sizes: i.GetProperty("sizes").GetString()!, Purpose: i.GetProperty("purpose").GetString()!))
            .ToList();
        Assert.Contains(icons, i => i is { Sizes: "192x192", Purpose: "any" });
        Assert.Contains(icons, i => i is { Sizes: "512x512", Purpose: "any" });
        Assert.Contains(icons, i => i is { Sizes: "512x512", Purpose: "maskable" });
        foreach (var (src, sizes, _) in icons)
        {
            var side = int.Parse(sizes.Split('x')[0]);
            await AssertPngAsync(phone, src, side);
        }
        var appleIcon = await page.Locator("link[rel='apple-touch-icon']").GetAttributeAsync("href");
        await AssertPngAsync(phone, "/" + appleIcon!.TrimStart('/'), 180);
        await AssertPngAsync(phone, "/icons/badge-96.png", 96);

        foreach (var path in new[] { "/sw.js", "/manifest.webmanifest" })
        {
            var response = await phone.APIRequest.GetAsync(path);
            Assert.Equal(200, response.Status);
            Assert.Equal("no-cache", response.Headers["cache-control"]);
        }
    }

    [Fact]
    public async Task Offline_APageShowsTheOfflinePage_TheApiIsNotAnsweredForTheServer_AndTheBoardComesBackByItself()
    {
        await using var phone = await app.PhoneAsync();
        await app.SignInAsync(phone, "dispatcher");
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/board");
        await ServiceWorkers.WaitForControlAsync(page);
        await Expect(page.Locator("[data-column='New']")).ToBeVisibleAsync();

        await phone.SetOfflineAsync(true);
        try
        {
            await page.GotoAsync("/board");
            await Expect(page.Locator("[data-testid='offline']")).ToContainTextAsync("You are offline; the board comes back by itself");
            Assert.EndsWith("/board", page.Url);
            var me = await page.EvaluateAsync<string>(
                "() => fetch('/api/auth/me', { credentials: 'same-origin' }).then(r => `answered ${r.status}`, e => `failed: ${e.name}`)");
            Assert.Equal("failed: TypeError", me);
            await app.ScreenshotAsync(page, "30-phone-offline");
        }
        finally
        {
            await phone.SetOfflineAsync(false);
        }

        await Expect(page.Locator("[data-column='New']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid='offline']")).ToHaveCountAsync(0);
        Assert.EndsWith("/board", page.Url);
        // Pages and API answers never go into a cache: the worker keeps the offline page and nothing else.
        var cached = await page.EvaluateAsync<string[]>("""
            async () => (await Promise.all((await caches.keys()).map(async name =>
                (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)))).flat()
            """);
        Assert.Equal(["/offline.html"], cached);
    }

    [Fact]
    public async Task Push_ShowsTheAlertWithItsClaimAction_AndTheNextAlertAboutTheTicketReplacesIt()
    {
        var (phone, _, push) = await StaffPhoneReadyForPushAsync("staff1");
        await using var _ = phone;

        var shown = await push.PushAsync(Payload(9001, "URGENT: Lighting in Room 204", "The lights at the back won't turn on.", claim: true));
        var alert = Assert.Single(shown);
        Assert.Equal("URGENT: Lighting in Room 204", alert.Title);
        Assert.Equal("The lights at the back won't turn on.", alert.Body);
        Assert.Equal("ticket-9001", alert.Tag);
        Assert.Equal("/my?ticket=9001", alert.Url);
        Assert.Equal(["claim"], alert.Actions);

        shown = await push.PushAsync(Payload(9001, "Overdue: Lighting in Room 204", null, claim: false) with { Kind = "Overdue", AlertId = 9002 });
        var replaced = Assert.Single(shown);
        Assert.Equal("Overdue: Lighting in Room 204", replaced.Title);
        Assert.Equal("ticket-9001", replaced.Tag);
        Assert.Equal("", replaced.Body);
        Assert.Empty(replaced.Actions);

        shown = await push.PushAsync(Payload(9003, "Reminder: safety round", "Building A this week.", claim: false) with { Tag = "alert-77", Kind = "Reminder", TicketId = null, Url = "/my" });
        Assert.Equal(["alert-77", "ticket-9001"], shown.Select(n => n.Tag).Order());
    }

    [Fact]
    public async Task NotificationClick_OpensTheTicket_ClaimClaimsItForTheStaffMember_AndASecondClaimSaysWhoHasIt()
    {
        var (phone, page, push) = await StaffPhoneReadyForPushAsync("staff1");
        await using var _ = phone;

        // A click on the alert itself opens the ticket in the open window.
        await push.PushAsync(Payload(9100, "Furniture in Room 204", "A stool is broken.", claim: false));
        await push.ClickAsync("ticket-9100");
        await Expect(page).ToHaveURLAsync(new Regex(@"/my\?ticket=9100$"));
        await ServiceWorkers.WaitForControlAsync(page);
        await push.WaitUntilGoneAsync("ticket-9100");

        // "Claim" on an urgent report claims it for the person signed in on this phone.
        var report = await phone.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = "A204", category = "Lighting", description = "E2E push: the lights at the back are out", urgent = true, locationDetail = "back row" },
        });
        Assert.Equal(201, report.Status);
        var id = (await report.JsonAsync())!.Value.GetProperty("id").GetInt32();
        var tag = $"ticket-{id}";
        // For a staff member who reads Chinese: the worker's own words come with the alert, in their language.
        var urgent = Payload(id, "紧急：Room 204的照明与电气", "The lights at the back are out", claim: true)
            with { Words = Web.Push.PushWords.In(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans")) };
        Assert.Equal(["claim"], Assert.Single(await push.PushAsync(urgent), n => n.Tag == tag).Actions);

        var claimed = Assert.Single(await push.ClickForAnswerAsync(tag, "claim"), n => n.Tag == tag);
        Assert.Equal("已接单，请前往 Room 204, back row", claimed.Title);
        Assert.Equal($"/my?ticket={id}", claimed.Url);
        Assert.Empty(claimed.Actions);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var ticket = await db.Tickets.Include(t => t.ClaimedBy).SingleAsync(t => t.Id == id);
            Assert.Equal(TicketStatus.Claimed, ticket.Status);
            Assert.Equal("Wang Lei", ticket.ClaimedBy!.DisplayName);
        }

        // Pressing Claim again says why not: to the one who has it, and to a colleague (signed in on this phone now).
        // An alert without the worker's words (sent before they were) is answered in English.
        urgent = urgent with { Words = null };
        await push.PushAsync(urgent);
        var refused = Assert.Single(await push.ClickForAnswerAsync(tag, "claim"), n => n.Tag == tag);
        Assert.Equal(("Could not claim", "You have already claimed this ticket."), (refused.Title, refused.Body));
        await app.SignInAsync(phone, "staff2");
        await push.PushAsync(urgent);
        refused = Assert.Single(await push.ClickForAnswerAsync(tag, "claim"), n => n.Tag == tag);
        Assert.Equal(("Could not claim", "Already claimed by Wang Lei."), (refused.Title, refused.Body));

        // Signed out on this phone: the alert asks to sign in.
        Assert.Equal(204, (await phone.APIRequest.PostAsync("/api/auth/logout")).Status);
        await push.PushAsync(urgent);
        Assert.Equal("Sign in to claim", Assert.Single(await push.ClickForAnswerAsync(tag, "claim"), n => n.Tag == tag).Title);
    }

    [Fact]
    public async Task AlertButton_NothingIsAskedOnLoad_TheClickAsksAndABlockedAnswerSaysSo_LogoutSendsTheDeviceEndpoint()
    {
        await using var phone = await app.PhoneAsync();
        await app.SignInAsync(phone, "staff1");
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/my");
        await ServiceWorkers.WaitForControlAsync(page);

        var state = await page.EvaluateAsync<JsonElement>("() => dispatchPush.state()");
        Assert.True(state.GetProperty("supported").GetBoolean());
        Assert.Equal("default", state.GetProperty("permission").GetString());
        Assert.False(state.GetProperty("subscribed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("endpoint").ValueKind);
        Assert.False(state.GetProperty("standalone").GetBoolean());
        Assert.False(state.GetProperty("iosNeedsInstall").GetBoolean());
        Assert.Equal("Chrome on Linux", await page.EvaluateAsync<string>("() => dispatchPush.deviceLabel()"));

        // The button's own click listener asks; the answer goes to the component's OnEnableFinished.
        await page.EvaluateAsync<bool>("""
            () => {
                const button = document.createElement("button");
                button.dataset.testid = "alert-me";
                button.textContent = "Alert me on this device";
                button.style.cssText = "position: fixed; left: 16px; bottom: 16px; z-index: 9999";
                document.body.append(button);
                window.answers = [];
                dispatchPush.attachEnableButton(button, { invokeMethodAsync: (method, result) => { window.answers.push({ method, result }); return Promise.resolve(); } });
                return true;
            }
            """);
        await page.Locator("[data-testid='alert-me']").ClickAsync();
        await page.WaitForFunctionAsync("() => window.answers.length === 1");
        var answer = await page.EvaluateAsync<JsonElement>("() => window.answers[0]");
        Assert.Equal("OnEnableFinished", answer.GetProperty("method").GetString());
        Assert.False(answer.GetProperty("result").GetProperty("ok").GetBoolean());
        Assert.StartsWith("Alerts are blocked for this site in the browser settings.", answer.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal("denied", await page.EvaluateAsync<string>("() => Notification.permission"));

        var logout = await page.RunAndWaitForRequestAsync(() => page.EvaluateAsync("() => dispatchBoard.logout()"),
            request => request.Url.EndsWith("/api/auth/logout", StringComparison.Ordinal));
        Assert.Equal("""{"pushEndpoint":null}""", logout.PostData);
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

    private sealed record PushPayload(string Title, string? Body, string Url, string Tag, int AlertId, int? TicketId, string Kind, bool Claim,
        Web.Push.PushWords? Words = null);

    private static PushPayload Payload(int ticketId, string title, string? body, bool claim) =>
        new(title, body, $"/my?ticket={ticketId}", $"ticket-{ticketId}", ticketId, ticketId, "Routed", claim);

    /// <summary>A staff phone on /my with notifications allowed, its page controlled by the worker, and a probe on that worker.</summary>
    private async Task<(IBrowserContext Phone, IPage Page, PushProbe Push)> StaffPhoneReadyForPushAsync(string who)
    {
        var phone = await app.PhoneWithProfileAsync(_profile);
        try
        {
            await phone.GrantPermissionsAsync(["notifications"], new() { Origin = app.BaseAddress.GetLeftPart(UriPartial.Authority) });
            await app.SignInAsync(phone, who);
            var page = phone.Pages.Count > 0 ? phone.Pages[0] : await phone.NewPageAsync();
            await page.GotoAsync("/my");
            await ServiceWorkers.WaitForControlAsync(page);
            var push = await PushProbe.AttachAsync(phone, page, app.BaseAddress);
            output.WriteLine($"service worker registration id (DevTools): {push.RegistrationId}");
            return (phone, page, push);
        }
        catch
        {
            await phone.DisposeAsync();
            throw;
        }
    }

    private static async Task AssertPngAsync(IBrowserContext context, string path, int side)
    {
        var response = await context.APIRequest.GetAsync(path);
        Assert.True(response.Ok, $"{path} answered {response.Status}");
        Assert.Equal("image/png", response.Headers["content-type"]);
        var png = await response.BodyAsync();
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
        // IHDR is the first chunk: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal((side, side), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }
}
