using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class YourReportsTests(AppFixture app)
{
    static YourReportsTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AReportMadeInTheBrowser_ShowsUnderYourReportsAfterReload_AndItsStatusChangesLiveWhenStaffClaimIt()
    {
        await using var requesterContext = await app.PhoneAsync();
        await using var staffContext = await app.PhoneAsync();
        await app.SignInAsync(staffContext, "staff1");
        var requester = await requesterContext.NewPageAsync();
        var staff = await staffContext.NewPageAsync();

        await requester.GotoAsync("/r/A204");
        await Pages.WaitForCircuitAsync(requester);
        var description = $"E2E your reports: ceiling light dead ({Guid.NewGuid():N})"[..60];
        await requester.Locator("[data-category='Lighting']").ClickAsync();
        await requester.Locator("textarea[data-testid='description']").FillAsync(description);
        await requester.Locator("[data-testid='submit-report']").ClickAsync();
        await Expect(requester.Locator("[data-testid='report-confirmation']")).ToBeVisibleAsync();
        var code = (await requester.Locator("[data-testid='track-link']").GetAttributeAsync("href"))!.Split('/')[^1];

        await requester.GotoAsync("/report");
        await Pages.WaitForCircuitAsync(requester);
        var mine = requester.Locator($"[data-testid='your-report'][data-code='{code}']");
        await Expect(mine).ToBeVisibleAsync();
        await Expect(mine).ToContainTextAsync("Room 204");
        await Expect(mine.Locator("[data-testid='your-report-status']")).ToHaveTextAsync("New");
        await app.ScreenshotAsync(requester, "your-reports-01-new");

        await staff.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(staff);
        var waiting = staff.Locator("[data-testid='waiting']", new() { HasText = description });
        await waiting.Locator("[data-testid='claim']").ClickAsync();

        await Expect(mine.Locator("[data-testid='your-report-status']")).ToHaveTextAsync("Claimed");
        await app.ScreenshotAsync(requester, "your-reports-02-claimed");

        await mine.Locator("[data-testid='forget-report']").ClickAsync();
        await Expect(mine).ToHaveCountAsync(0);
        await requester.ReloadAsync();
        await Pages.WaitForCircuitAsync(requester);
        await Expect(requester.Locator("[data-testid='submit-report']")).ToBeVisibleAsync();
        await Expect(mine).ToHaveCountAsync(0);
    }
}
