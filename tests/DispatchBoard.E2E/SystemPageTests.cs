using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// The admin's system page as the IT teacher uses it: on the office screen and a phone, it counts the boards and
/// phones connected right now and follows them as they open and close (it updates by itself), lists every scheduled
/// job with its last and next run, and its "send a test" buttons answer. It writes the README's screenshot.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SystemPageTests(AppFixture app)
{
    static SystemPageTests() => SetDefaultExpectTimeout(10_000);

    private static async Task<int> CountAsync(IPage page, string testId) =>
        int.Parse(await page.Locator($"[data-testid='{testId}']").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task SystemPage_FollowsTheBoardsAndPhonesAsTheyConnect_ListsTheJobs_AndSendsATestAlert()
    {
        await using var office = await app.OfficeScreenAsync();
        await app.SignInAsync(office, "admin");
        var page = await office.NewPageAsync();
        await page.GotoAsync("/admin/system");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("System");
        await Expect(page.Locator("[data-testid='system-version']")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-testid='system-database']")).ToHaveTextAsync("SQLite");
        await Expect(page.Locator("[data-testid='system-jobs'] tr[data-job='database-backup']")).ToBeVisibleAsync();
        var boards = await CountAsync(page, "connected-boards");
        var phones = await CountAsync(page, "connected-phones");

        // The dispatcher opens the board, a caretaker opens My jobs: the page counts them without a reload.
        await using var dispatcher = await app.OfficeScreenAsync();
        await app.SignInAsync(dispatcher, "dispatcher");
        var board = await dispatcher.NewPageAsync();
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);
        await using var caretaker = await app.PhoneAsync();
        await app.SignInAsync(caretaker, "staff2");
        var my = await caretaker.NewPageAsync();
        await my.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(my);
        await Expect(page.Locator("[data-testid='connected-boards']")).ToHaveTextAsync((boards + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid='connected-phones']")).ToHaveTextAsync((phones + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            new() { Timeout = 15_000 });
        await app.ScreenshotAsync(page, "system-office");

        // The board's tab closes: the count goes back down.
        await board.CloseAsync();
        await Expect(page.Locator("[data-testid='connected-boards']")).ToHaveTextAsync(boards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new() { Timeout = 20_000 });

        // The admin has no phone with alerts on: the test alert says so, and how to turn them on.
        await page.Locator("[data-testid='send-test-push']").ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("turn alerts on from the bell");

        await using var phoneContext = await app.PhoneAsync();
        await app.SignInAsync(phoneContext, "admin");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync("/admin/system");
        await Pages.WaitForCircuitAsync(phone);
        await Expect(phone.Locator("[data-testid='system-jobs']")).ToBeVisibleAsync();
        // The jobs' table scrolls inside its card; the page itself does not scroll sideways.
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await app.ScreenshotAsync(phone, "system-phone");
    }

    [Fact]
    public async Task ApiReference_RendersTheDocument_ForStaff_UnderItsOwnPolicy()
    {
        await using var office = await app.OfficeScreenAsync();
        await app.SignInAsync(office, "staff1");
        var violations = await CspWatch.StartAsync(office);
        var page = await office.NewPageAsync();
        await page.GotoAsync("/api-docs");
        // Scalar draws the document: its title, and the operations by their summaries.
        await Expect(page.GetByText("DispatchBoard API").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByText("Claim a ticket").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await app.ScreenshotAsync(page, "api-docs");
        Assert.True(violations.IsEmpty, "CSP violations on /api-docs: " + string.Join("; ", violations));
    }
}
