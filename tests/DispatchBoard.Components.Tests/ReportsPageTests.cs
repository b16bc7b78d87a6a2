using AngleSharp.Dom;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Tickets;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>The reports page over the demo school: its tiles, tables and links show what the database computed for the chosen period.</summary>
public sealed class ReportsPageTests : DispatchComponentTest
{
    private static string Value(IElement kpi) => kpi.QuerySelector(".db-kpi-value")!.TextContent.Trim();

    [Fact]
    public async Task ThisMonth_ShowsTheTotalsTablesAndCharts_ThenAWeekWhenAsked()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var reports = Data.Get<ReportService>();
        var month = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Month));
        var week = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Week));
        Assert.True(month.Totals.Reported > week.Totals.Reported, "the demo school has a month of history");
        RenderProviders();

        var cut = Render<ReportsPage>();

        cut.WaitForAssertion(() => Assert.Equal("November 2026", cut.Find("[data-testid='report-period']").TextContent.Trim()));
        Assert.Equal(month.Totals.Reported.ToString("N0"), Value(cut.Find("[data-testid='kpi-reported']")));
        Assert.Contains($"{month.Totals.Open:N0} still open", cut.Find("[data-testid='kpi-reported']").TextContent);
        Assert.Equal(month.Totals.Resolved.ToString("N0"), Value(cut.Find("[data-testid='kpi-resolved']")));
        Assert.Equal(ReportsPage.Duration(month.TimeToClaim.Median), Value(cut.Find("[data-testid='kpi-claim']")));
        Assert.Equal(ReportsPage.Percent(month.Totals.Compliance), Value(cut.Find("[data-testid='kpi-compliance']")));
        Assert.Matches(@"^\d+%$", Value(cut.Find("[data-testid='kpi-compliance']")));
        var categories = cut.FindAll("[data-testid='table-categories'] tbody tr");
        Assert.Equal(month.ByCategory.Count, categories.Count);
        Assert.Contains(categories, row => row.TextContent.Contains(TicketCategory.Lighting.Label()));
        Assert.Contains(cut.FindAll("[data-testid='table-staff'] tbody tr td:first-child"), td => td.TextContent == "Wang Lei");
        foreach (var chart in new[] { "chart-days", "chart-target", "chart-categories" })
        {
            Assert.NotNull(cut.Find($"[data-testid='{chart}'] svg"));
        }
        Assert.Equal("/reports/print?month=2026-11-01", cut.Find("[data-testid='print-monthly']").GetAttribute("href"));
        Assert.Equal("/api/reports/tickets.csv?period=Custom&from=2026-11-01&to=2026-11-30", cut.Find("[data-testid='csv-tickets']").GetAttribute("href"));

        await cut.Find("[data-testid='period-kind'] .mud-toggle-item:nth-child(2)").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(week.Period.Label, cut.Find("[data-testid='report-period']").TextContent.Trim()));
        Assert.Equal(week.Totals.Reported.ToString("N0"), Value(cut.Find("[data-testid='kpi-reported']")));
    }

    [Fact]
    public async Task CustomPeriod_EndBeforeStart_SaysWhatIsWrong()
    {
        await SignInAsync("principal", Roles.Principal);
        RenderProviders();
        var cut = Render<ReportsPage>();
        await cut.Find("[data-testid='period-kind'] .mud-toggle-item:nth-child(5)").ClickAsync(new());
        var dates = cut.FindAll("input[type='date']");

        await dates[0].ChangeAsync(new() { Value = "2026-11-20" });
        await cut.FindAll("input[type='date']")[1].ChangeAsync(new() { Value = "2026-11-01" });
        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Show").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("the end after the start", cut.Markup));
    }
}
