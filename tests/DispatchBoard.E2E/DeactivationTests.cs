using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class DeactivationTests(AppFixture app)
{
    [Fact]
    public async Task DeactivatedStaffMember_OpenPhonePage_IsSignedOutAtOnce_AndCannotSignInAgain()
    {
        await using var phoneContext = await app.PhoneAsync();
        await using var adminContext = await app.OfficeScreenAsync();
        await app.SignInAsync(phoneContext, "staff3");
        await app.SignInAsync(adminContext, "admin");
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync("/my");
        await Pages.WaitForCircuitAsync(phone);
        await Expect(phone.Locator("[data-testid='duty-card']")).ToContainTextAsync("Zhang Wei");

        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/admin/staff");
        await Pages.WaitForCircuitAsync(admin);
        var row = admin.Locator("tr[data-account='staff3@demo.example']");
        await row.Locator("[data-testid='toggle-active']").ClickAsync();
        await admin.Locator(".mud-dialog .mud-button-root", new() { HasText = "Deactivate" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Deactivated");
        await app.ScreenshotAsync(admin, "24-admin-people");

        // The open circuit turns anonymous: the phone lands on the sign-in page without anyone touching it.
        await Expect(phone).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 10_000 });
        var again = await phoneContext.APIRequest.PostAsync("/api/auth/login", new APIRequestContextOptions
        {
            DataObject = new { email = "staff3@demo.example", password = AppFixture.Password },
        });
        Assert.Equal(401, again.Status); // like a wrong password: the sign-in does not say the account exists

        // Put things back for the other tests sharing the app.
        var users = JsonDocument.Parse(await (await adminContext.APIRequest.GetAsync("/api/admin/users")).TextAsync()).RootElement;
        var id = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "staff3@demo.example").GetProperty("userId").GetString();
        var restored = await adminContext.APIRequest.PostAsync($"/api/admin/users/{id}/active", new APIRequestContextOptions { DataObject = new { active = true } });
        Assert.Equal(200, restored.Status);
    }
}
