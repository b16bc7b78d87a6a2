using Microsoft.Playwright;

namespace DispatchBoard.E2E;

public static class Pages
{
    /// <summary>
    /// Waits until Blazor has connected the page's circuit (clicks before that go nowhere) and its live parts have loaded
    /// their snapshots (they mark themselves data-loaded="false" until then).
    /// </summary>
    public static async Task WaitForCircuitAsync(IPage page)
    {
        await page.WaitForSelectorAsync("body[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => !document.querySelector(\"[data-loaded='false']\")", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
    }

    /// <summary>Waits for snackbars to finish fading in, so a screenshot shows them as people see them.</summary>
    public static Task SnackbarsSettledAsync(IPage page) => page.WaitForFunctionAsync(
        "() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");

    /// <summary>Closes every snackbar the way a person would (their close buttons), e.g. before a screenshot of what is under them.</summary>
    public static async Task DismissSnackbarsAsync(IPage page)
    {
        var snackbars = page.Locator(".mud-snackbar");
        for (var left = await snackbars.CountAsync(); left > 0; left--)
        {
            await snackbars.Last.Locator("button").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(snackbars).ToHaveCountAsync(left - 1);
        }
    }
}
