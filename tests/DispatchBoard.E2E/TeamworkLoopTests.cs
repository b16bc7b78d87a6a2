using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// A lead and a helper share a job: Wang Lei claims it, the dispatcher adds Li Na as his helper from the board, her
/// phone shows the job under Helping without a reload, she marks her part done and the board card dims her avatar.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TeamworkLoopTests(AppFixture app)
{
    static TeamworkLoopTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task DispatcherAddsAHelperOnTheBoard_TheHelpersPhoneShowsItLive_HerPartDoneShowsOnTheCard()
    {
        await using var officeContext = await app.OfficeScreenAsync();
        await using var leadContext = await app.PhoneAsync();
        await using var helperContext = await app.PhoneAsync();
        await app.SignInAsync(officeContext, "dispatcher");
        await app.SignInAsync(leadContext, "staff1");
        await app.SignInAsync(helperContext, "staff2");
        var board = await officeContext.NewPageAsync();
        var phone = await helperContext.NewPageAsync();
        await board.GotoAsync("/board");
        await phone.GotoAsync("/my");
        await Expect(board.Locator("[data-column='New']")).ToBeVisibleAsync();
        await Expect(phone.Locator("[data-testid='duty-card']")).ToBeVisibleAsync();
        await Pages.WaitForCircuitAsync(board);
        await Pages.WaitForCircuitAsync(phone);

        var description = $"E2E team: hall lights out ({Guid.NewGuid():N})"[..48];
        var (id, _) = await Pages.ReportAsync(leadContext, "A204", "Lighting", description);
        var claimed = await leadContext.APIRequest.PostAsync($"/api/tickets/{id}/claim", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["X-Requested-With"] = "XMLHttpRequest" },
        });
        Assert.Equal(200, claimed.Status);

        var card = board.Locator($"[data-column='Claimed'] [data-testid='ticket-card'][data-ticket='{id}']");
        await Expect(card).ToContainTextAsync("Wang Lei");
        await card.Locator("button[aria-label='Details']").ClickAsync();
        var dialog = board.Locator(".mud-dialog");
        await Expect(dialog.Locator("[data-testid='helpers-panel']")).ToBeVisibleAsync();
        await OpenMenuAsync(dialog.Locator("[data-testid='add-helper']"), board.Locator("[data-testid='assign-to']", new() { HasText = "Li Na" }));
        await board.Locator("[data-testid='assign-to']", new() { HasText = "Li Na" }).ClickAsync();
        await Expect(dialog.Locator("[data-testid='helper-chip']")).ToContainTextAsync("Li Na");

        // Her phone, open all along, shows the job under Helping by itself.
        var helping = phone.Locator($"[data-testid='helping'][data-ticket='{id}']");
        await Expect(helping).ToBeVisibleAsync();
        await Expect(helping.Locator("[data-testid='helping-lead']")).ToHaveTextAsync("Wang Lei leads this job");
        await Expect(card.Locator("[data-testid='helper-avatar']")).ToHaveAttributeAsync("data-done", "false");
        await app.ScreenshotAsync(phone, "teamwork-01-helper-phone-helping");
        await app.ScreenshotAsync(board, "teamwork-02-board-dialog-helpers");

        await helping.Locator("[data-testid='my-part-done']").ClickAsync();

        await Expect(helping).ToHaveAttributeAsync("data-done", "true");
        await Expect(card.Locator("[data-testid='helper-avatar']")).ToHaveAttributeAsync("data-done", "true");
        await Expect(dialog.Locator("[data-testid='helper-chip']")).ToHaveAttributeAsync("data-done", "true");
        await app.ScreenshotAsync(phone, "teamwork-03-helper-part-done");
    }

    [Fact]
    public async Task DispatcherAssignsFromACard_TheCardMovesToThePersonPicked()
    {
        await using var officeContext = await app.OfficeScreenAsync();
        await app.SignInAsync(officeContext, "dispatcher");
        var board = await officeContext.NewPageAsync();
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);

        var description = $"E2E assign: stool broken ({Guid.NewGuid():N})"[..46];
        var (id, _) = await Pages.ReportAsync(officeContext, "A204", "Furniture", description);
        var card = board.Locator($"[data-testid='ticket-card'][data-ticket='{id}']");
        await Expect(board.Locator($"[data-column='New'] [data-testid='ticket-card'][data-ticket='{id}']")).ToBeVisibleAsync();

        // The card's own button opens the list of staff; one tap on a name gives them the job.
        await card.Locator("[data-testid='assign']").ClickAsync();
        var liNa = board.Locator("[data-testid='assign-to']", new() { HasText = "Li Na" });
        await Expect(liNa).ToBeVisibleAsync();
        await app.ScreenshotAsync(board, "14-board-assign-menu");
        await liNa.ClickAsync();
        await Expect(board.Locator($"[data-column='Claimed'] [data-testid='ticket-card'][data-ticket='{id}']")).ToContainTextAsync("Li Na");
    }

    /// <summary>
    /// Opens a menu and waits for <paramref name="item"/> in it; presses the menu's button once more if the first press
    /// opened nothing within 5 s (once in CI, under load, a press just after the details dialog opened did nothing).
    /// </summary>
    private static async Task OpenMenuAsync(ILocator button, ILocator item)
    {
        await button.ClickAsync();
        try
        {
            await item.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            await button.ClickAsync();
            await item.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        }
    }
}
