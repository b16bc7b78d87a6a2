using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DispatchBoard.E2E;

/// <summary>
/// A Chinese school (the demo seeded with <c>Demo:Culture</c> = zh-Hans: 教学楼A, 王磊 …, the same codes) read in Chinese:
/// every page, signed in as its role, at the office screen's and a phone's size, shows no English a person reads (its
/// visible text, and the names, labels, placeholders and titles a screen reader or a tooltip gives) and has no serious
/// or critical axe violation. Its screenshots of the board and the phone pages are the README's Chinese ones.
/// </summary>
[Collection(ChineseSchoolCollection.Name)]
public sealed partial class ChineseSchoolTests(ChineseSchoolFixture app, ITestOutputHelper output)
{
    static ChineseSchoolTests() => Assertions.SetDefaultExpectTimeout(10_000);

    /// <summary>
    /// What a person reads in the page: its visible text (screen-reader-only text too: it is read), and the names,
    /// placeholders, titles and alternative texts of what is visible. Icons (SVG) and scripts are not read.
    /// </summary>
    private const string ReadableTexts = """
        () => {
          const seen = new Set();
          const add = (text, where) => { text = (text ?? '').replace(/\s+/g, ' ').trim(); if (text) seen.add(where + ': ' + text); };
          const visible = e => e.checkVisibility({ visibilityProperty: true, opacityProperty: false });
          const name = e => e.getAttribute('data-testid') ?? e.tagName.toLowerCase();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node; (node = walker.nextNode());) {
            const e = node.parentElement;
            // Text marked as English on purpose (lang="en": the audit log's own words, kept in one language) is read as such;
            // code (a file's column names, the words a file may use) is typed as shown in every language.
            if (!e || e.closest('script, style, noscript, svg, template, code, pre, [lang]:not([lang^="zh"])') || !visible(e)) continue;
            add(node.textContent, name(e.closest('[data-testid]') ?? e));
          }
          for (const e of document.body.querySelectorAll('[placeholder], [aria-label], [title], img[alt], [aria-placeholder]')) {
            if (!visible(e)) continue;
            for (const a of ['placeholder', 'aria-label', 'title', 'alt', 'aria-placeholder']) add(e.getAttribute(a), name(e) + '@' + a);
          }
          add(document.title, 'title');
          return [...seen];
        }
        """;

    /// <summary>
    /// Latin words that are not English text: codes in capitals (GYM, A204, QR, CSV), words with digits, e-mail and web
    /// addresses, the app's paths (/pair) and file endings (.ics, .db).
    /// </summary>
    [GeneratedRegex(@"\S+@\S+|https?://\S+|\b[\w-]*\d[\w-]*\b|\b[A-Z]{2,}s?\b|(?<!\w)/[\w/{}-]+|\.[A-Za-z]{2,4}\b")]
    private static partial Regex NotWords();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z'’]*[A-Za-z]\b")]
    private static partial Regex LatinWords();

