using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>The duty roster on an app of its own: its slots switch people's duty, which the other scenarios rely on.</summary>
[CollectionDefinition(Name)]
public sealed class RosterCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "roster";
}

[Collection(RosterCollection.Name)]
public sealed class RosterScreenTests(AppFixture app)
{
    static RosterScreenTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task TheRoster_OnTheOfficeScreenAndAPhone_ShowsTheWeekAndEachPersonsDuty()
    {
        await SeedRosterAsync();
        await using var office = await app.OfficeScreenAsync();
        await app.SignInAsync(office, "admin");
        var page = await office.NewPageAsync();
        await page.GotoAsync("/admin/roster");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid='roster-grid']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='roster-slot']")).ToHaveCountAsync(19);

        // The form starts on the first person (Li Na) and today; her mornings from 08:00 are free every day.
        await page.Locator("input[data-testid='slot-start']").FillAsync("08:00");
        await page.Locator("input[data-testid='slot-end']").FillAsync("09:00");
        await page.Locator("[data-testid='add-slot']").ClickAsync();
        await Expect(page.Locator("[data-testid='roster-slot']")).ToHaveCountAsync(20);
        await Pages.DismissSnackbarsAsync(page);
        await app.ScreenshotAsync(page, "roster-office");

        await using var phoneContext = await app.PhoneAsync();
        await app.SignInAsync(phoneContext, "admin");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync("/admin/roster");
        await Pages.WaitForCircuitAsync(phone);
        await Expect(phone.Locator("[data-testid='roster-grid']")).ToBeVisibleAsync();
        // The grid scrolls inside its card; the page itself does not scroll sideways.
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await app.ScreenshotAsync(phone, "roster-phone");

        await using var staffContext = await app.PhoneAsync();
        await app.SignInAsync(staffContext, "staff4");
        var my = await staffContext.NewPageAsync();
        await my.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(my);
        await Expect(my.Locator("[data-testid='my-duty']")).ToContainTextAsync("Your duty");
        await Expect(my.Locator("[data-testid='my-slot']").First).ToBeVisibleAsync();
        Assert.True(await my.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await app.ScreenshotAsync(my, "roster-my");
    }

    private async Task SeedRosterAsync()
    {
        Actor admin;
        Dictionary<string, int> staff;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync($"admin@{DemoSeed.Domain}"))!;
            admin = new Actor(user.Id, user.DisplayName, CanDispatch: true, IsAdmin: true);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
            staff = await db.Staff.ToDictionaryAsync(s => s.DisplayName, s => s.Id);
        }
        var roster = app.Services.GetRequiredService<RosterService>();
        async Task Slot(string who, DayOfWeek day, string start, string end, RosterKind kind)
        {
            var result = await roster.AddSlotAsync(new RosterSlotInput(staff[who], day, start, end, kind), admin);
            Assert.True(result.IsOk, result.Describe());
        }
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            await Slot("Wang Lei", day, "07:30", "12:30", RosterKind.Standby);
            await Slot("Li Na", day, "12:30", "17:30", RosterKind.Standby);
        }
        foreach (var (who, day) in new[] { ("Wang Lei", DayOfWeek.Monday), ("Li Na", DayOfWeek.Tuesday), ("Zhang Wei", DayOfWeek.Wednesday),
                     ("Liu Yang", DayOfWeek.Thursday), ("Zhang Wei", DayOfWeek.Friday) })
        {
            await Slot(who, day, "17:30", "07:30", RosterKind.OnCall);
        }
        await Slot("Liu Yang", DayOfWeek.Saturday, "07:30", "07:30", RosterKind.OnCall);
        await Slot("Wang Lei", DayOfWeek.Sunday, "07:30", "07:30", RosterKind.OnCall);
        await Slot("Liu Yang", DayOfWeek.Tuesday, "08:00", "17:00", RosterKind.Standby);
        await Slot("Liu Yang", DayOfWeek.Thursday, "08:00", "17:00", RosterKind.Standby);
    }
}
