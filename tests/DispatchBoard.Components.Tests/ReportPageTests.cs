using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Components.Tests;

/// <summary>The public report page (/report, /r/{area}) under a limit of one anonymous report per network.</summary>
public sealed class ReportPageTests : DispatchComponentTest
{
    private const string SchoolWifi = "198.51.100.9";

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<IntakeOptions>(o => o.PermitLimit = 1);

    private async Task ReportAsync(IRenderedComponent<Report> page, string description)
    {
        page.Find("[data-category='Lighting']").Click();
        page.Find("textarea[data-testid='description']").Input(description);
        await page.Find("[data-testid='submit-report']").ClickAsync(new());
    }

    private IRenderedComponent<Report> RenderFromTheSchoolWifi() =>
        Render<Report>(p => p.Add(r => r.AreaCode, "A204").AddCascadingValue("ClientAddress", SchoolWifi));

    [Fact]
    public async Task ASignedInCaretaker_ReportsAsThemselves_EvenWhenTheSchoolWifiHasUsedUpTheAnonymousLimit()
    {
        RenderProviders();
        var anonymous = RenderFromTheSchoolWifi();
        await ReportAsync(anonymous, "A student's report");
        anonymous.WaitForAssertion(() => Assert.NotNull(anonymous.Find("[data-testid='report-confirmation']")));
        var refused = RenderFromTheSchoolWifi();
        await ReportAsync(refused, "Another student's report");
        refused.WaitForAssertion(() => Assert.Contains("call the office", refused.Markup));

        var wang = await SignInAsync("staff1", Roles.Staff);
        var caretaker = RenderFromTheSchoolWifi();
        await ReportAsync(caretaker, "Cord frayed near the door");

        caretaker.WaitForAssertion(() => Assert.NotNull(caretaker.Find("[data-testid='report-confirmation']")));
        var code = caretaker.Find("[data-testid='track-link']").GetAttribute("href")!.Split('/')[^1];
        var ticket = (await Data.Get<TicketQueries>().ListAsync(openOnly: true, take: 50)).Single(t => t.TrackingCode == code);
        var detail = await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id);
        Assert.Equal(wang.Name, detail!.Events.Single(e => e.Kind == TicketEventKind.Reported).ActorName);
    }
}
