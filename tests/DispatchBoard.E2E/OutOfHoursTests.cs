using DispatchBoard.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// The app on a Saturday morning: its clock runs at real speed from 10:00 school time on the Saturday of this week, and
/// the school works Monday–Friday 07:30–17:30. (Within days of the real date, so a sign-in cookie would still be valid.)
/// </summary>
public sealed class SaturdayAppFixture : AppFixture
{
    public const string OfficePhone = "0571-8888-1234";

    public static DateTimeOffset SaturdayMorning()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var saturday = today.AddDays(((int)DayOfWeek.Saturday - (int)today.DayOfWeek + 7) % 7);
        var local = saturday.ToDateTime(new TimeOnly(10, 0));
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    protected override void ConfigureApp(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestHours.SchoolWeek())
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("School:OfficePhone", OfficePhone);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(SaturdayMorning())));
    }

    /// <summary>The system clock moved to start at <paramref name="start"/>; it runs, and its timers are the system's.</summary>
    private sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _offset = start - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    }
}

public sealed class OutOfHoursTests(SaturdayAppFixture app) : IClassFixture<SaturdayAppFixture>
{
    static OutOfHoursTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AReportMadeOnSaturday_ConfirmationAndTrackingPage_SayWhenTheOfficeOpens()
    {
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/r/A204");
        await Expect(page.Locator("[data-testid='preset-area']")).ToHaveTextAsync("Room 204");
        await Pages.WaitForCircuitAsync(page);

        await page.Locator("[data-category='Furniture']").ClickAsync();
        await page.Locator("textarea[data-testid='description']").FillAsync("E2E: a stool in row 3 has a loose leg");
        await page.Locator("[data-testid='submit-report']").ClickAsync();

        var notice = page.Locator("[data-testid='office-hours']");
        await Expect(notice).ToContainTextAsync("Received on Saturday at 10:0");
        await Expect(notice).ToContainTextAsync("the office opens Mon 07:30, and your report will be looked at then.");
        await Expect(notice).ToContainTextAsync($"Urgent or dangerous? Call {SaturdayAppFixture.OfficePhone}.");
        await app.ScreenshotAsync(page, "40-saturday-report-confirmation");

        await page.Locator("[data-testid='track-link']").ClickAsync();
        await Expect(page.Locator("[data-testid='track-status']")).ToHaveTextAsync("New");
        await Expect(page.Locator("[data-testid='office-hours']")).ToContainTextAsync("the office opens Mon 07:30");
        await app.ScreenshotAsync(page, "41-saturday-tracking-page");
    }
}