    /// <summary>Words that are the same in a Chinese school: the product's name and the names of things people know by it.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "DispatchBoard", "English", "Excel", "iCal", "iPhone", "Android", "Chrome", "Safari", "Outlook", "Google", "Apple", "Wi-Fi", "Fi", "Wi",
    };

    /// <summary>The README's Chinese screenshots: which page at which size.</summary>
    private static readonly Dictionary<(string Path, string Size), string> Screenshots = new()
    {
        [("/board", "office")] = "zh-10-board",
        [("/my", "phone")] = "zh-11-phone-my-jobs",
        [("/report", "phone")] = "zh-12-phone-report",
        [("/principal", "office")] = "zh-13-principal",
    };

    /// <summary>The dialogs each page opens, checked too (at the office size, the page loaded again before each).</summary>
    private static readonly Dictionary<string, string[]> Dialogs = new()
    {
        ["/board"] = ["[data-testid='ticket-card'][data-status='OnSite'] button.mud-icon-button >> nth=-1", "[data-testid='phone-report']"],
        ["/my"] = ["[data-testid='resolve']"],
        ["/principal"] = ["[data-testid='approve']"],
        ["/planning"] = ["[data-testid='new-semester']"],
        ["/admin/areas"] = ["[data-testid='add-area']"],
        ["/admin/staff"] = ["[data-testid='add-account']"],
        ["/admin/calendar"] = ["[data-testid='import-calendar']"],
    };

    [Fact]
    public async Task EveryPage_InChinese_AtBothSizes_ShowsNoEnglish_AndHasNoSeriousOrCriticalViolation()
    {
        var english = new StringBuilder();
        var problems = new StringBuilder();
        var minor = new StringBuilder();
        var checkedDialogs = 0;

        async Task CheckAsync(IPage page, string where)
        {
            foreach (var text in await page.EvaluateAsync<string[]>(ReadableTexts))
            {
                var words = LatinWords().Matches(NotWords().Replace(text[(text.IndexOf(": ", StringComparison.Ordinal) + 2)..], " "))
                    .Select(m => m.Value).Where(w => !Allowed.Contains(w)).ToList();
                if (words.Count > 0)
                {
                    english.AppendLine($"{where} {text}");
                }
            }
            foreach (var (serious, line) in await Axe.CheckAsync(page, where))
            {
                (serious ? problems : minor).AppendLine(line);
            }
        }

        var checkedPages = await EveryPage.VisitAsync(app, "zh-CN", async (page, path, size) =>
        {
            await CheckAsync(page, $"{path} {size}");
            if (Screenshots.TryGetValue((path, size), out var shot))
            {
                await app.ScreenshotAsync(page, shot);
            }
        }, async (page, path) =>
        {
            Assert.Equal("zh-Hans", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            foreach (var opener in Dialogs.GetValueOrDefault(path, []))
            {
                // Loaded at the office size, not re-laid out from the phone's: a press during that re-render can be lost.
                await page.ReloadAsync();
                await Pages.WaitForCircuitAsync(page);
                await page.Locator(opener).First.ClickAsync();
                await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
                await page.WaitForFunctionAsync("() => document.getAnimations().filter(a => a.playState === 'running').length === 0",
                    null, new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 50 });
                await CheckAsync(page, $"{path} dialog of {opener}");
                checkedDialogs++;
            }
        });
        output.WriteLine($"zh-CN: {checkedPages} page views and {checkedDialogs} dialogs checked; moderate and minor:\n{minor}");
        Assert.Equal(EveryPage.All.Length * EveryPage.Sizes.Length, checkedPages);
        Assert.Equal(Dialogs.Values.Sum(d => d.Length), checkedDialogs);
        Assert.True(english.Length == 0, $"English left in the Chinese pages:\n{english}");
        Assert.True(problems.Length == 0, problems.ToString());
    }
}

/// <summary>The demo school seeded in Chinese, read in Chinese (the school's language too).</summary>
public sealed class ChineseSchoolFixture : AppFixture
{
    protected override void ConfigureApp(IWebHostBuilder builder)
    {
        builder.UseSetting("Demo:Culture", "zh-Hans");
        builder.UseSetting("School:DefaultCulture", "zh-Hans");
        builder.UseSetting("School:Name", "河畔学校");
        builder.UseSetting("Calendar:Semesters:0:Name", "2026年秋季学期");
        builder.UseSetting("Calendar:Semesters:1:Name", "2027年春季学期");
        // What the school configures is the school's own words (appsettings.json has the English school's meeting).
        builder.UseSetting("Meetings:Series:0:Name", "每月后勤工作例会");
        builder.UseSetting("Meetings:Series:0:Place", "会议室");
        builder.UseSetting("Meetings:Series:0:Agenda", "1. 上月报修与响应时间\n2. 安全巡检：发现与整改的隐患\n3. 月度工作账\n4. 其他事项");
        builder.UseSetting("Meetings:PlanningPlace", "会议室");
    }
}

/// <summary>Alone, as the accessibility checks: what its pages show is the demo as seeded.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChineseSchoolCollection : ICollectionFixture<ChineseSchoolFixture>
{
    public const string Name = "chinese school";
}
