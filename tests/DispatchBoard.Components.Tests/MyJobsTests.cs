using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

public sealed class MyJobsTests : DispatchComponentTest
{
    [Fact]
    public async Task ClaimOnAStaleCard_ShowsTheRefusal_AlreadyClaimedByWho()
    {
        await SignInAsync("staff2", Roles.Staff);
        var tickets = Data.Get<TicketService>();
        var reported = await tickets.ReportAsync(new ReportTicket("B101", "Plumbing", "Tap dripping", false, null, null), TicketChannel.Web, null);
        Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        var cut = Render<MyJobs>();
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
        var reported = await Data.Get<TicketService>().ReportAsync(new ReportTicket("B101", "Plumbing", "Tap dripping", false, null, null), TicketChannel.Web, null);
        RenderProviders();
        var cut = Render<MyJobs>();

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
}
