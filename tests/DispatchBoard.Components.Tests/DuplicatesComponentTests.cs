using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>The report form's "Already reported" with "Me too", and the possible duplicates and reporters in the details dialog.</summary>
public sealed class DuplicatesComponentTests : DispatchComponentTest
{
    private async Task<ReportedTicket> ReportAsync(string area, string category = "Lighting", string? name = null)
    {
        var result = await Data.Get<TicketIntake>().ReportAsync(new ReportTicket(area, category, $"Problem in {area}", false, name, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!;
    }

    [Fact]
    public async Task ReportForm_AreaAndCategoryAlreadyReported_OffersMeToo_WhichAddsToTheTicket()
    {
        RenderProviders();
        var ticket = await ReportAsync("A301");
        Assert.True((await Data.Get<TicketChanges>().ClaimAsync(ticket.Id, await Data.ActorAsync("staff1"))).IsOk);
        ReportedTicket? reported = null;
        var cut = Render<ReportForm>(p => p.Add(f => f.PresetAreaCode, "A301").Add(f => f.OnReported, r => reported = r));

        cut.Find("[data-category='Furniture']").Click();
        Assert.Empty(cut.FindAll("[data-testid='already-reported']"));
        cut.Find("[data-category='Lighting']").Click();

        cut.WaitForAssertion(() => Assert.Equal("Already reported: Lighting & electrical in Room 301 — being fixed by Wang Lei",
            cut.Find("[data-testid='already-reported-text']").TextContent.Trim()));
        await cut.Find("[data-testid='me-too']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotNull(reported));
        Assert.NotEqual(ticket.TrackingCode, reported!.TrackingCode);
        var view = await Data.Get<TicketQueries>().TrackAsync(reported.TrackingCode);
        Assert.Equal(TicketStatus.Claimed, view!.Status);
        Assert.Equal(2, (await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!.Ticket.ReportCount);
    }

    [Fact]
    public async Task DetailsDialog_ShowsPossibleDuplicates_AndMergesFromThere_ThenListsBothReporters()
    {
        var dispatcher = await SignInAsync("dispatcher", Roles.Dispatcher);
        var first = await ReportAsync("A302", name: "Ms. Huang");
        var second = await ReportAsync("A303", name: "Mr. Xu");
        await ReportAsync("A201");
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();

        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TicketDetailsDialog>("Room 303",
            new DialogParameters<TicketDetailsDialog> { { d => d.TicketId, second.Id }, { d => d.Actor, dispatcher } }));

        dialogs.WaitForAssertion(() => Assert.Equal($"{first.Id}", Assert.Single(dialogs.FindAll("[data-testid='possible-duplicate']")).GetAttribute("data-ticket")));
        await dialogs.Find("[data-testid='merge-into']").ClickAsync(new());

        await AdvanceUntilAsync(() => dialogs.FindAll("[data-testid='merged-into']").Count > 0);
        Assert.Contains($"Merged into #{first.Id}", dialogs.Find("[data-testid='merged-into']").TextContent);
        Assert.Empty(dialogs.FindAll("[data-testid='possible-duplicate']"));
        Assert.Contains($"#{second.Id} merged into #{first.Id} (Room 302): 2 reports.", snackbars.Markup);

        var survivorTicket = (await Data.Get<TicketQueries>().GetDetailAsync(first.Id))!.Ticket;
        var survivor = Render<DuplicatesPanel>(p => p.Add(c => c.Ticket, survivorTicket).Add(c => c.Actor, dispatcher));
        survivor.WaitForAssertion(() => Assert.Equal(2, survivor.FindAll("[data-testid='reporter']").Count));
        Assert.Contains("Ms. Huang", survivor.FindAll("[data-testid='reporter']")[0].TextContent);
        Assert.Contains($"Mr. Xu · ", survivor.FindAll("[data-testid='reporter']")[1].TextContent);
        Assert.Contains($"from #{second.Id}", survivor.FindAll("[data-testid='reporter']")[1].TextContent);
        Assert.Contains($"Separate #{second.Id} again", survivor.Find("[data-testid='unmerge']").TextContent);
    }

    [Fact]
    public async Task DuplicatesPanel_ForStaff_OffersNoMerge()
    {
        var staff = await SignInAsync("staff1", Roles.Staff);
        await ReportAsync("A304");
        var second = await ReportAsync("A304");

        var ticket = (await Data.Get<TicketQueries>().GetDetailAsync(second.Id))!.Ticket;
        var panel = Render<DuplicatesPanel>(p => p.Add(c => c.Ticket, ticket).Add(c => c.Actor, staff));

        Assert.Empty(panel.FindAll("[data-testid='possible-duplicate']"));
        Assert.Empty(panel.FindAll("[data-testid='merge-into']"));
    }

    [Fact]
    public async Task Card_ShowsReportCount_AndPossibleDuplicateOf()
    {
        var first = await ReportAsync("B301");
        var clock = await Data.Get<ResponseClocks>().NowAsync();
        var ticket = (await Data.Get<TicketQueries>().GetDetailAsync(first.Id))!.Ticket with { ReportCount = 3 };

        var card = Render<TicketCard>(p => p.Add(c => c.Ticket, ticket).Add(c => c.Now, Data.Time.GetUtcNow()).Add(c => c.ResponseClock, clock)
            .Add(c => c.PossibleDuplicateOf, 12));
        var single = Render<TicketCard>(p => p.Add(c => c.Ticket, ticket with { ReportCount = 1 }).Add(c => c.Now, Data.Time.GetUtcNow()).Add(c => c.ResponseClock, clock));

        Assert.Equal("3 reports", card.Find("[data-testid='report-count']").TextContent.Trim());
        Assert.Equal("possible duplicate of #12", card.Find("[data-testid='possible-duplicate-of']").TextContent.Trim());
        Assert.Empty(single.FindAll("[data-testid='report-count']"));
        Assert.Empty(single.FindAll("[data-testid='possible-duplicate-of']"));
    }
}
