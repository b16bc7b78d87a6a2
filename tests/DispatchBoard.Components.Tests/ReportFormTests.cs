using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Components.Tests;

public sealed class ReportFormTests : DispatchComponentTest
{
    private async Task<int> TicketCountAsync()
    {
        await using var db = await Data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.CountAsync();
    }

    [Fact]
    public async Task Submit_EmptyForm_ShowsEveryMessage_AndStoresNothing()
    {
        RenderProviders();
        var before = await TicketCountAsync();
        var reported = false;
        var cut = Render<ReportForm>(p => p.Add(f => f.OnReported, _ => reported = true));

        await cut.Find("[data-testid='submit-report']").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Choose the area where the problem is.", cut.Markup);
            Assert.Contains("Choose what kind of problem it is.", cut.Find("[data-testid='category-error']").TextContent);
            Assert.Contains("Description is required.", cut.Markup);
        });
        Assert.False(reported);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task Submit_OverLongDescription_SaysTheLimit()
    {
        RenderProviders();
        var cut = Render<ReportForm>(p => p.Add(f => f.PresetAreaCode, "A204"));

        cut.Find("[data-category='Lighting']").Click();
        cut.Find("textarea[data-testid='description']").Input(new string('x', Ticket.DescriptionMaxLength + 1));
        await cut.Find("[data-testid='submit-report']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("the limit is 2,000", cut.Markup));
        Assert.DoesNotContain("Choose the area", cut.Markup);
    }

    [Fact]
    public async Task Submit_FromAQrLink_ReportsWithThePresetArea()
    {
        RenderProviders();
        ReportedTicket? reported = null;
        var cut = Render<ReportForm>(p => p
            .Add(f => f.PresetAreaCode, "A204")
            .Add(f => f.Channel, TicketChannel.Qr)
            .Add(f => f.OnReported, r => reported = r));
        Assert.Equal("Room 204", cut.Find("[data-testid='preset-area']").TextContent);

        cut.Find("[data-category='Lighting']").Click();
        cut.Find("textarea[data-testid='description']").Input("The lights at the back won't turn on");
        await cut.Find("[data-testid='submit-report']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotNull(reported));
        var detail = await Data.Get<TicketQueries>().GetDetailAsync(reported!.Id);
        Assert.Equal("A204", detail!.Ticket.AreaCode);
        Assert.Equal(TicketChannel.Qr, detail.Ticket.Channel);
        Assert.Equal(TicketCategory.Lighting, detail.Ticket.Category);
    }
}
