using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// A reporter whose phone reads Chinese reports a problem and follows it in Chinese while the staff work in English;
/// anyone switches language from the header, and the choice stays.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class ChineseReporterTests(AppFixture app)
{
    static ChineseReporterTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AChinesePhone_ReportsAndFollowsInChinese_WhileTheStaffClaimInEnglish_AndTheTrackingPageFollowsLive()
    {
        await using var requesterContext = await app.PhoneAsync(locale: "zh-CN");
        await using var staffContext = await app.PhoneAsync();
        await app.SignInAsync(staffContext, "staff1");
        var requester = await requesterContext.NewPageAsync();
        var staff = await staffContext.NewPageAsync();

        await requester.GotoAsync("/r/A204");
        await Pages.WaitForCircuitAsync(requester);
        await Expect(requester.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await Expect(requester.Locator("h1")).ToHaveTextAsync("我要报修");
        await Expect(requester.Locator("[data-category='Lighting']")).ToContainTextAsync("照明与电气");
        await AssertNoEnglishLeftAsync(requester);

        // Sent without a description: the refusal names the field in Chinese.
        await requester.Locator("[data-category='Lighting']").ClickAsync();
        await requester.Locator("[data-testid='submit-report']").ClickAsync();
        await Expect(requester.GetByText("请填写问题描述。")).ToBeVisibleAsync();
        await app.ScreenshotAsync(requester, "zh-01-report-form-refused");

        var description = $"教室后排的灯不亮 {Guid.NewGuid():N}"[..20];
        await requester.Locator("textarea[data-testid='description']").FillAsync(description);
        await requester.Locator("[data-testid='submit-report']").ClickAsync();
        await Expect(requester.Locator("[data-testid='report-confirmation']")).ToContainTextAsync("谢谢，后勤办公室已收到");
        await app.ScreenshotAsync(requester, "zh-02-report-sent");

        await requester.Locator("[data-testid='track-link']").ClickAsync();
        await Pages.WaitForCircuitAsync(requester);
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("新报修");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("报修已受理");
        await AssertNoEnglishLeftAsync(requester, description);

        // A caretaker reading English claims it: the Chinese tracking page says so, live.
        await staff.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(staff);
        var waiting = staff.Locator("[data-testid='waiting']", new() { HasText = description });
        await Expect(waiting).ToContainTextAsync("Lighting & electrical");
        await waiting.Locator("[data-testid='claim']").ClickAsync();

        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("已接单");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("维修人员已接单");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync(new Regex(@"\d+月\d+日 周. \d\d:\d\d"));
        await app.ScreenshotAsync(requester, "zh-03-tracking-claimed");
    }

    [Fact]
    public async Task AChineseCaretakersPhone_ClaimsGoesOnSiteAndResolves_InChinese()
    {
        await using var context = await app.PhoneAsync(locale: "zh-CN");
        await app.SignInAsync(context, "staff2");
        var description = $"凳子腿断了 {Guid.NewGuid():N}"[..16];
        var (id, _) = await Pages.ReportAsync(context, "A204", "Furniture", description);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(page);
        var waiting = page.Locator($"[data-testid='waiting'][data-ticket='{id}']");
        await Expect(waiting).ToContainTextAsync("桌椅家具");
        await Expect(waiting.Locator("[data-testid='claim']")).ToHaveTextAsync("接单");
        await waiting.Locator("[data-testid='claim']").ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "已接单" })).ToBeVisibleAsync();

        var job = page.Locator($"[data-testid='my-job'][data-ticket='{id}']");
        await job.Locator("[data-testid='on-site']").ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "已标记到达现场" })).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "zh-05-caretaker-on-site");

        await job.Locator("[data-testid='resolve']").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("报修人会看到这段说明。");
        await page.Locator("[data-testid='resolve-confirm']").ClickAsync();
        await Expect(page.GetByText("请简单说明做了哪些维修。")).ToBeVisibleAsync();
        await page.Locator("textarea[data-testid='resolve-note']").FillAsync("更换了凳子腿");
        await page.Locator("[data-testid='resolve-confirm']").ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "已修好，谢谢！" })).ToBeVisibleAsync();
        await Expect(job).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheHeaderSwitch_ChangesTheLanguageOfThePageItIsOn_AndTheChoiceStays()
    {
        await using var context = await app.PhoneAsync(locale: "en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/report");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Report a problem");

        await page.Locator("[data-testid='language-switch'] [role='button']").ClickAsync();
        await page.Locator("[data-language='zh-Hans']").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/report", StringComparison.Ordinal));
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("我要报修");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await app.ScreenshotAsync(page, "zh-04-switched");

        // The choice is the browser's now, over its English: another page opens in Chinese.
        await page.GotoAsync("/login");
        await Pages.WaitForCircuitAsync(page); // the prerendered switch does nothing until the page is live
        await Expect(page.Locator("header")).ToContainTextAsync("中文");

        await page.Locator("[data-testid='language-switch'] [role='button']").ClickAsync();
        await page.Locator("[data-language='en']").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/login", StringComparison.Ordinal));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("header")).ToContainTextAsync("English");
    }

    /// <summary>
    /// The page's visible text has no English words left, apart from <paramref name="allowed"/>, the app's and the
    /// school's names, and what the page shows as data: area names and paths, codes (the demo school's names are
    /// English; a Chinese school's are its own).
    /// </summary>
    private static async Task AssertNoEnglishLeftAsync(IPage page, params string[] allowed)
    {
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        var data = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.db-brand, .db-card-path, .db-code, .db-tracking-code, [data-testid=preset-area]')].map(e => e.innerText)");
        foreach (var name in allowed.Concat(data).Where(n => n.Length > 0).OrderByDescending(a => a.Length))
        {
            text = text.Replace(name, " ", StringComparison.Ordinal);
        }
        var english = EnglishWord().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(english.Count == 0, $"English left on {page.Url}: {string.Join(", ", english)}");
    }

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex EnglishWord();
}
