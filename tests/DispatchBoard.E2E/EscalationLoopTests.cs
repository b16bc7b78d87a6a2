using System.Text.RegularExpressions;
using DispatchBoard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class EscalationLoopTests(AppFixture app)
{
    static EscalationLoopTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task StaffEscalates_PrincipalSeesItLive_Decides_ReporterSeesTheDecision_AndConfirmsWithARating()
    {
        await using var requesterContext = await app.PhoneAsync();
        await using var staffContext = await app.PhoneAsync();
        await using var principalContext = await app.OfficeScreenAsync();
        await app.SignInAsync(staffContext, "staff2");
        await app.SignInAsync(principalContext, "principal");
        var requester = await requesterContext.NewPageAsync();
        var staff = await staffContext.NewPageAsync();
        var principal = await principalContext.NewPageAsync();
        await staff.GotoAsync("/my");
        await principal.GotoAsync("/principal");
        await requester.GotoAsync("/r/B101");
        await Pages.WaitForCircuitAsync(staff);
        await Pages.WaitForCircuitAsync(principal);
        await Pages.WaitForCircuitAsync(requester);

        // The teacher reports with a photo, from the QR code on the lab door.
        var description = $"E2E: fume hood fan dead ({Guid.NewGuid():N})"[..44];
        await requester.Locator("[data-category='SafetyHazard']").ClickAsync();
        await requester.Locator("textarea[data-testid='description']").FillAsync(description);
        await requester.Locator("input[data-testid='photo-input']").SetInputFilesAsync(new FilePayload
        {
            Name = "hood.png", MimeType = "image/png", Buffer = TestImages.Png(64, 48),
        });
        await Expect(requester.Locator(".db-photo-picker .mud-chip")).ToContainTextAsync("hood.png");
        await requester.Locator("[data-testid='submit-report']").ClickAsync();
        await requester.Locator("[data-testid='track-link']").ClickAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Pages.WaitForCircuitAsync(requester);

        // Li Na owns Teaching Building B: it is sent to her first. She claims it, goes, and finds it needs a purchase.
        var waiting = staff.Locator("[data-testid='waiting'][data-for-me='true']", new() { HasText = description });
        await Expect(waiting).ToBeVisibleAsync();
        await waiting.Locator("[data-testid='claim']").ClickAsync();
        var job = staff.Locator("[data-testid='my-job']", new() { HasText = description });
        await job.Locator("[data-testid='on-site']").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "OnSite");
        await job.Locator("[data-testid='escalate']").ClickAsync();
        await staff.Locator("[data-testid='escalate-reason']").ClickAsync();
        await staff.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Purchase needed" }).ClickAsync();
        await staff.Locator("textarea[data-testid='escalate-note']").FillAsync("Fan motor burnt out; a new one is about 900 yuan.");
        await staff.Locator("[data-testid='escalate-send']").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "Escalated");

        // The principal's inbox shows it without a reload, with the photo.
        var item = principal.Locator("[data-testid='inbox-item']", new() { HasText = description });
        await Expect(item).ToBeVisibleAsync();
        await Expect(item).ToContainTextAsync("Purchase needed");
        await Expect(item).ToContainTextAsync("900 yuan");
        await Expect(item.Locator(".db-photos img")).ToHaveCountAsync(1);
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("Passed to the principal's office");
        await app.ScreenshotAsync(principal, "20-principal-inbox");

        await item.Locator("[data-testid='approve']").ClickAsync();
        await principal.Locator("textarea[data-testid='decision-note']").FillAsync("Approved: order the motor today.");
        await principal.Locator("[data-testid='decision-confirm']").ClickAsync();
        await Expect(item).ToHaveCountAsync(0);

        // The reporter sees the decision; the staff member is told and gets the job back.
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("Approved by the principal's office");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("order the motor today");
        await app.ScreenshotAsync(requester, "21-track-with-decision");
        await Expect(staff.Locator("[data-testid='bell-badge'] .mud-badge")).ToBeVisibleAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "Claimed");
        await job.Locator("[data-testid='on-site']").ClickAsync();
        await job.Locator("[data-testid='resolve']").ClickAsync();
        await staff.Locator("textarea[data-testid='resolve-note']").FillAsync("New fan motor fitted and tested.");
        await staff.Locator("[data-testid='resolve-confirm']").ClickAsync();

        // The reporter confirms with four stars: the report closes with the rating.
        await Expect(requester.Locator("[data-testid='confirm-card']")).ToBeVisibleAsync();
        await requester.Locator("[data-testid='confirm-rating'] .mud-rating-item").Nth(3).ClickAsync();
        await requester.Locator("input[data-testid='confirm-comment']").FillAsync("Works again, thanks!");
        await app.ScreenshotAsync(requester, "22-track-confirm");
        await requester.Locator("[data-testid='confirm-fixed']").ClickAsync();
        await Expect(requester.Locator("[data-testid='track-status']")).ToHaveTextAsync("Closed");
        await Expect(requester.Locator("[data-testid='track-timeline']")).ToContainTextAsync("Rated 4/5: Works again, thanks!");
        await Expect(requester.Locator("[data-testid='confirm-card']")).ToHaveCountAsync(0);
        await app.ScreenshotAsync(requester, "23-track-closed");
    }
}
