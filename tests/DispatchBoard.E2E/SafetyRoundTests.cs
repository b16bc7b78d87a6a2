using DispatchBoard.Web.Inspections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class SafetyRoundTests(AppFixture app)
{
    static SafetyRoundTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task HazardMarkedOnThePhone_AppearsOnTheBoardLive()
    {
        await app.Services.GetRequiredService<InspectionService>().CreateWeekAsync("* * * * *");
        await using var phoneContext = await app.PhoneAsync();
        await using var officeContext = await app.OfficeScreenAsync();
        await app.SignInAsync(phoneContext, "staff4");
        await app.SignInAsync(officeContext, "dispatcher");
        var phone = await phoneContext.NewPageAsync();
        var board = await officeContext.NewPageAsync();
        await board.GotoAsync("/board");
        await phone.GotoAsync("/rounds");
        await Pages.WaitForCircuitAsync(board);
        await Pages.WaitForCircuitAsync(phone);

        await phone.Locator("[data-testid='round']", new() { HasText = "Playground" }).First.ClickAsync();
        await Pages.WaitForCircuitAsync(phone);
        var check = phone.Locator("[data-testid='check']", new() { HasText = "Fences and gates" });
        await Expect(check).ToHaveAttributeAsync("data-result", "Pending");
        await phone.Locator("[data-testid='check']", new() { HasText = "Ground surface" }).Locator("[data-testid='check-ok']").ClickAsync();
        await Expect(phone.Locator("[data-testid='round-progress']")).ToContainTextAsync("1 of 3");

        await check.Locator("[data-testid='check-hazard']").ClickAsync();
        var hazard = $"E2E: gate hinge snapped ({Guid.NewGuid():N})"[..40];
        await phone.Locator("textarea[data-testid='hazard-text']").FillAsync(hazard);
        await phone.Locator("[data-testid='hazard-save']").ClickAsync();
        await Expect(check).ToHaveAttributeAsync("data-result", "Hazard");
        await Expect(check).ToContainTextAsync("ticket");
        await app.ScreenshotAsync(phone, "30-phone-safety-round");

        var card = board.Locator("[data-column='New'] [data-testid='ticket-card']", new() { HasText = hazard });
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("Playground");
        await Expect(card).ToContainTextAsync("Safety hazard");
        await app.ScreenshotAsync(board, "31-board-hazard-from-round");
    }
}
