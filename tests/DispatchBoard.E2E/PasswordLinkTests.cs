using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// "Reset password" on /admin/staff with no SMTP: the link is shown once to the admin; another browser opens it, sets a
/// new password and signs in with it; the same link opened again says it was used.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PasswordLinkTests(AppFixture app)
{
    static PasswordLinkTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AdminsResetLink_IsShownOnce_SetsANewPassword_ThenSaysItWasUsed()
    {
        const string email = "e2e-reset@demo.example";
        const string newPassword = "New-Start-2027!";
        await using var adminContext = await app.OfficeScreenAsync();
        await app.SignInAsync(adminContext, "admin");
        // A person of this test's own, so no other test's sign-in depends on the password it changes.
        var created = await adminContext.APIRequest.PostAsync("/api/admin/users", new APIRequestContextOptions
        {
            DataObject = new { email, name = "Robin Reset", roles = new[] { "Staff" }, password = AppFixture.Password },
        });
        Assert.Equal(201, created.Status);

        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/admin/staff");
        await Pages.WaitForCircuitAsync(admin);
        await admin.Locator($"tr[data-account='{email}'] [data-testid='reset-password']").ClickAsync();
        await admin.Locator(".mud-dialog .mud-button-root", new() { HasText = "Make link" }).ClickAsync();
        var shown = admin.Locator("textarea[data-testid='password-link-url']");
        await Expect(shown).ToHaveValueAsync(new Regex("/account/set-password\\?token="));
        await Expect(admin.Locator("[data-testid='password-link-copy']")).ToBeVisibleAsync();
        var link = new Uri(await shown.InputValueAsync());
        await app.ScreenshotAsync(admin, "30-admin-reset-link");
        await admin.Locator("[data-testid='password-link-close']").ClickAsync();
        await Expect(shown).ToHaveCountAsync(0);
        // Shown once: nothing on the page holds the token any more.
        Assert.DoesNotContain(link.Query, await admin.ContentAsync(), StringComparison.Ordinal);

        await using var phoneContext = await app.PhoneAsync();
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(link.PathAndQuery);
        await Pages.WaitForCircuitAsync(phone);
        await Expect(phone.Locator("[data-testid='link-for']")).ToContainTextAsync("Choose a password for Robin Reset");
        await phone.Locator("input[data-testid='set-password-new']").FillAsync(newPassword);
        await phone.Locator("input[data-testid='set-password-repeat']").FillAsync(newPassword);
        await phone.Locator("[data-testid='set-password-submit']").ClickAsync();
        await Expect(phone.Locator("[data-testid='set-password-done']")).ToContainTextAsync("Your password is set, Robin Reset.");
        await app.ScreenshotAsync(phone, "31-set-password-done");

        await phone.Locator("[data-testid='set-password-sign-in']").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex("/login"));
        await phone.Locator("input[data-testid='login-email']").FillAsync(email);
        await phone.Locator("input[data-testid='login-password']").FillAsync(newPassword);
        await phone.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex("/my"));

        await using var laterContext = await app.PhoneAsync();
        var later = await laterContext.NewPageAsync();
        await later.GotoAsync(link.PathAndQuery);
        await Expect(later.Locator("[data-testid='link-problem']")).ToContainTextAsync("This link was already used on");
        await Expect(later.Locator("[data-testid='link-problem']")).ToContainTextAsync("Ask the office for a new one.");
        await Expect(later.Locator("input[data-testid='set-password-new']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ChangingMyPassword_SignsOutMyOtherBrowserAtOnce_AndThisOneStaysSignedIn()
    {
        const string email = "e2e-change@demo.example";
        const string newPassword = "Changed-Here-2027!";
        await using var adminContext = await app.OfficeScreenAsync();
        await app.SignInAsync(adminContext, "admin");
        var created = await adminContext.APIRequest.PostAsync("/api/admin/users", new APIRequestContextOptions
        {
            DataObject = new { email, name = "Casey Change", roles = new[] { "Staff" }, password = AppFixture.Password },
        });
        Assert.Equal(201, created.Status);
        await using var phoneContext = await app.PhoneAsync();
        await using var deskContext = await app.OfficeScreenAsync();
        foreach (var context in new[] { phoneContext, deskContext })
        {
            var signedIn = await context.APIRequest.PostAsync("/api/auth/login", new APIRequestContextOptions { DataObject = new { email, password = AppFixture.Password } });
            Assert.True(signedIn.Ok);
        }
        var desk = await deskContext.NewPageAsync();
        await desk.GotoAsync("/account");
        await Pages.WaitForCircuitAsync(desk);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync("/account");
        await Pages.WaitForCircuitAsync(phone);

        await phone.Locator("input[data-testid='current-password']").FillAsync(AppFixture.Password);
        await phone.Locator("input[data-testid='new-password']").FillAsync(newPassword);
        await phone.Locator("input[data-testid='repeat-password']").FillAsync(newPassword);
        await phone.Locator("[data-testid='change-password-submit']").ClickAsync();

        await Expect(phone.Locator("[data-testid='change-password-done']")).ToBeVisibleAsync();
        // The other browser's open page is signed out without anyone touching it.
        await Expect(desk).ToHaveURLAsync(new Regex("/login"));
        await app.ScreenshotAsync(phone, "32-password-changed");
        // This browser kept its page and got a new cookie: a fresh load is still signed in.
        Assert.EndsWith("/account", phone.Url);
        await phone.ReloadAsync();
        await Expect(phone.Locator("[data-testid='change-password']")).ToBeVisibleAsync();
        Assert.EndsWith("/account", phone.Url);
        Assert.Equal(401, (await deskContext.APIRequest.GetAsync("/api/auth/me")).Status);
    }
}
