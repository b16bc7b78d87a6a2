using System.Collections.Concurrent;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// Every page, opened as the role it is for, runs under the app's CSP without a single violation: Blazor's circuit
/// connects, MudBlazor's pop-overs and dialogs open, a live update arrives.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ContentSecurityPolicyTests(AppFixture app, ITestOutputHelper output)
{
    static ContentSecurityPolicyTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AnonymousPages_RunWithoutACspViolation()
    {
        var code = await ReportAsync("E2E CSP: tracking page");
        await using var context = await app.PhoneAsync();
        var violations = await CspWatch.StartAsync(context);
        var page = await context.NewPageAsync();

        foreach (var path in new[] { "/", "/r/A204", $"/track/{code}", $"/track/{code}/stop-emails?t=not-a-token", "/login", "/pair", "/account/set-password?token=not-a-link" })
        {
            await OpenAsync(page, path, violations);
        }

        await OpenAsync(page, "/report", violations);
        await page.Locator("input[data-testid='area-picker'], [data-testid='area-picker'] input").First.FillAsync("20");
        await Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "/report (area picker open)", violations);
    }

    [Fact]
    public async Task StaffPages_RunWithoutACspViolation()
    {
        await using var context = await app.PhoneAsync();
        await app.SignInAsync(context, "staff1");
        var violations = await CspWatch.StartAsync(context);
        var page = await context.NewPageAsync();

        foreach (var path in new[] { "/my", "/board", "/board/tv", "/rounds", "/meetings", "/planning", "/suggestions", "/notifications", "/account" })
        {
            await OpenAsync(page, path, violations);
        }
    }

    [Fact]
    public async Task DispatcherPages_RunWithoutACspViolation_AndTheCircuitIsLive()
    {
        await using var context = await app.OfficeScreenAsync();
        await app.SignInAsync(context, "dispatcher");
        var violations = await CspWatch.StartAsync(context);
        var page = await context.NewPageAsync();

        await OpenAsync(page, "/board", violations);
        // A ticket reported now reaches the open board over the circuit's WebSocket: connect-src lets it through.
        var description = $"E2E CSP: live ({Guid.NewGuid():N})"[..40];
        await ReportAsync(description);
        var card = page.Locator("[data-testid='ticket-card']", new() { HasText = description });
        await Expect(card).ToBeVisibleAsync();
        await card.Locator("[aria-label='Details']").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "/board (ticket details)", violations);

        await OpenAsync(page, "/reports", violations);
        await OpenAsync(page, "/reports/print", violations);
    }

    [Fact]
    public async Task PrincipalAndAdminPages_RunWithoutACspViolation()
    {
        await using var principal = await app.OfficeScreenAsync();
        await app.SignInAsync(principal, "principal");
        var principalViolations = await CspWatch.StartAsync(principal);
        await OpenAsync(await principal.NewPageAsync(), "/principal", principalViolations);

        await using var admin = await app.OfficeScreenAsync();
        await app.SignInAsync(admin, "admin");
        var violations = await CspWatch.StartAsync(admin);
        var page = await admin.NewPageAsync();
        foreach (var path in new[] { "/admin/areas", "/admin/staff", "/admin/posters?area=A204", "/admin/checklists", "/admin/displays", "/admin/audit", "/admin/calendar", "/admin/roster", "/admin/system" })
        {
            await OpenAsync(page, path, violations);
        }

        // Hangfire's dashboard is not a Blazor page: it runs under its own, relaxed policy.
        var response = await page.GotoAsync("/hangfire");
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("#stats, .js-page-container").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "/hangfire", violations);
    }

    private async Task OpenAsync(IPage page, string path, ConcurrentQueue<string> violations)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response!.Ok, $"{path} answered {response.Status}");
        await Pages.WaitForCircuitAsync(page);
        await AssertNoViolationsAsync(page, path, violations);
    }

    private async Task AssertNoViolationsAsync(IPage page, string where, ConcurrentQueue<string> console)
    {
        var events = await CspWatch.EventsAsync(page);
        var all = console.Concat(events).ToList();
        output.WriteLine($"{where}: {all.Count} violation(s)");
        Assert.True(all.Count == 0, $"CSP violations on {where}:{Environment.NewLine}{string.Join(Environment.NewLine, all)}");
    }


    private async Task<string> ReportAsync(string description)
    {
        var result = await app.Services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A204", "Lighting", description, false, null, null), TicketChannel.Web, null);
        return result.Value!.TrackingCode;
    }
}
