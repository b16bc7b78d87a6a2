using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Components.Tests;

public sealed class BoardViewTests : DispatchComponentTest
{
    private TicketService Tickets => Data.Get<TicketService>();

    private static string CardIn(TicketStatus column, int id) => $"[data-column='{column}'] [data-ticket='{id}']";

    private async Task<TicketDto> ReportAsync(string description = "Lights out in Room 204")
    {
        var result = await Tickets.ReportAsync(new ReportTicket("A204", "Lighting", description, false, null, null), TicketChannel.Web, null);
        return (await Tickets.GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    [Fact]
    public async Task Board_ShowsTheSnapshotInColumns()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();

        var cut = Render<BoardView>();

        Assert.Equal(2, cut.FindAll("[data-column='New'] [data-ticket]").Count);
        Assert.Single(cut.FindAll("[data-column='Claimed'] [data-ticket]"));
        Assert.Single(cut.FindAll("[data-column='OnSite'] [data-ticket]"));
        Assert.Single(cut.FindAll("[data-column='Resolved'] [data-ticket]"));
        Assert.Contains("Li Na", cut.Find("[data-testid='staff-panel']").TextContent);
    }

    [Fact]
    public async Task Board_MovesTheCard_WhenTheNotifierPublishesANewerVersion()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        RenderProviders();
        var cut = Render<BoardView>();
        Assert.NotNull(cut.Find(CardIn(TicketStatus.New, ticket.Id)));

        var notifier = Data.Get<DispatchNotifier>();
        await cut.InvokeAsync(() => notifier.Publish(new TicketChanged(ticket with
        {
            Status = TicketStatus.OnSite, Version = ticket.Version + 2, ClaimedById = 2, ClaimedBy = "Li Na",
        })));

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll(CardIn(TicketStatus.New, ticket.Id)));
            Assert.Contains("Li Na", cut.Find(CardIn(TicketStatus.OnSite, ticket.Id)).TextContent);
        });
    }

    [Fact]
    public async Task Board_IgnoresAnOlderVersion()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        RenderProviders();
        var cut = Render<BoardView>();
        var notifier = Data.Get<DispatchNotifier>();

        await cut.InvokeAsync(() => notifier.Publish(new TicketChanged(ticket with { Status = TicketStatus.Claimed, Version = 5, ClaimedBy = "Li Na" })));
        await cut.InvokeAsync(() => notifier.Publish(new TicketChanged(ticket with { Status = TicketStatus.New, Version = 4 })));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(CardIn(TicketStatus.Claimed, ticket.Id))));
        Assert.Empty(cut.FindAll(CardIn(TicketStatus.New, ticket.Id)));
    }

    [Fact]
    public async Task Board_ShowsANewReportLive_Highlighted_ThenFollowsTheClaim()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        JSInterop.Setup<bool>("dispatchBoard.soundEnabled").SetResult(true);
        JSInterop.Setup<bool>("dispatchBoard.playAlert").SetResult(true);
        RenderProviders();
        var cut = Render<BoardView>();

        var ticket = await ReportAsync("Water dispenser leaking");

        cut.WaitForAssertion(() => Assert.Contains("fresh", cut.Find(CardIn(TicketStatus.New, ticket.Id)).GetAttribute("class")));
        JSInterop.VerifyInvoke("dispatchBoard.playAlert");

        await Tickets.ClaimAsync(ticket.Id, await Data.ActorAsync("staff1"));

        cut.WaitForAssertion(() => Assert.Contains("Wang Lei", cut.Find(CardIn(TicketStatus.Claimed, ticket.Id)).TextContent));
        Assert.Empty(cut.FindAll(CardIn(TicketStatus.New, ticket.Id)));
    }

    [Fact]
    public async Task Board_StaffMemberSeesClaim_NoAssign_DispatcherSeesAssign_NoClaim()
    {
        await SignInAsync("staff1", Roles.Staff);
        RenderProviders();
        var staffView = Render<BoardView>();
        Assert.NotEmpty(staffView.FindAll("[data-column='New'] [data-testid='claim']"));
        Assert.Empty(staffView.FindAll("[data-testid='assign']"));
        Assert.Empty(staffView.FindAll("[data-testid='phone-report']"));
    }

    [Fact]
    public async Task Board_DispatcherHasAssignAndPhoneReport()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();

        var cut = Render<BoardView>();

        Assert.NotEmpty(cut.FindAll("[data-testid='assign']"));
        Assert.NotNull(cut.Find("[data-testid='phone-report']"));
        Assert.Empty(cut.FindAll("[data-testid='claim']"));
    }
}
