using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// axe-core (WCAG 2.0–2.2 A and AA rules) on every page, signed in as the role that uses it, in English and in Chinese,
/// on the office screen (1920×1080) and a phone (375×812): no serious or critical violation. The moderate and minor
/// ones are written to the test output (and the issue note). On an app of its own, the demo school as seeded, run when no
/// other test runs: what the pages show does not depend on which tests ran before (see AccessibilityCollection).
/// </summary>
/// <remarks>
/// The engine is the axe-core that Deque.AxeCore.Playwright ships (its Commons assembly), put into every page of the
/// context before the page's own scripts, and run with <c>axe.run</c> directly: the package's <c>RunAxe</c> injects it
/// again at each call and sends back every pass, 2 s a call where the run itself takes 0.1 s.
/// </remarks>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not in Deque.AxeCore.Commons any more.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private const string RunAxe = """
        async (tags) => {
          const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact ?? '', help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => ({
              target: n.target.join(' '), html: n.html.slice(0, 120), message: ([...n.any, ...n.all, ...n.none][0] ?? {}).message ?? '' })),
          }));
        }
        """;

    /// <summary>Each page, with who signs in to see it (null: nobody).</summary>
    private static readonly (string? Who, string Path)[] Pages_ =
    [
        (null, "/"), (null, "/login"), (null, "/report"), (null, "/r/A204"), (null, "/not-found"), (null, "/account/set-password"),
        ("staff1", "/my"), ("staff1", "/account"), ("staff1", "/notifications"), ("staff1", "/rounds"), ("staff1", "/suggestions"), ("staff1", "/meetings"),
        ("dispatcher", "/board"), ("dispatcher", "/board/tv"), ("dispatcher", "/reports"), ("dispatcher", "/reports/print"), ("dispatcher", "/planning"),
        ("principal", "/principal"),
        ("admin", "/admin/areas"), ("admin", "/admin/staff"), ("admin", "/admin/roster"), ("admin", "/admin/calendar"), ("admin", "/admin/checklists"),
        ("admin", "/admin/displays"), ("admin", "/admin/posters"), ("admin", "/admin/audit"),
    ];

    /// <summary>The office screen and a phone: each page is checked at both sizes without loading it again.</summary>
    private static readonly (string Name, int Width, int Height)[] Sizes = [("office", 1920, 1080), ("phone", 375, 812)];

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task EveryPage_AtBothSizes_HasNoSeriousOrCriticalViolation(string locale)
    {
        var problems = new StringBuilder();
        var minor = new StringBuilder();
        var checkedPages = 0;
        foreach (var group in Pages_.GroupBy(p => p.Who))
        {
            await using var context = await app.OfficeScreenAsync(locale);
            await context.AddInitScriptAsync(AxeSource.Value);
            if (group.Key is { } who)
            {
                await app.SignInAsync(context, who);
            }
            var page = await context.NewPageAsync();
            foreach (var (_, path) in group)
            {
                await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
                await page.GotoAsync(path);
                await Pages.WaitForCircuitAsync(page);
                foreach (var (size, width, height) in Sizes)
                {
                    await page.SetViewportSizeAsync(width, height);
                    // The layout at the new size, painted (two frames), before axe reads the colours and boxes.
                    await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
                    foreach (var violation in (await page.EvaluateAsync<JsonElement>(RunAxe, Tags)).EnumerateArray())
                    {
                        var impact = violation.GetProperty("impact").GetString();
                        var nodes = violation.GetProperty("nodes").EnumerateArray().Select(n =>
                            $"{n.GetProperty("target").GetString()} {n.GetProperty("html").GetString()} {n.GetProperty("message").GetString()}");
                        var line = $"{path} {size} [{impact}] {violation.GetProperty("id").GetString()}: {violation.GetProperty("help").GetString()} — {string.Join(" | ", nodes)}";
                        (impact is "serious" or "critical" ? problems : minor).AppendLine(line);
                    }
                    checkedPages++;
                }
            }
        }
        output.WriteLine($"{locale}: {checkedPages} page views checked; moderate and minor:\n{minor}");
        Assert.Equal(Pages_.Length * Sizes.Length, checkedPages);
        Assert.True(problems.Length == 0, $"{locale}:\n{problems}");
    }

    [Fact]
    public async Task AScreenReader_HearsANewReportOnTheBoard_AndTheReporterHearsEachStep_EachInTheirLanguage()
    {
        await using var office = await app.OfficeScreenAsync("zh-CN");
        await app.SignInAsync(office, "dispatcher");
        var board = await office.NewPageAsync();
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);
        var said = board.Locator("[data-testid='board-announcement']");
        await Expect(said).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(said).ToHaveAttributeAsync("role", "status");

        // Room 204 is Wang Lei's, who is on duty: the report goes to him (no alert for the dispatcher, no toast on the board).
        await using var reporterPhone = await app.PhoneAsync("en-US");
        var report = await reporterPhone.APIRequest.PostAsync("/api/tickets", new APIRequestContextOptions
        {
            DataObject = new { areaCode = "A204", category = "Lighting", description = $"Screen reader: light out {Guid.NewGuid():N}"[..40] },
        });
        Assert.Equal(201, report.Status);
        var reported = (await report.JsonAsync())!.Value;
        await Expect(said).ToHaveTextAsync("新报修：Room 204：照明与电气");

        var track = await reporterPhone.NewPageAsync();
        await track.GotoAsync($"/track/{reported.GetProperty("trackingCode").GetString()}");
        await Pages.WaitForCircuitAsync(track);
        var step = track.Locator("[data-testid='track-announcement']");
        await Expect(step).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(step).ToHaveTextAsync("Your report: New");

        await using var caretaker = await app.PhoneAsync();
        await app.SignInAsync(caretaker, "staff1");
        var claim = await caretaker.APIRequest.PostAsync($"/api/tickets/{reported.GetProperty("id").GetInt32()}/claim");
        Assert.Equal(200, claim.Status);
        await Expect(step).ToHaveTextAsync("Your report: Claimed");
    }
}

/// <summary>
/// The accessibility checks' own app, alone: every page as the demo school seeds it, whatever the other tests did to
/// theirs, and nothing else running meanwhile (a burst of another test's reports is not on its board).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AccessibilityCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "accessibility";
}
