using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// Without a mouse: a teacher reports a problem (the area search, a category, urgent, send) and a caretaker claims and
/// resolves it, with Tab, the arrow keys, Enter and Space only; every stop on the way shows where the focus is.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class KeyboardOnlyTests(AppFixture app)
{
    static KeyboardOnlyTests() => SetDefaultExpectTimeout(10_000);

    /// <summary>
    /// Whether the focused element shows it: a ring (outline) or a shadow on it, or on what draws it (a switch's track,
    /// the photo button around its file input), or the outlined border a text field turns to the primary colour. Empty
    /// when it does, else what has the focus.
    /// </summary>
    private const string FocusShown = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return ''; // Tab went past the page's last stop, to the browser
          // A dialog's focus-trap sentinel: it sends the focus on to the dialog's first or last stop at once.
          if (e.classList.contains('pointer-events-none') && e.closest('.mud-dialog-container, .mud-overlay-dialog, .mud-focus-trap, body')) return '';
          const drawn = e.closest('.mud-switch')?.querySelector('.mud-switch-track') ?? e.closest('.db-photo-add') ?? e;
          const s = getComputedStyle(drawn);
          if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return '';
          if (s.boxShadow && s.boxShadow !== 'none') return '';
          const border = e.closest('.mud-input-control')?.querySelector('.mud-input-outlined-border');
          if (border && parseFloat(getComputedStyle(border).borderWidth) >= 2) return '';
          return (e.getAttribute('data-testid') ?? e.tagName.toLowerCase() + '.' + e.className).slice(0, 80);
        }
        """;

    private readonly List<string> _unseen = [];

    /// <summary>A dialog opened and settled (its opening animation done): what is typed before that can be lost.</summary>
    private static async Task DialogSettledAsync(IPage page)
    {
        await Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("""
            () => { const d = document.querySelector('.mud-dialog');
                    return !!d && document.getAnimations().filter(a => a.playState === 'running').length === 0; }
            """, null, new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 50 });
    }

    /// <summary>
    /// Presses Tab until the focus is on (or in) what <paramref name="selector"/> finds (not at all when it is there
    /// already: a dialog focuses its first field itself); checks each stop shows it.
    /// </summary>
    private async Task TabToAsync(IPage page, string selector, string? containing = null, int limit = 120)
    {
        for (var presses = 0; ; presses++)
        {
            var there = await page.EvaluateAsync<bool>("""
                ([selector, containing]) => {
                  const target = document.activeElement?.closest(selector);
                  return !!target && (!containing || (target.closest('[data-ticket]') ?? target).textContent.includes(containing));
                }
                """, new object?[] { selector, containing });
            if (there)
            {
                return;
            }
            if (presses == limit)
            {
                throw new InvalidOperationException($"{limit} presses of Tab never reached {selector}{(containing is null ? "" : $" with '{containing}'")}.");
            }
            await page.Keyboard.PressAsync("Tab");
            var unseen = await page.EvaluateAsync<string>(FocusShown);
            if (unseen.Length > 0 && !_unseen.Contains(unseen))
            {
                _unseen.Add(unseen);
            }
        }
    }

    [Fact]
    public async Task ATeacher_ReportsAProblem_WithTheKeyboardOnly()
    {
        await using var context = await app.OfficeScreenAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/report");
        await Pages.WaitForCircuitAsync(page);

        // The area: typed into the search, picked with the arrow keys.
        await TabToAsync(page, "[data-testid='area-picker']");
        await page.Keyboard.TypeAsync("204");
        // The list for "204" itself (the search waits for typing to pause; "2" and "20" find more), then down to Room 204.
        await page.WaitForFunctionAsync("""
            () => { const items = [...document.querySelectorAll('.mud-popover-open .mud-list-item')];
                    return items.length > 0 && items.every(i => i.textContent.includes('204')); }
            """, null, new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 50 });
        for (var presses = 0; ; presses++)
        {
            var active = await page.EvaluateAsync<string>("""
                () => { const id = document.activeElement?.getAttribute('aria-activedescendant');
                        return (id && document.getElementById(id)?.textContent) || ''; }
                """);
            if (active.Contains("Room 204", StringComparison.Ordinal))
            {
                break;
            }
            Assert.True(presses < 15, $"The arrow keys never reached Room 204 (at '{active}').");
            await page.Keyboard.PressAsync("ArrowDown");
        }
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid='area-picker'] input, input[data-testid='area-picker']").First).ToHaveValueAsync(new Regex("Room 204"));

        await TabToAsync(page, "[data-category='Plumbing']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-category='Plumbing']")).ToHaveAttributeAsync("aria-pressed", "true");

        var description = $"Keyboard: tap dripping {Guid.NewGuid():N}"[..34];
        await TabToAsync(page, "[data-testid='description']");
        await page.Keyboard.TypeAsync(description);

        await TabToAsync(page, "[data-testid='urgent']");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("[data-testid='urgent'] input, input[data-testid='urgent']").First).ToBeCheckedAsync();

        await TabToAsync(page, "[data-testid='submit-report']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid='report-confirmation']")).ToBeVisibleAsync();
        Assert.True(_unseen.Count == 0, $"Focused without a visible focus indicator: {string.Join(", ", _unseen)}");
    }

    [Fact]
    public async Task ACaretaker_ClaimsAndResolvesAJob_WithTheKeyboardOnly()
    {
        await using var context = await app.OfficeScreenAsync("en-US");
        await app.SignInAsync(context, "staff1");
        var description = $"Keyboard: stool leg loose {Guid.NewGuid():N}"[..36];
        var report = await context.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = "A103", category = "Furniture", description },
        });
        Assert.Equal(201, report.Status);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid='waiting']", new() { HasText = description })).ToBeVisibleAsync();

        await TabToAsync(page, "[data-testid='claim']", containing: description);
        await page.Keyboard.PressAsync("Enter");
        var job = page.Locator("[data-testid='my-job']", new() { HasText = description });
        await Expect(job).ToBeVisibleAsync();

        await TabToAsync(page, "[data-testid='on-site']", containing: description);
        await page.Keyboard.PressAsync("Enter");
        await Expect(job.Locator("[data-testid='resolve']")).ToBeVisibleAsync();

        await TabToAsync(page, "[data-testid='resolve']", containing: description);
        await page.Keyboard.PressAsync("Enter");
        await DialogSettledAsync(page);
        await TabToAsync(page, "[data-testid='resolve-note']", limit: 20);
        await page.Keyboard.TypeAsync("Tightened the leg screws");
        await Expect(page.Locator("textarea[data-testid='resolve-note']")).ToHaveValueAsync("Tightened the leg screws");
        await TabToAsync(page, "[data-testid='resolve-confirm']", limit: 20);
        await page.Keyboard.PressAsync("Enter");
        await Expect(job).ToHaveCountAsync(0);
        Assert.True(_unseen.Count == 0, $"Focused without a visible focus indicator: {string.Join(", ", _unseen)}");
    }

    [Fact]
    public async Task ThePrincipal_DecidesAnEscalation_WithTheKeyboardOnly()
    {
        // A caretaker finds the job needs a purchase and passes it up (through the API: the keyboard part is the decision).
        await using var caretaker = await app.PhoneAsync("en-US");
        await app.SignInAsync(caretaker, "staff1");
        var description = $"Keyboard: projector dead {Guid.NewGuid():N}"[..35];
        var report = await caretaker.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = "A103", category = "Lighting", description },
        });
        Assert.Equal(201, report.Status);
        var id = (await report.JsonAsync())!.Value.GetProperty("id").GetInt32();
        Assert.Equal(200, (await caretaker.APIRequest.PostAsync($"/api/tickets/{id}/claim")).Status);
        Assert.Equal(200, (await caretaker.APIRequest.PostAsync($"/api/tickets/{id}/transition",
            new APIRequestContextOptions { DataObject = new { to = "OnSite" } })).Status);
        Assert.Equal(200, (await caretaker.APIRequest.PostAsync($"/api/tickets/{id}/escalate",
            new APIRequestContextOptions { DataObject = new { reason = "Purchase", note = "A new lamp, about 600 yuan." } })).Status);

        await using var office = await app.OfficeScreenAsync("en-US");
        await app.SignInAsync(office, "principal");
        var page = await office.NewPageAsync();
        await page.GotoAsync("/principal");
        await Pages.WaitForCircuitAsync(page);
        var item = page.Locator("[data-testid='inbox-item']", new() { HasText = description });
        await Expect(item).ToBeVisibleAsync();

        await TabToAsync(page, "[data-testid='approve']", containing: description);
        await page.Keyboard.PressAsync("Enter");
        await DialogSettledAsync(page);
        await TabToAsync(page, "[data-testid='decision-note']", limit: 20);
        await page.Keyboard.TypeAsync("Approved: buy the lamp this week.");
        await Expect(page.Locator("textarea[data-testid='decision-note']")).ToHaveValueAsync("Approved: buy the lamp this week.");
        await TabToAsync(page, "[data-testid='decision-confirm']", limit: 20);
        await page.Keyboard.PressAsync("Enter");
        await Expect(item).ToHaveCountAsync(0);

        var decided = await caretaker.APIRequest.GetAsync($"/api/tickets/{id}");
        Assert.Equal(200, decided.Status);
        Assert.Equal("Claimed", (await decided.JsonAsync())!.Value.GetProperty("ticket").GetProperty("status").GetString());
        Assert.True(_unseen.Count == 0, $"Focused without a visible focus indicator: {string.Join(", ", _unseen)}");
    }
}
