using Microsoft.Playwright;

namespace DispatchBoard.E2E;

public static class Pages
{
    /// <summary>Waits until Blazor has connected the page's circuit (clicks before that go nowhere).</summary>
    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.WaitForSelectorAsync("body[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });

    /// <summary>Waits for snackbars to finish fading in, so a screenshot shows them as people see them.</summary>
    public static Task SnackbarsSettledAsync(IPage page) => page.WaitForFunctionAsync(
        "() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
}
