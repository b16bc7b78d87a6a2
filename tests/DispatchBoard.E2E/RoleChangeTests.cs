using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

[Collection(AppCollection.Name)]
public sealed class RoleChangeTests(AppFixture app)
{
    [Fact]
    public async Task DemotedAdmin_OpenAdminPage_LosesItAtOnce_AndStaysSignedInWithTheNewRole()
    {
        await using var adminContext = await app.OfficeScreenAsync();
        await using var deputyContext = await app.OfficeScreenAsync();
        await app.SignInAsync(adminContext, "admin");
        var created = await adminContext.APIRequest.PostAsync("/api/admin/users", new APIRequestContextOptions
        {
            DataObject = new { email = "deputy@demo.example", name = "Dana Deputy", roles = new[] { "Admin" }, password = AppFixture.Password },
        });
        Assert.Equal(201, created.Status);
        var deputyId = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("userId").GetString();

        await app.SignInAsync(deputyContext, "deputy");
        var deputy = await deputyContext.NewPageAsync();
        await deputy.GotoAsync("/admin/staff");
        await Pages.WaitForCircuitAsync(deputy);
        await Expect(deputy.Locator("tr[data-account='admin@demo.example']")).ToBeVisibleAsync();

        var demoted = await adminContext.APIRequest.PutAsync($"/api/admin/users/{deputyId}/roles", new APIRequestContextOptions
        {
            DataObject = new { roles = new[] { "Dispatcher" } },
        });
        Assert.Equal(200, demoted.Status);

        // The open circuit takes the new role without anyone touching it: the admin page goes, the person stays signed in.
        await Expect(deputy.GetByText("This page is not for your role")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(deputy.Locator("tr[data-account='admin@demo.example']")).ToHaveCountAsync(0);
        var me = JsonDocument.Parse(await (await deputyContext.APIRequest.GetAsync("/api/auth/me")).TextAsync()).RootElement;
        Assert.Equal(["Dispatcher"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // Put things back for the other tests sharing the app: no extra dispatcher to alert.
        var removed = await adminContext.APIRequest.PostAsync($"/api/admin/users/{deputyId}/active", new APIRequestContextOptions { DataObject = new { active = false } });
        Assert.Equal(200, removed.Status);
    }
}
