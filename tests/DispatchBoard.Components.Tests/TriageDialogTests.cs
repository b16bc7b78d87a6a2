using Bunit;
using DispatchBoard.Testing;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>Issue 12, triage in the details dialog (Edit details, Add a note) and the board's bulk actions.</summary>
public sealed class TriageDialogTests : DispatchComponentTest
{
    private async Task<TicketDto> ReportAsync(string area = "A204", string description = "Lights out at the back")
    {
        var result = await Data.Get<TicketIntake>().ReportAsync(new ReportTicket(area, "Lighting", description, false, null, null, "back row"),
            TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return (await Data.Get<TicketQueries>().GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenDetailsAsync(TicketDto ticket, Actor actor)
    {
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TicketDetailsDialog>(ticket.AreaName,
            new DialogParameters<TicketDetailsDialog> { { d => d.TicketId, ticket.Id }, { d => d.Actor, actor }, { d => d.MyStaffId, actor.StaffId } }));
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll(".mud-timeline")));
        return dialogs;
    }

    [Fact]
    public async Task Dispatcher_EditsPriorityAreaAndLocation_AndTheTimelineShowsEachOldToNew()
    {
        var actor = await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        var dialogs = await OpenDetailsAsync(ticket, actor);
        var room203 = (await Data.Get<AreaDirectory>().GetAsync()).ByCode["B203"];

        await dialogs.Find("[data-testid='edit-details']").ClickAsync(new());
        await dialogs.InvokeAsync(() => dialogs.FindComponent<MudSelect<TicketPriority>>().Instance.ValueChanged.InvokeAsync(TicketPriority.Urgent));
        await dialogs.InvokeAsync(() => dialogs.FindComponent<MudAutocomplete<AreaInfo>>().Instance.ValueChanged.InvokeAsync(room203));
        dialogs.Find("input[data-testid='edit-location']").Input("");
        await dialogs.Find("[data-testid='edit-save']").ClickAsync(new());

        var stored = (await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!.Ticket;
        Assert.Equal((TicketPriority.Urgent, "B203", (string?)null), (stored.Priority, stored.AreaCode, stored.LocationDetail));
        await AdvanceUntilAsync(() => dialogs.Markup.Contains("Priority: Normal → Urgent"));
        Assert.Contains("Area: Room 204 → Room 203", dialogs.Markup);
        Assert.Contains("Location: “back row” → cleared", dialogs.Markup);
        Assert.Empty(dialogs.FindAll("[data-testid='edit-form']"));
    }

    [Fact]
    public async Task Dispatcher_SavingTheFormUnchanged_IsToldThereIsNothingToChange()
    {
        var actor = await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        var dialogs = await OpenDetailsAsync(ticket, actor);

        await dialogs.Find("[data-testid='edit-details']").ClickAsync(new());
        await dialogs.Find("[data-testid='edit-save']").ClickAsync(new());

        Assert.Contains("Nothing to change", dialogs.Find("[data-testid='edit-refusal']").TextContent);
        Assert.Equal(ticket.Version, (await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!.Ticket.Version);
    }

    [Fact]
    public async Task Dispatcher_ClearingTheDescription_SeesTheFieldNamed()
    {
        var actor = await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        var dialogs = await OpenDetailsAsync(ticket, actor);

        await dialogs.Find("[data-testid='edit-details']").ClickAsync(new());
        dialogs.Find("textarea[data-testid='edit-description']").Input("  ");
        await dialogs.Find("[data-testid='edit-save']").ClickAsync(new());

        Assert.Contains("Description is required.", dialogs.Find("[data-testid='edit-form']").TextContent);
    }

    [Fact]
    public async Task Staff_SeeNoEditForm_AndAddANoteWithAPhoto_ShownAsStaffOnlyWithItsThumbnail()
    {
        var actor = await SignInAsync("staff2", Roles.Staff);
        var ticket = await ReportAsync();
        var dialogs = await OpenDetailsAsync(ticket, actor);

        Assert.Empty(dialogs.FindAll("[data-testid='edit-details']"));
        dialogs.Find("textarea[data-testid='note-text']").Input("Needs the tall ladder");
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestImages.Jpeg(64, 48), "ceiling.jpg"));
        dialogs.WaitForAssertion(() => Assert.Contains("ceiling.jpg", dialogs.Find("[data-testid='note-box']").TextContent));
        await dialogs.Find("[data-testid='note-add']").ClickAsync(new());

        var detail = (await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!;
        Assert.Equal(TicketStatus.New, detail.Ticket.Status);
        var photo = Assert.Single(detail.Photos);
        Assert.Equal(PhotoKind.Note, photo.Kind);
        await AdvanceUntilAsync(() => dialogs.Markup.Contains("Needs the tall ladder"));
        Assert.Contains("staff only", dialogs.Find("[data-testid='staff-only']").TextContent);
        Assert.Equal(photo.ThumbnailUrl, dialogs.Find("[data-testid='note-photos-shown'] img").GetAttribute("src"));
        Assert.Empty(dialogs.Find("textarea[data-testid='note-text']").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Principal_SeesNeitherTheEditFormNorTheNoteBox()
    {
        var actor = await SignInAsync("principal", Roles.Principal);
        var ticket = await ReportAsync();
        var dialogs = await OpenDetailsAsync(ticket, actor);

        Assert.Empty(dialogs.FindAll("[data-testid='edit-details']"));
        Assert.Empty(dialogs.FindAll("[data-testid='note-box']"));
    }

    [Fact]
    public async Task Board_DispatcherSelectsTwoCards_AndCancelsThemWithOneNote()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var first = await ReportAsync("A201", "Chair broken");
        var second = await ReportAsync("A202", "Chair broken too");
        var snackbars = Render<MudSnackbarProvider>();
        Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var cut = Render<TicketBoard>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-ticket='{second.Id}']")));

        Assert.Empty(cut.FindAll("[data-testid='select-ticket']"));
        await cut.Find("[data-testid='bulk-select']").ClickAsync(new());
        cut.Find($"[data-select-ticket='{first.Id}'] input").Change(true);
        cut.Find($"[data-select-ticket='{second.Id}'] input").Change(true);
        Assert.Equal("2 selected", cut.Find("[data-testid='bulk-count']").TextContent.Trim());
        await cut.Find("[data-testid='bulk-cancel']").ClickAsync(new());
        cut.Find("input[data-testid='bulk-cancel-note']").Input("The contractor replaces all chairs on Friday");
        await cut.Find("[data-testid='bulk-cancel-confirm']").ClickAsync(new());

        Assert.Contains("2 cancelled", snackbars.Markup);
        var statuses = await Data.QueryAsync(db => db.Tickets.Where(t => t.Id == first.Id || t.Id == second.Id).Select(t => t.Status).ToListAsync());
        Assert.All(statuses, s => Assert.Equal(TicketStatus.Cancelled, s));
        cut.WaitForAssertion(() => Assert.Equal("0 selected", cut.Find("[data-testid='bulk-count']").TextContent.Trim()));
    }

    [Fact]
    public async Task Board_StaffHaveNoSelectButton()
    {
        await SignInAsync("staff1", Roles.Staff);
        RenderProviders();

        var cut = Render<TicketBoard>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));
        Assert.Empty(cut.FindAll("[data-testid='bulk-select']"));
    }
}
