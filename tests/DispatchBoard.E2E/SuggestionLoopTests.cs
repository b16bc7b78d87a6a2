using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class SuggestionLoopTests(AppFixture app)
{
    static SuggestionLoopTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task StaffSuggests_PrincipalSeesItLive_Answers_AuthorSeesTheReplyLive()
    {
        await using var staffContext = await app.PhoneAsync();
        await using var principalContext = await app.OfficeScreenAsync();
        await app.SignInAsync(staffContext, "staff2");
        await app.SignInAsync(principalContext, "principal");
        var staff = await staffContext.NewPageAsync();
        var principal = await principalContext.NewPageAsync();
        await staff.GotoAsync("/suggestions");
        await principal.GotoAsync("/principal");
        await Pages.WaitForCircuitAsync(staff);
        await Pages.WaitForCircuitAsync(principal);
        var title = $"Motion lights in stairwell {Guid.NewGuid():N}"[..36];

        // Li Na sends her idea from her phone; an empty title is refused with the field named.
        await staff.Locator("textarea[data-testid='suggestion-body']").FillAsync("The lights stay on all night; sensors would pay for themselves in a year.");
        await staff.Locator("[data-testid='suggestion-submit']").ClickAsync();
        await Expect(staff.Locator(".mud-input-helper-text.mud-input-error", new() { HasText = "title" })).ToBeVisibleAsync();
        await staff.Locator("input[data-testid='suggestion-title']").FillAsync(title);
        await staff.Locator("[data-testid='suggestion-submit']").ClickAsync();
        var mine = staff.Locator("[data-testid='suggestion']", new() { HasText = title });
        await Expect(mine).ToHaveAttributeAsync("data-status", "Submitted");

        // The principal's page shows it without a reload; she marks it under review, then accepts with a reply.
        var card = principal.Locator("[data-testid='suggestion']", new() { HasText = title });
        await Expect(card).ToBeVisibleAsync();
        await card.Locator("[data-testid='review-under']").ClickAsync();
        await principal.Locator("[data-testid='review-confirm']").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "UnderReview");
        await Expect(mine).ToHaveAttributeAsync("data-status", "UnderReview");

        await card.Locator("[data-testid='review-accept']").ClickAsync();
        await principal.Locator("[data-testid='review-confirm']").ClickAsync();
        await Expect(principal.Locator(".mud-dialog .mud-input-helper-text.mud-input-error")).ToContainTextAsync("Please reply");
        await principal.Locator("textarea[data-testid='review-reply']").FillAsync("Yes: Wang Lei will fit them over the winter break.");
        await principal.Locator("[data-testid='review-confirm']").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "Accepted");
        await Expect(card.Locator("[data-testid='review-accept']")).ToHaveCountAsync(0);

        // Li Na's phone shows the answer and her bell lights up, all without a reload.
        await Expect(mine).ToHaveAttributeAsync("data-status", "Accepted");
        await Expect(mine.Locator("[data-testid='suggestion-reply']")).ToContainTextAsync("fit them over the winter break");
        await Expect(mine.Locator("[data-testid='suggestion-reply']")).ToContainTextAsync("Dr. Chen Hua");
        await Expect(staff.Locator("[data-testid='bell-badge'] .mud-badge")).ToBeVisibleAsync();
        await Pages.DismissSnackbarsAsync(staff);
        await mine.ScrollIntoViewIfNeededAsync();
        await app.ScreenshotAsync(staff, "40-suggestion-answered-phone");
        await card.ScrollIntoViewIfNeededAsync();
        await app.ScreenshotAsync(principal, "41-principal-suggestions");
    }

    [Fact]
    public async Task PlanningReportsAndTheMonthlyPrint_RenderForTheOffice()
    {
        await using var office = await app.OfficeScreenAsync();
        await app.SignInAsync(office, "dispatcher");
        var page = await office.NewPageAsync();

        await page.GotoAsync("/planning");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid='plan-item']").First).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "42-planning");

        await page.GotoAsync("/reports");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid='kpi-reported'] .db-kpi-value")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-testid='chart-days'] svg path").First).ToBeAttachedAsync();
        await app.ScreenshotAsync(page, "43-reports");

        await page.GotoAsync("/reports/print?month=2026-11-01");
        await Expect(page.Locator("h1")).ToContainTextAsync("November 2026");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.ScreenshotAsync(new() { Path = Path.Combine(app.ScreenshotDirectory, "44-monthly-report-print.png"), FullPage = true });
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 10_000 && pdf[..4].SequenceEqual("%PDF"u8.ToArray()), "the monthly report prints to a PDF");
    }
}
