using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Planning;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

public sealed class PlanningPageTests : DispatchComponentTest
{
    [Fact]
    public async Task AddToThisMonth_AServerError_KeepsWhatWasTyped_ThenTheItemIsQueued()
    {
        var dispatcher = await SignInAsync("dispatcher", Roles.Dispatcher);
        var created = await Data.Get<PlanService>().CreateSemesterAsync(new SemesterInput("Autumn 2026", new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 22)), null, dispatcher);
        Assert.True(created.IsOk, created.Describe());
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        var cut = Render<PlanningPage>();

        // The semester is under way: the page opens on the monthly work accounts.
        // The click's handler lasts as long as the dialog is open.
        var adding = cut.Find("[data-testid='month'][data-month='2026-11'] [data-testid='add-month']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find(".mud-dialog")));
        await dialogs.Find("input[data-testid='plan-title']").InputAsync(new() { Value = "Check every fire door closes by itself" });
        await dialogs.Find(".mud-dialog input[type='date']").InputAsync(new() { Value = "0226-11-27" }); // a slip of the year
        await dialogs.Find("[data-testid='plan-save']").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("not a school date", dialogs.Find(".mud-dialog").TextContent));
        Assert.Equal("Check every fire door closes by itself", dialogs.Find("input[data-testid='plan-title']").GetAttribute("value"));
        Assert.DoesNotContain(cut.FindAll("[data-testid='plan-item']"), i => i.TextContent.Contains("fire door"));

        await dialogs.Find(".mud-dialog input[type='date']").InputAsync(new() { Value = "2026-11-27" });
        await dialogs.Find("[data-testid='plan-save']").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        await adding;
        cut.WaitForAssertion(() =>
        {
            var item = Assert.Single(cut.FindAll("[data-testid='month'][data-month='2026-11'] [data-testid='plan-item']"), i => i.TextContent.Contains("Check every fire door closes by itself"));
            Assert.Equal("ToDo", item.GetAttribute("data-status"));
            Assert.Contains("due Fri 27 Nov", item.TextContent);
        });
    }
}
