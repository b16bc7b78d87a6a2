using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// axe-core (<see cref="Axe"/>) on every page, signed in as the role that uses it, on the office screen (1920×1080) and a
/// phone (375×812): no serious or critical violation, and headings that form an outline. The moderate and minor ones are written to the test output (and
/// the issue note). On an app of its own, the demo school as seeded, run when no other test runs: what the pages show
/// does not depend on which tests ran before (see AccessibilityCollection).
/// </summary>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityTests(AppFixture app, ITestOutputHelper output)
{
    /// <summary>
    /// In English, on an English school. In Chinese, the same pages of a Chinese school are checked by
    /// <see cref="ChineseSchoolTests"/>, on the same page loads as its scan for leftover English.
    /// </summary>
    [Fact]
    public async Task EveryPage_InEnglish_AtBothSizes_HasNoSeriousOrCriticalViolation_AndAHeadingOutline()
    {
        var problems = new StringBuilder();
        var minor = new StringBuilder();
        var checkedPages = await EveryPage.VisitAsync(app, "en-US", async (page, path, size) =>
        {
            foreach (var (serious, line) in await Axe.CheckAsync(page, $"{path} {size}"))
            {
                (serious ? problems : minor).AppendLine(line);
            }
            if (await Axe.OutlineProblemAsync(page) is { Length: > 0 } outline)
            {
                problems.AppendLine($"{path} {size} headings: {outline}");
            }
        });
        output.WriteLine($"en-US: {checkedPages} page views checked; moderate and minor:\n{minor}");
        Assert.Equal(EveryPage.All.Length * EveryPage.Sizes.Length, checkedPages);
        Assert.True(problems.Length == 0, problems.ToString());
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
