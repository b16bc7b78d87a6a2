using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Pages;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

public sealed class MyTicketsTests : DispatchComponentTest
{
    private TicketIntake Intake => Data.Get<TicketIntake>();

    private Task<ServiceResult<ReportedTicket>> ReportTapAsync() =>
        Intake.ReportAsync(new ReportTicket("B101", "Plumbing", "Tap dripping", false, null, null), TicketChannel.Web, null);

    [Fact]
    public async Task ClaimOnAStaleCard_ShowsTheRefusal_AlreadyClaimedByWho()
    {
        await SignInAsync("staff2", Roles.Staff);
        var reported = await ReportTapAsync();
        Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        var cut = Render<MyTickets>();
        cut.WaitForAssertion(() => cut.Find($"[data-testid='waiting'][data-ticket='{reported.Value!.Id}'] [data-testid='claim']"));
        var claim = cut.Find($"[data-testid='waiting'][data-ticket='{reported.Value!.Id}'] [data-testid='claim']");

        // Wang Lei claims it on his phone; this page has not heard yet (the update is still on its way).
        await using (var db = await Data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var wang = await db.Staff.SingleAsync(s => s.DisplayName == "Wang Lei");
            await db.Tickets.Where(t => t.Id == reported.Value.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TicketStatus.Claimed).SetProperty(t => t.ClaimedById, wang.Id).SetProperty(t => t.Version, 2));
        }
        await claim.ClickAsync(new());

        snackbars.WaitForAssertion(() => Assert.Contains("Already claimed by Wang Lei.", snackbars.Markup));
        Assert.Empty(cut.FindAll($"[data-testid='my-job'][data-ticket='{reported.Value.Id}']"));
    }

    [Fact]
    public async Task ClaimThenOnSite_MovesTheCardIntoMyJobs_WithTheNextStep()
    {
        await SignInAsync("staff2", Roles.Staff);
        var reported = await ReportTapAsync();
        RenderProviders();
        var cut = Render<MyTickets>();

        cut.WaitForAssertion(() => cut.Find($"[data-testid='waiting'][data-ticket='{reported.Value!.Id}'] [data-testid='claim']"));
        await cut.Find($"[data-testid='waiting'][data-ticket='{reported.Value!.Id}'] [data-testid='claim']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Claimed", cut.Find($"[data-testid='my-job'][data-ticket='{reported.Value.Id}']").GetAttribute("data-status")));
        await cut.Find($"[data-testid='my-job'][data-ticket='{reported.Value.Id}'] [data-testid='on-site']").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            var job = cut.Find($"[data-testid='my-job'][data-ticket='{reported.Value.Id}']");
            Assert.Equal("OnSite", job.GetAttribute("data-status"));
            Assert.NotNull(job.QuerySelector("[data-testid='resolve']"));
        });
    }

    [Fact]
    public async Task TakenByAColleague_StaysAFewSecondsSayingWho_ThenGoes()
    {
        await SignInAsync("staff2", Roles.Staff);
        var reported = await ReportTapAsync();
        RenderProviders();
        var cut = Render<MyTickets>();
        var card = $"[data-testid='waiting'][data-ticket='{reported.Value!.Id}']";
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find(card).GetAttribute("data-taken")));

        await Data.Get<TicketChanges>().ClaimAsync(reported.Value.Id, await Data.ActorAsync("staff1"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find(card).GetAttribute("data-taken"));
            Assert.Contains("Already claimed by Wang Lei.", cut.Find($"{card} [data-testid='taken-by']").TextContent);
        });
        Data.Time.Advance(LiveTicketSet.TakenShownFor + TimeSpan.FromSeconds(4));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(card)));
    }

    [Fact]
    public async Task MyPage_ComposesDutyJobsRoundsAndPlannedWork_ForAStaffMember_AndSaysSoForOthers()
    {
        await SignInAsync("staff2", Roles.Staff);
        RenderProviders();

        var cut = Render<My>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Li Na", cut.Find("[data-testid='duty-card']").TextContent);
            Assert.NotEmpty(cut.FindAll("[data-testid='waiting']"));
        });
    }
}
