using Microsoft.Playwright;

namespace DispatchBoard.E2E;

public static class Pages
{
    /// <summary>A report made through the API as <paramref name="context"/>'s signed-in user (or anonymously): its id and tracking code.</summary>
    public static async Task<(int Id, string Code)> ReportAsync(IBrowserContext context, string area, string category, string description)
    {
        var response = await context.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = area, category, description },
        });
        Assert.Equal(201, response.Status);
        var body = (await response.JsonAsync())!.Value;
        return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
    }

    /// <summary>
    /// Waits until Blazor has connected the page's circuit (clicks before that go nowhere) and its live parts have loaded
    /// their snapshots (they mark themselves data-loaded="false" until then).
    /// </summary>
    public static async Task WaitForCircuitAsync(IPage page)
    {
        await page.WaitForSelectorAsync("body[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => !document.querySelector(\"[data-loaded='false']\")", null, new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 100 });
    }

    /// <summary>Waits for snackbars to finish fading in, so a screenshot shows them as people see them.</summary>
    /// <remarks>
    /// Faded in means no animation running: a shown snackbar stays at MudBlazor's maximum opacity, 0.95. This waited for
    /// opacity 1, which no snackbar reaches, so it passed only once every snackbar had gone (the office TV test's 15-second
    /// snackbar failed it now and then for weeks, read as the TV's sound until its stack was read line by line).
    /// </remarks>
    public static async Task SnackbarsSettledAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('.mud-snackbar')].every(s => s.getAnimations().length === 0 && getComputedStyle(s).opacity > 0.9)", null,
                new PageWaitForFunctionOptions { PollingInterval = 100 });
        }
        catch (System.TimeoutException)
        {
            // Say what the page was doing: its visibility, focus, animation frames in half a second, and each snackbar.
            var state = await page.EvaluateAsync<string>("""
                async () => {
                  let frames = 0; const until = performance.now() + 500;
                  await new Promise(done => { const tick = () => { frames++; performance.now() < until ? requestAnimationFrame(tick) : done(); }; requestAnimationFrame(tick); setTimeout(done, 1500); });
                  const bars = [...document.querySelectorAll('.mud-snackbar')].map(s => `${s.className} opacity ${getComputedStyle(s).opacity} animations ${s.getAnimations().map(a => a.playState + '@' + a.currentTime).join('/')}`);
                  return `visibility ${document.visibilityState}, focus ${document.hasFocus()}, ${frames} frames in 0.5 s; snackbars: ${bars.join(' | ')}`;
                }
                """);
            throw new Xunit.Sdk.XunitException($"The snackbars did not settle within 30 s: {state}");
        }
    }

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
