using Bunit;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Pages;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>A lead and helpers on a job: Wang Lei (staff1) leads the lights in Room 204; Li Na (staff2) helps.</summary>
public sealed class TeamworkTests : DispatchComponentTest
{
    private async Task<int> LedByWangLeiAsync()
    {
        var reported = await Data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("A204", "Lighting", "The lights won't turn on", false, null, null), TicketChannel.Web, null);
        Assert.True((await Data.Get<TicketChanges>().ClaimAsync(reported.Value!.Id, await Data.ActorAsync("staff1"))).IsOk);
        return reported.Value.Id;
    }

    [Fact]
    public async Task MyPhone_ShowsAJobIAmAddedTo_UnderHelping_Live_AndMyPartIsDone_MarksIt()
    {
        var li = await SignInAsync("staff2", Roles.Staff);
        var id = await LedByWangLeiAsync();
        RenderProviders();
        var cut = Render<MyTickets>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='waiting'], [data-testid='no-jobs']")));
        Assert.Empty(cut.FindAll("[data-testid='helping']"));

        Assert.True((await Data.Get<TicketTeam>().AddHelperAsync(id, li.StaffId!.Value, await Data.ActorAsync("staff1"))).IsOk);

        var helping = $"[data-testid='helping'][data-ticket='{id}']";
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("false", cut.Find(helping).GetAttribute("data-done"));
            Assert.Equal("Wang Lei leads this job", cut.Find($"{helping} [data-testid='helping-lead']").TextContent.Trim());
            Assert.NotNull(cut.Find($"{helping} [data-testid='helping-details']"));
        });
        Assert.Empty(cut.FindAll($"[data-testid='my-job'][data-ticket='{id}']"));

        await cut.Find($"{helping} [data-testid='my-part-done']").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find(helping).GetAttribute("data-done"));
            Assert.NotNull(cut.Find($"{helping} [data-testid='part-done']"));
            Assert.Equal("true", cut.Find($"{helping} [data-testid='helper-avatar']").GetAttribute("data-done"));
        });
        Assert.NotNull(await Data.QueryAsync(db => db.TicketHelpers.Where(h => h.TicketId == id).Select(h => h.DoneAt).SingleAsync()));
    }

    [Fact]
    public async Task DetailsDialog_TheLeadAddsAndRemovesHelpers_WithTheStaffPicker()
    {
        await SignInAsync("staff1", Roles.Staff);
        var wang = await Data.ActorAsync("staff1");
        var li = (await Data.ActorAsync("staff2")).StaffId!.Value;
        var id = await LedByWangLeiAsync();
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        var popovers = Render<MudPopoverProvider>();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TicketDetailsDialog>("Room 204",
            new DialogParameters<TicketDetailsDialog> { { d => d.TicketId, id }, { d => d.Actor, wang }, { d => d.MyStaffId, wang.StaffId } }));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid='helpers-panel'] [data-testid='no-helpers']")));

        await dialogs.Find("[data-testid='add-helper']").ClickAsync(new());
        popovers.WaitForAssertion(() => Assert.NotNull(popovers.Find($"[data-testid='assign-to'][data-staff='{li}']")));
        await popovers.Find($"[data-testid='assign-to'][data-staff='{li}']").ClickAsync(new());

        var chip = $"[data-testid='helper-chip'][data-staff='{li}']";
        await AdvanceUntilAsync(() => dialogs.FindAll(chip).Count == 1);
        Assert.Contains("Li Na", dialogs.Find(chip).TextContent);
        Assert.Equal(li, await Data.QueryAsync(db => db.TicketHelpers.Where(h => h.TicketId == id).Select(h => h.StaffId).SingleAsync()));

        await dialogs.Find($"{chip} .mud-chip-close-button").ClickAsync(new());

        await AdvanceUntilAsync(() => dialogs.FindAll(chip).Count == 0);
        Assert.False(await Data.QueryAsync(db => db.TicketHelpers.AnyAsync(h => h.TicketId == id)));
    }

    [Fact]
    public async Task DetailsDialog_AColleague_SeesTheHelpers_ButCannotChangeThem()
    {
        var zhang = await SignInAsync("staff3", Roles.Staff);
        var id = await LedByWangLeiAsync();
        Assert.True((await Data.Get<TicketTeam>().AddHelperAsync(id, (await Data.ActorAsync("staff2")).StaffId!.Value, await Data.ActorAsync("staff1"))).IsOk);
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();

        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TicketDetailsDialog>("Room 204",
            new DialogParameters<TicketDetailsDialog> { { d => d.TicketId, id }, { d => d.Actor, zhang }, { d => d.MyStaffId, zhang.StaffId } }));

        dialogs.WaitForAssertion(() => Assert.Contains("Li Na", dialogs.Find("[data-testid='helper-chip']").TextContent));
        Assert.Empty(dialogs.FindAll("[data-testid='add-helper']"));
        Assert.Empty(dialogs.FindAll("[data-testid='helper-chip'] .mud-chip-close-button"));
        Assert.Empty(dialogs.FindAll("[data-testid='dialog-part-done']"));
    }
}
