using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Components.Tests;

/// <summary>"Your reports" on /report: codes this browser remembers (localStorage), with their live status.</summary>
public sealed class YourReportsTests : DispatchComponentTest
{
    private const string List = "dispatchBoard.yourReports.list";

    private async Task<ReportedTicket> ReportAsync(string area, string category)
    {
        var reported = await Data.Get<TicketIntake>().ReportAsync(new ReportTicket(area, category, "Your reports test", false, null, null),
            TicketChannel.Web, null);
        Assert.True(reported.IsOk, reported.Describe());
        return reported.Value!;
    }

    private static string StatusOf(IRenderedComponent<YourReportsList> list, string code) =>
        list.Find($"[data-code='{code}'] [data-testid='your-report-status']").TextContent.Trim();

    [Fact]
    public async Task ListsTheRememberedReports_DropsUnknownCodes_FollowsTheirStatusLive_AndForgetsOnRequest()
    {
        var lights = await ReportAsync("A204", "Lighting");
        var window = await ReportAsync("B201", "DoorsWindows");
        JSInterop.Setup<string[]?>(List).SetResult([lights.TrackingCode, "ZZZZZZZZZZ", window.TrackingCode]);

        var list = Render<YourReportsList>();

        list.WaitForAssertion(() => Assert.Equal([lights.TrackingCode, window.TrackingCode],
            list.FindAll("[data-testid='your-report']").Select(r => r.GetAttribute("data-code"))));
        var first = list.Find($"[data-code='{lights.TrackingCode}']");
        Assert.Contains("Lighting", first.TextContent);
        Assert.Contains("Room 204", first.TextContent);
        Assert.Equal($"/track/{lights.TrackingCode}", first.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(TicketStatus.New.Label(), StatusOf(list, lights.TrackingCode));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dispatchBoard.yourReports.remove" && Equals(i.Arguments[0], "ZZZZZZZZZZ"));

        await Data.Get<TicketChanges>().ClaimAsync(lights.Id, await Data.ActorAsync("staff1"));

        list.WaitForAssertion(() => Assert.Equal(TicketStatus.Claimed.Label(), StatusOf(list, lights.TrackingCode)));
        Assert.Equal(TicketStatus.New.Label(), StatusOf(list, window.TrackingCode));

        await list.Find($"[data-code='{window.TrackingCode}'] [data-testid='forget-report']").ClickAsync(new());

        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid='your-report']")));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dispatchBoard.yourReports.remove" && Equals(i.Arguments[0], window.TrackingCode));
    }

    [Fact]
    public async Task AMergedReport_FollowsTheSurvivorLive_AndItsOwnTicketAgainWhenTheMergeIsUndone()
    {
        var first = await ReportAsync("A204", "Lighting");
        var mine = await ReportAsync("A204", "Lighting");
        JSInterop.Setup<string[]?>(List).SetResult([mine.TrackingCode]);
        var dispatcher = await Data.ActorAsync("dispatcher");
        var list = Render<YourReportsList>();
        list.WaitForAssertion(() => Assert.Equal(TicketStatus.New.Label(), StatusOf(list, mine.TrackingCode)));

        Assert.True((await Data.Get<TicketMerges>().MergeAsync(mine.Id, first.Id, dispatcher)).IsOk);
        await Data.Get<TicketChanges>().ClaimAsync(first.Id, await Data.ActorAsync("staff1"));

        // A merge means a reload (on the clock: at most one per quarter second).
        await AdvanceUntilAsync(() => StatusOf(list, mine.TrackingCode) == TicketStatus.Claimed.Label());

        Assert.True((await Data.Get<TicketMerges>().UnmergeAsync(mine.Id, dispatcher)).IsOk);

        // Separated again: the code shows its own ticket, still waiting, not the survivor's claim.
        await AdvanceUntilAsync(() => StatusOf(list, mine.TrackingCode) == TicketStatus.New.Label());
    }

    [Fact]
    public async Task AReportJustMade_IsRememberedInTheBrowser_AndNothingShowsWhileTheListIsEmpty()
    {
        var lights = await ReportAsync("A204", "Lighting");

        var list = Render<YourReportsList>(p => p.Add(c => c.Added, lights.TrackingCode));

        list.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations,
            i => i.Identifier == "dispatchBoard.yourReports.add" && Equals(i.Arguments[0], lights.TrackingCode)));
        Assert.Empty(list.FindAll("[data-testid='your-reports']"));
    }
}
