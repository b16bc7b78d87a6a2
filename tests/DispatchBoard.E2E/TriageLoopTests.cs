using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>Issue 12, triage: the dispatcher corrects a report on the board; the reporter's open tracking page follows live.</summary>
[Collection(AppCollection.Name)]
public sealed class TriageLoopTests(AppFixture app, ITestOutputHelper output)
{
    static TriageLoopTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task DispatcherCorrectsTheArea_OnTheBoard_TheReportersTrackingPageShowsItLive_WithoutTheInternalText()
    {
        await using var requesterContext = await app.PhoneAsync();
        await using var officeContext = await app.OfficeScreenAsync();
        await app.SignInAsync(officeContext, "dispatcher");
        var requester = await requesterContext.NewPageAsync();
        var board = await officeContext.NewPageAsync();

        // The reporter picks the wrong room: Room 204 in building A, when it is Room 203 in building B.
        await requester.GotoAsync("/r/A204");
        await Pages.WaitForCircuitAsync(requester);
        var description = $"E2E triage: desk wobbles ({Guid.NewGuid():N})"[..50];
        await requester.Locator("[data-category='Furniture']").ClickAsync();
        await requester.Locator("textarea[data-testid='description']").FillAsync(description);
        await requester.Locator("[data-testid='submit-report']").ClickAsync();
        await requester.Locator("[data-testid='track-link']").ClickAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Pages.WaitForCircuitAsync(requester);
        var area = requester.Locator(".db-card-path").First;
        await Expect(area).ToContainTextAsync("Room 204");

        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);
        var card = board.Locator("[data-column='New'] [data-testid='ticket-card']", new() { HasText = description });
        await card.Locator("button[aria-label='Details']").ClickAsync();
        var dialog = board.Locator(".mud-dialog");
        await dialog.Locator("[data-testid='edit-details']").ClickAsync();
        var picker = dialog.Locator("input[data-testid='edit-area'], [data-testid='edit-area'] input").First;
        await picker.FillAsync("B203");
        await board.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Room 203" }).First.ClickAsync();
        await app.ScreenshotAsync(board, "triage-01-edit-details");
        await dialog.Locator("[data-testid='edit-save']").ClickAsync();

        // The reporter's page, open all along, follows without a reload.
        await Expect(area).ToContainTextAsync("Teaching Building B");
        await Expect(area).ToContainTextAsync("Room 203");
        var timeline = requester.Locator("[data-testid='track-timeline']");
        await Expect(timeline).ToContainTextAsync("The office corrected the details");
        await Expect(timeline).Not.ToContainTextAsync("Room 204 → Room 203");
        await Expect(dialog).ToContainTextAsync("Area: Room 204 → Room 203");
        await Expect(card).ToContainTextAsync("Room 203");
        await app.ScreenshotAsync(requester, "triage-02-tracking-corrected");
        await app.ScreenshotAsync(board, "triage-03-board-corrected");
        output.WriteLine("The tracking page showed the corrected area live.");
    }
    [Fact]
    public async Task DispatcherOnAPhone_SelectsTwoCards_AndSetsTheirPriority_InOneGo()
    {
        var intake = app.Services.GetRequiredService<TicketIntake>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<int>();
        foreach (var area in new[] { "A101", "A102" })
        {
            var reported = await intake.ReportAsync(new ReportTicket(area, "Furniture", $"E2E bulk {tag}: stool broken", false, null, null), TicketChannel.Web, null);
            ids.Add(reported.Value!.Id);
        }
        await using var phone = await app.PhoneAsync();
        await app.SignInAsync(phone, "dispatcher");
        var board = await phone.NewPageAsync();
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);

        await board.Locator("[data-testid='bulk-select']").ClickAsync();
        foreach (var id in ids)
        {
            await board.Locator($"[data-select-ticket='{id}']").TapAsync();
        }
        await Expect(board.Locator("[data-testid='bulk-count']")).ToHaveTextAsync("2 selected");
        await board.Locator("[data-testid='bulk-priority']").TapAsync();
        await app.ScreenshotAsync(board, "triage-04-bulk-bar-phone");
        await board.Locator("[data-testid='bulk-priority-to'][data-priority='Urgent']").TapAsync();

        await Expect(board.Locator(".mud-snackbar")).ToContainTextAsync("2 reprioritised");
        foreach (var id in ids)
        {
            await Expect(board.Locator($"[data-column='New'] [data-ticket='{id}']")).ToContainTextAsync("Urgent");
        }
    }
}
