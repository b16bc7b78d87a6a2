using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class DuplicateMergeTests(AppFixture app)
{
    static DuplicateMergeTests() => SetDefaultExpectTimeout(10_000);

    private static Task<(int Id, string Code)> ReportAsync(IBrowserContext context, string area, string description) =>
        Pages.ReportAsync(context, area, "Cleaning", description);

    [Fact]
    public async Task DispatcherMergesOnTheBoard_BothTrackingPagesFollowTheSurvivorLive_AndItsClaim()
    {
        await using var firstReporterContext = await app.PhoneAsync();
        await using var secondReporterContext = await app.PhoneAsync();
        await using var officeContext = await app.OfficeScreenAsync();
        await app.SignInAsync(officeContext, "dispatcher");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var first = await ReportAsync(firstReporterContext, "A401", $"E2E merge: spilled paint on the floor {tag}");
        var second = await ReportAsync(secondReporterContext, "A402", $"E2E merge: paint everywhere in the corridor {tag}");

        var firstTrack = await firstReporterContext.NewPageAsync();
        var secondTrack = await secondReporterContext.NewPageAsync();
        var board = await officeContext.NewPageAsync();
        await firstTrack.GotoAsync($"/track/{first.Code}");
        await secondTrack.GotoAsync($"/track/{second.Code}");
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(firstTrack);
        await Pages.WaitForCircuitAsync(secondTrack);
        await Pages.WaitForCircuitAsync(board);
        await Expect(firstTrack.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Expect(secondTrack.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");

        var secondCard = board.Locator($"[data-testid='ticket-card'][data-ticket='{second.Id}']");
        await Expect(secondCard.Locator("[data-testid='possible-duplicate-of']")).ToHaveTextAsync($"possible duplicate of #{first.Id}");
        await secondCard.Locator("[aria-label='Details']").ClickAsync();
        var offer = board.Locator($"[data-testid='possible-duplicate'][data-ticket='{first.Id}']");
        await Expect(offer).ToBeVisibleAsync();
        await app.ScreenshotAsync(board, "dupes-01-possible-duplicate");
        await offer.Locator("[data-testid='merge-into']").ClickAsync();

        await Expect(board.Locator("[data-testid='merged-into']")).ToContainTextAsync($"Merged into #{first.Id}");
        await Expect(secondTrack.Locator("[data-testid='track-joined']")).ToHaveTextAsync("Your report was joined with another report of the same problem.");
        await Expect(secondTrack.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Expect(firstTrack.Locator("[data-testid='track-timeline']")).ToContainTextAsync("Joined with another report of the same problem");
        await Expect(firstTrack.Locator("[data-testid='track-joined']")).ToHaveCountAsync(0);
        await Expect(secondTrack.Locator("body")).Not.ToContainTextAsync(TrackingCodeDisplay(first.Code));
        await board.Keyboard.PressAsync("Escape");
        var firstCard = board.Locator($"[data-testid='ticket-card'][data-ticket='{first.Id}']");
        await Expect(firstCard.Locator("[data-testid='report-count']")).ToHaveTextAsync("2 reports");
        await Expect(secondCard).ToHaveCountAsync(0);

        // Someone takes the surviving job: both reporters see it, live.
        var staff = (await (await officeContext.APIRequest.GetAsync("/api/staff")).JsonAsync())!.Value;
        var wang = staff.EnumerateArray().First(s => s.GetProperty("name").GetString() == "Wang Lei").GetProperty("id").GetInt32();
        var assigned = await officeContext.APIRequest.PostAsync($"/api/tickets/{first.Id}/assign", new APIRequestContextOptions { DataObject = new { staffId = wang } });
        Assert.Equal(200, assigned.Status);

        await Expect(firstTrack.Locator("[data-testid='track-status']")).ToHaveTextAsync("Claimed");
        await Expect(secondTrack.Locator("[data-testid='track-status']")).ToHaveTextAsync("Claimed");
        await Expect(firstCard).ToContainTextAsync("Wang Lei");
        await app.ScreenshotAsync(secondTrack, "dupes-02-merged-tracking-page");
        await app.ScreenshotAsync(board, "dupes-03-board-two-reports");
    }

    private static string TrackingCodeDisplay(string code) => $"{code[..5]}-{code[5..]}";
}
