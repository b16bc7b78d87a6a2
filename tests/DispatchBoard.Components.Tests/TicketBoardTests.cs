using System.Data.Common;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Pages;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Components.Tests;

public sealed class TicketBoardTests : DispatchComponentTest
{
    private readonly RightAfterTicketsAreRead _afterRead = new();

    private TicketIntake Intake => Data.Get<TicketIntake>();
    private TicketChanges Changes => Data.Get<TicketChanges>();

    private static string CardIn(TicketStatus column, int id) => $"[data-column='{column}'] [data-ticket='{id}']";

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureDbContext<DispatchDbContext>(o => o.AddInterceptors(_afterRead));

    private async Task<TicketDto> ReportAsync(string description = "Lights out in Room 204")
    {
        var result = await Intake.ReportAsync(new ReportTicket("A204", "Lighting", description, false, null, null), TicketChannel.Web, null);
        return (await Data.Get<TicketQueries>().GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    private async Task<HashSet<int>> OpenInDatabaseAsync(TicketStatus status) =>
        (await Data.QueryAsync(db => db.Tickets.Where(t => t.Status == status).Select(t => t.Id).ToListAsync())).ToHashSet();

    [Fact]
    public async Task Board_ShowsTheSnapshotInColumns_WithTheStaffRoundsAndMonthPanelsBeside()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();

        var cut = Render<Board>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(2, cut.FindAll("[data-column='New'] [data-ticket]").Count);
            Assert.Single(cut.FindAll("[data-column='Claimed'] [data-ticket]"));
            Assert.Single(cut.FindAll("[data-column='OnSite'] [data-ticket]"));
            Assert.Single(cut.FindAll("[data-column='Resolved'] [data-ticket]"));
            Assert.Contains("Li Na", cut.Find("[data-testid='staff-panel']").TextContent);
            Assert.NotNull(cut.Find("[data-testid='rounds-panel']"));
        });
    }

    /// <summary>
    /// The gap the live helper closes: a report committed and published after the board read its snapshot but before
    /// it first rendered. A component that subscribed after its first render never showed it until someone reloaded.
    /// </summary>
    [Fact]
    public async Task Board_AppliesAReportPublishedWhileItsSnapshotWasBeingRead()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();
        ReportedTicket? duringLoad = null;
        _afterRead.Once = async () => duringLoad = (await Intake.ReportAsync(
            new ReportTicket("B101", "Plumbing", "Reported while the board was loading", false, null, null), TicketChannel.Web, null)).Value;

        var cut = Render<TicketBoard>();

        Assert.NotNull(duringLoad);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(CardIn(TicketStatus.New, duringLoad!.Id))));
        var shown = cut.FindAll("[data-column='New'] [data-ticket]").Select(c => int.Parse(c.GetAttribute("data-ticket")!)).ToHashSet();
        Assert.Equal(await OpenInDatabaseAsync(TicketStatus.New), shown);
    }

    [Fact]
    public async Task Board_AppliesEveryChangeOfABurstPublishedWhileLoading_InWhateverOrderTheyArrive()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();
        var wang = await Data.ActorAsync("staff1");
        var burst = new List<int>();
        _afterRead.Once = async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                burst.Add((await Intake.ReportAsync(new ReportTicket("A204", "Furniture", $"Stool {i} wobbles", false, null, null), TicketChannel.Web, null)).Value!.Id);
            }
            await Changes.ClaimAsync(burst[3], wang);
            await Changes.MoveAsync(burst[7], TicketStatus.Cancelled, "Duplicate", await Data.ActorAsync("dispatcher"));
        };

        var cut = Render<TicketBoard>();

        var expectedNew = await OpenInDatabaseAsync(TicketStatus.New);
        cut.WaitForAssertion(() =>
        {
            var shownNew = cut.FindAll("[data-column='New'] [data-ticket]").Select(c => int.Parse(c.GetAttribute("data-ticket")!)).ToHashSet();
            Assert.Equal(expectedNew, shownNew);
            Assert.Contains("Wang Lei", cut.Find(CardIn(TicketStatus.Claimed, burst[3])).TextContent);
        });
        Assert.Empty(cut.FindAll($"[data-ticket='{burst[7]}']"));
    }

    [Fact]
    public async Task Board_MovesTheCard_WhenTheNotifierPublishesANewerVersion()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        RenderProviders();
        var cut = Render<TicketBoard>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(CardIn(TicketStatus.New, ticket.Id))));

        var notifier = Data.Get<DispatchNotifier>();
        notifier.Publish(new TicketChanged(ticket with
        {
            Status = TicketStatus.OnSite, Version = ticket.Version + 2, ClaimedById = 2, ClaimedBy = "Li Na",
        }));

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
        var cut = Render<TicketBoard>();
        var notifier = Data.Get<DispatchNotifier>();

        notifier.Publish(new TicketChanged(ticket with { Status = TicketStatus.Claimed, Version = 5, ClaimedBy = "Li Na" }));
        notifier.Publish(new TicketChanged(ticket with { Status = TicketStatus.New, Version = 4 }));

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
        var cut = Render<TicketBoard>();

        var ticket = await ReportAsync("Water dispenser leaking");

        cut.WaitForAssertion(() => Assert.Contains("fresh", cut.Find(CardIn(TicketStatus.New, ticket.Id)).GetAttribute("class")));
        cut.WaitForAssertion(() => JSInterop.VerifyInvoke("dispatchBoard.playAlert"));

        await Changes.ClaimAsync(ticket.Id, await Data.ActorAsync("staff1"));

        cut.WaitForAssertion(() => Assert.Contains("Wang Lei", cut.Find(CardIn(TicketStatus.Claimed, ticket.Id)).TextContent));
        Assert.Empty(cut.FindAll(CardIn(TicketStatus.New, ticket.Id)));
    }

    [Fact]
    public async Task Board_ReloadsItsSnapshotOnResync_WhenEventsMayHaveBeenMissed()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();
        var cut = Render<TicketBoard>();
        var notifier = Data.Get<DispatchNotifier>();
        var missed = await ReportAsync("Reported while this board's events were lost");
        // Take the board's event away, as a dropped transport would: the ticket is in the database only.
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(CardIn(TicketStatus.New, missed.Id))));
        await Data.QueryAsync(db => db.Tickets.Where(t => t.Id == missed.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Cancelled).SetProperty(t => t.Version, t => t.Version + 1)));

        notifier.Publish(new Resync());

        await AdvanceUntilAsync(() => cut.FindAll($"[data-ticket='{missed.Id}']").Count == 0);
    }

    [Fact]
    public async Task Board_StaffMemberSeesClaim_NoAssign_DispatcherSeesAssign_NoClaim()
    {
        await SignInAsync("staff1", Roles.Staff);
        RenderProviders();
        var staffView = Render<TicketBoard>();
        staffView.WaitForAssertion(() => Assert.NotEmpty(staffView.FindAll("[data-column='New'] [data-testid='claim']")));
        Assert.Empty(staffView.FindAll("[data-testid='assign']"));
        Assert.Empty(staffView.FindAll("[data-testid='phone-report']"));
    }

    [Fact]
    public async Task Board_DispatcherHasAssignAndPhoneReport()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();

        var cut = Render<TicketBoard>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='assign']")));
        Assert.NotNull(cut.Find("[data-testid='phone-report']"));
        Assert.Empty(cut.FindAll("[data-testid='claim']"));
    }

    [Fact]
    public async Task Board_AssignOnACard_AsksWhomInOneDialog_CancelChangesNothing_APickMovesTheCard()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var li = (await Data.ActorAsync("staff2")).StaffId!.Value;
        var wang = await Data.ActorAsync("staff1");
        var ticket = await ReportAsync("Window sash off its track");
        Render<MudBlazor.MudSnackbarProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<TicketBoard>();
        cut.WaitForAssertion(() => cut.Find($"{CardIn(TicketStatus.New, ticket.Id)} [data-testid='assign']"));
        // No staff menu is rendered with the cards: the board has one dialog for them all.
        Assert.Empty(cut.FindAll(".mud-menu"));

        // (The card's click ends once the dialog does.)
        var asked = cut.Find($"{CardIn(TicketStatus.New, ticket.Id)} [data-testid='assign']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='assign-to']")));
        Assert.Contains($"{ticket.AreaName} (#{ticket.Id})", dialogs.Find(".mud-dialog-title").TextContent);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        await asked;
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(TicketStatus.New, await Data.QueryAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));

        asked = cut.Find($"{CardIn(TicketStatus.New, ticket.Id)} [data-testid='assign']").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Find($"[data-testid='assign-to'][data-staff='{li}']"));
        await dialogs.Find($"[data-testid='assign-to'][data-staff='{li}']").ClickAsync(new());
        await asked;

        cut.WaitForAssertion(() => Assert.Contains("Li Na", cut.Find($"{CardIn(TicketStatus.Claimed, ticket.Id)} [data-testid='claimed-by']").TextContent));
        Assert.Equal(li, await Data.QueryAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ClaimedById).SingleAsync()));

        // Reassigning: the one who has it now is shown but cannot be picked again.
        _ = cut.Find($"{CardIn(TicketStatus.Claimed, ticket.Id)} [data-testid='assign']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find($"[data-testid='assign-to'][data-staff='{li}']").HasAttribute("disabled")));
        Assert.False(dialogs.Find($"[data-testid='assign-to'][data-staff='{wang.StaffId}']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Board_WhilePrerendering_LoadsNothing_AndDoesNotSubscribe()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        var listeners = Data.Get<DispatchNotifier>().ListenerCount;
        var reads = 0;
        _afterRead.Every = () => Interlocked.Increment(ref reads);

        var cut = Render<TicketBoard>();

        Assert.Equal(0, reads);
        Assert.Equal(listeners, Data.Get<DispatchNotifier>().ListenerCount);
        Assert.Empty(cut.FindAll("[data-ticket]"));
        Assert.Equal("false", cut.Find(".db-board-grid").GetAttribute("data-loaded"));
    }

    [Fact]
    public async Task Board_Disposed_Unsubscribes()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        RenderProviders();
        var notifier = Data.Get<DispatchNotifier>();
        var before = notifier.ListenerCount;
        var cut = Render<TicketBoard>();
        cut.WaitForAssertion(() => Assert.Equal(before + 1, notifier.ListenerCount));

        await DisposeComponentsAsync();

        Assert.Equal(before, notifier.ListenerCount);
    }

    /// <summary>Runs an action once, right after a query of the tickets table has been executed, before its rows are read.</summary>
    private sealed class RightAfterTicketsAreRead : DbCommandInterceptor
    {
        private Func<Task>? _once;

        public Func<Task>? Once { set => _once = value; }
        public Action? Every { get; set; }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"Tickets\"", StringComparison.Ordinal))
            {
                Every?.Invoke();
                if (Interlocked.Exchange(ref _once, null) is { } action)
                {
                    await action();
                }
            }
            return result;
        }
    }
}
