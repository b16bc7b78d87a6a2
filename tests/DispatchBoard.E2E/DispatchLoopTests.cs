using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class DispatchLoopTests(AppFixture app, ITestOutputHelper output)
{
    static DispatchLoopTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task RequesterReports_BoardShowsItLive_StaffClaimsOnSiteResolves_EveryScreenFollows()
    {
        await using var requesterContext = await app.PhoneAsync();
        await using var officeContext = await app.OfficeScreenAsync();
        await using var staffContext = await app.PhoneAsync();
        await app.SignInAsync(officeContext, "dispatcher");
        await app.SignInAsync(staffContext, "staff1");
        var requester = await requesterContext.NewPageAsync();
        var board = await officeContext.NewPageAsync();
        var staff = await staffContext.NewPageAsync();

        await board.GotoAsync("/board");
        await staff.GotoAsync("/my");
        await requester.GotoAsync("/r/A204");
        await Expect(board.Locator("[data-column='New']")).ToBeVisibleAsync();
        await Expect(staff.Locator("[data-testid='duty-card']")).ToBeVisibleAsync();
        await Expect(requester.Locator("[data-testid='preset-area']")).ToHaveTextAsync("Room 204");
        await Pages.WaitForCircuitAsync(board);
        await Pages.WaitForCircuitAsync(staff);
        await Pages.WaitForCircuitAsync(requester);
        await app.ScreenshotAsync(requester, "01-requester-report-form");

        var description = $"E2E: lights at the back won't turn on ({Guid.NewGuid():N})"[..60];
        await requester.Locator("[data-category='Lighting']").ClickAsync();
        await requester.Locator("textarea[data-testid='description']").FillAsync(description);
        var clock = Stopwatch.StartNew();
        await requester.Locator("[data-testid='submit-report']").ClickAsync();

        var boardCard = board.Locator("[data-column='New'] [data-testid='ticket-card']", new() { HasText = description });
        await Expect(boardCard).ToBeVisibleAsync();
        var reportToBoard = clock.Elapsed;
        await Expect(boardCard).ToHaveClassAsync(new Regex("fresh"));
        var staffCard = staff.Locator("[data-testid='waiting']", new() { HasText = description });
        await Expect(staffCard).ToBeVisibleAsync();
        var reportToPhone = clock.Elapsed;
        output.WriteLine($"report → board card: {reportToBoard.TotalMilliseconds:F0} ms; report → staff phone: {reportToPhone.TotalMilliseconds:F0} ms");
        await File.AppendAllTextAsync(Path.Combine(app.ScreenshotDirectory, "latency.txt"),
            $"{DateTimeOffset.UtcNow:O} report→board {reportToBoard.TotalMilliseconds:F0} ms, report→phone {reportToPhone.TotalMilliseconds:F0} ms{Environment.NewLine}");

        await Expect(requester.Locator("[data-testid='report-confirmation']")).ToBeVisibleAsync();
        await app.ScreenshotAsync(requester, "02-requester-confirmation");
        await app.ScreenshotAsync(board, "03-board-new-ticket");
        await app.ScreenshotAsync(staff, "04-staff-waiting");
        await requester.Locator("[data-testid='track-link']").ClickAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Pages.WaitForCircuitAsync(requester);

        await staffCard.Locator("[data-testid='claim']").ClickAsync();
        await Expect(board.Locator("[data-column='Claimed'] [data-testid='ticket-card']", new() { HasText = description }))
            .ToContainTextAsync("Wang Lei");
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("Claimed");
        var myJob = staff.Locator("[data-testid='my-job']", new() { HasText = description });
        await Expect(myJob).ToBeVisibleAsync();
        await app.ScreenshotAsync(staff, "05-staff-claimed");

        await myJob.Locator("[data-testid='on-site']").ClickAsync();
        await Expect(board.Locator("[data-column='OnSite'] [data-testid='ticket-card']", new() { HasText = description })).ToBeVisibleAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("On site");
        await app.ScreenshotAsync(requester, "06-requester-on-site");

        await myJob.Locator("[data-testid='resolve']").ClickAsync();
        await staff.Locator("textarea[data-testid='resolve-note']").FillAsync("Replaced the starter and both tubes.");
        await staff.Locator("[data-testid='resolve-confirm']").ClickAsync();
        await Expect(board.Locator("[data-column='Resolved'] [data-testid='ticket-card']", new() { HasText = description })).ToBeVisibleAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("Resolved");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("Replaced the starter and both tubes.");
        await Expect(myJob).ToHaveCountAsync(0);

        await app.ScreenshotAsync(board, "07-board-resolved");
        await app.ScreenshotAsync(staff, "08-staff-done");
        await app.ScreenshotAsync(requester, "09-requester-resolved");
    }

    [Fact]
    public async Task TwoStaffPressClaimAtOnce_OneGetsIt_TheOtherIsToldWhoHasIt()
    {
        await using var firstContext = await app.PhoneAsync();
        await using var secondContext = await app.PhoneAsync();
        await app.SignInAsync(firstContext, "staff2");
        await app.SignInAsync(secondContext, "staff3");
        var first = await firstContext.NewPageAsync();
        var second = await secondContext.NewPageAsync();
        await first.GotoAsync("/my");
        await second.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(first);
        await Pages.WaitForCircuitAsync(second);

        var description = $"E2E race: broken stool ({Guid.NewGuid():N})"[..48];
        var (id, _) = await Pages.ReportAsync(firstContext, "B201", "Furniture", description);
        var firstClaim = first.Locator($"[data-testid='waiting'][data-ticket='{id}'] [data-testid='claim']");
        var secondClaim = second.Locator($"[data-testid='waiting'][data-ticket='{id}'] [data-testid='claim']");
        await Expect(firstClaim).ToBeVisibleAsync();
        await Expect(secondClaim).ToBeVisibleAsync();

        // Both browsers click at the same wall-clock moment, before either reply can come back.
        var at = DateTimeOffset.UtcNow.AddMilliseconds(1500).ToUnixTimeMilliseconds();
        await Task.WhenAll(ClickAtAsync(firstClaim, at), ClickAtAsync(secondClaim, at));

        // Each phone settles: the ticket is in my jobs, or shown as taken by the other.
        var settled = $"[data-testid='my-job'][data-ticket='{id}'], [data-testid='waiting'][data-taken='true'][data-ticket='{id}']";
        await Expect(first.Locator(settled)).ToHaveCountAsync(1);
        await Expect(second.Locator(settled)).ToHaveCountAsync(1);
        var firstHasIt = first.Locator($"[data-testid='my-job'][data-ticket='{id}']");
        var secondHasIt = second.Locator($"[data-testid='my-job'][data-ticket='{id}']");
        Assert.Equal(1, await firstHasIt.CountAsync() + await secondHasIt.CountAsync());
        var (loser, winnerName) = await firstHasIt.CountAsync() == 1 ? (second, "Li Na") : (first, "Zhang Wei");
        // The card stays a moment and says who has it (and the refused press, if it reached the server, says the same).
        await Expect(loser.Locator($"[data-testid='waiting'][data-ticket='{id}'] [data-testid='taken-by']"))
            .ToHaveTextAsync($"Already claimed by {winnerName}.");
        await Expect(loser.Locator($"[data-testid='my-job'][data-ticket='{id}']")).ToHaveCountAsync(0);
        await loser.Locator($"[data-testid='waiting'][data-ticket='{id}']").ScrollIntoViewIfNeededAsync();
        await Pages.SnackbarsSettledAsync(loser);
        await app.ScreenshotAsync(loser, "10-staff-lost-the-race");
    }

    [Fact]
    public async Task SignInForm_TakesTheDispatcherToTheBoard_WrongPasswordSaysSo()
    {
        await using var context = await app.OfficeScreenAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/board");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Pages.WaitForCircuitAsync(page);

        await page.Locator("input[data-testid='login-email']").FillAsync("dispatcher@demo.example");
        await page.Locator("input[data-testid='login-password']").FillAsync("not-the-password");
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='login-error']")).ToContainTextAsync("Wrong e-mail or password");
        await app.ScreenshotAsync(page, "11-login-error");

        await page.Locator("input[data-testid='login-password']").FillAsync(AppFixture.Password);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/board$"));
        await Expect(page.Locator("[data-column='New']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OfficeTv_IsDarkWithoutNavigation_AndPhoneReportLandsOnIt()
    {
        await using var tvContext = await app.OfficeScreenAsync();
        await using var officeContext = await app.OfficeScreenAsync();
        await app.SignInAsync(tvContext, "dispatcher");
        await app.SignInAsync(officeContext, "dispatcher");
        var tv = await tvContext.NewPageAsync();
        // Counts the sounds the TV plays (the app's own audio element, whatever the headless browser does with it).
        await tv.AddInitScriptAsync("""
            window.__plays = 0;
            const play = HTMLMediaElement.prototype.play;
            HTMLMediaElement.prototype.play = function () { window.__plays++; return play.call(this); };
            """);
        var cdp = await tvContext.NewCDPSessionAsync(tv);
        await cdp.SendAsync("Browser.grantPermissions", new Dictionary<string, object>
        {
            ["origin"] = app.BaseAddress.GetLeftPart(UriPartial.Authority), ["permissions"] = new[] { "wakeLockScreen" },
        });
        var office = await officeContext.NewPageAsync();
        await tv.GotoAsync("/board/tv");
        await office.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(tv);
        await Pages.WaitForCircuitAsync(office);
        await Expect(tv.Locator("[data-testid='tv-clock']")).ToBeVisibleAsync();
        await Expect(tv.Locator(".mud-appbar")).ToHaveCountAsync(0);

        // The TV asks for the one tap browsers want before they play sound; the tap plays the alert once and keeps the screen on.
        var start = tv.Locator("[data-testid='tv-start'][data-ready='true']");
        await Expect(start).ToBeVisibleAsync();
        await app.ScreenshotAsync(tv, "12-office-tv-tap-to-start");
        await start.ClickAsync();
        await Expect(tv.Locator("[data-testid='tv-status'][data-sound='on'][data-awake='true']")).ToBeVisibleAsync();
        Assert.Equal(1, await tv.EvaluateAsync<int>("window.__plays"));
        Assert.True(await tv.EvaluateAsync<bool>("dispatchBoard.wakeLockHeld()"));

        await office.Locator("[data-testid='phone-report']").ClickAsync();
        var dialog = office.Locator(".mud-dialog");
        var areaInput = dialog.Locator("input").First;
        await areaInput.ClickAsync();
        await areaInput.FillAsync("Cante");
        await office.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Canteen" }).First.ClickAsync();
        await dialog.Locator("[data-category='Plumbing']").ClickAsync();
        await dialog.Locator("textarea[data-testid='description']").FillAsync("E2E phone: tap dripping by the sinks");
        await dialog.Locator("[data-testid='submit-report']").ClickAsync();

        var tvCard = tv.Locator("[data-column='New'] [data-testid='ticket-card']", new() { HasText = "E2E phone: tap dripping" });
        await Expect(tvCard).ToBeVisibleAsync();
        // The new report rings on the TV. Polled on a timer, not on animation frames.
        try
        {
            await tv.WaitForFunctionAsync("window.__plays >= 2", null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        }
        catch (System.TimeoutException)
        {
            // (System's: Playwright has a TimeoutException of its own, which this wait does not throw.)
            // Say what the TV was doing, so a failure here can be told apart from one elsewhere.
            var plays = await tv.EvaluateAsync<int>("window.__plays");
            var sound = await tv.Locator("[data-testid='tv-status']").GetAttributeAsync("data-sound");
            var fresh = await tv.Locator(".db-card.fresh").CountAsync();
            Assert.Fail($"The TV did not ring for the new report within 30 s: {plays} plays, sound '{sound}', {fresh} fresh cards.");
        }
        await Expect(office.Locator(".mud-snackbar")).ToContainTextAsync("Tracking code");
        await Pages.SnackbarsSettledAsync(office);
        await tvCard.ScrollIntoViewIfNeededAsync(); // the screenshot shows the new report, pulsing (a full column scrolls)
        await Expect(tvCard).ToHaveClassAsync(new Regex(@"\bfresh\b"));
        await app.ScreenshotAsync(tv, "12-office-tv");
        await app.ScreenshotAsync(office, "13-board-after-phone-report");
    }

    /// <summary>Clicks at an agreed wall-clock instant (all browsers here share the machine's clock).</summary>
    private static async Task ClickAtAsync(ILocator button, long unixMs)
    {
        var onTime = await button.EvaluateAsync<bool>(
            "(b, at) => new Promise(done => { const wait = at - Date.now(); setTimeout(() => { b.click(); done(wait >= 0); }, Math.max(0, wait)); })", unixMs);
        Assert.True(onTime, "A browser was armed after the agreed moment; the clicks were not simultaneous.");
    }


}
