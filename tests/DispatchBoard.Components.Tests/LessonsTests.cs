using DispatchBoard.Testing;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Pages;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>
/// Repairs that respect teaching, as people see them. The fake clock starts on Tuesday 24 November 2026 at 10:00 in
/// Shanghai: the third lesson (10:00–10:45) is on, the next break is 10:45–10:55, school ends at 16:35.
/// </summary>
public sealed class LessonsTests : DispatchComponentTest
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>(TestHours.SchoolBells());

    private async Task<TicketDto> ReportAsync(string area = "B101", bool urgent = false, string description = "Light flickering over the board")
    {
        var result = await Data.Get<TicketIntake>().ReportAsync(new ReportTicket(area, "Lighting", description, urgent, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return (await Data.Get<TicketQueries>().GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    private async Task<string?> LessonOn(TicketDto ticket, DateTimeOffset now)
    {
        var clock = await Data.Get<ResponseClocks>().NowAsync();
        var bells = await Data.Get<LessonBells>().ScheduleAsync();
        return Render<TicketCard>(p => p.Add(c => c.Ticket, ticket).Add(c => c.Now, now).Add(c => c.ResponseClock, clock).Add(c => c.Bells, bells))
            .FindAll("[data-testid='lesson']").SingleOrDefault()?.TextContent.Trim();
    }

    [Fact]
    public async Task Card_InATeachingRoomDuringALesson_SaysWhenTheNextBreakIs()
    {
        var now = Data.Time.GetUtcNow();
        var classroom = await ReportAsync();

        Assert.Equal("Lesson until 10:45 · next break 10:45–10:55", await LessonOn(classroom, now));
        Assert.Equal("Lesson until 16:35 · after school 16:35", await LessonOn(classroom, now.AddHours(6.25)));
        Assert.Null(await LessonOn(classroom, now.AddMinutes(50)));                // 10:50, a break: go now
        Assert.Null(await LessonOn(await ReportAsync(urgent: true), now));           // urgent never waits
        Assert.Null(await LessonOn(await ReportAsync(area: "B-1F-WC"), now));        // toilets are not a teaching room
    }

    [Fact]
    public async Task Card_AndDetails_ShowThePlan_AndTheDispatcherPlansForTheNextBreakFromTheDetails()
    {
        var actor = await SignInAsync("dispatcher", Roles.Dispatcher);
        var ticket = await ReportAsync();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();

        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TicketDetailsDialog>("Physics Lab",
            new DialogParameters<TicketDetailsDialog> { { d => d.TicketId, ticket.Id }, { d => d.Actor, actor } }));
        dialogs.WaitForAssertion(() => Assert.Contains("Lesson until 10:45", dialogs.Find("[data-testid='lesson']").TextContent));
        await dialogs.Find("[data-testid='plan-break']").ClickAsync(new());

        // The details read the ticket again on its change, held back by the live throttle on the fake clock.
        await AdvanceUntilAsync(() => dialogs.FindAll("[data-testid='planned-for']").Count > 0);
        Assert.Equal("Planned for 10:45", dialogs.Find("[data-testid='planned-for']").TextContent.Trim());
        Assert.Contains("Physics Lab: planned for 10:45.", snackbars.Markup);
        var planned = (await Data.Get<TicketQueries>().GetDetailAsync(ticket.Id))!.Ticket;
        var clock = await Data.Get<ResponseClocks>().NowAsync();
        var bells = await Data.Get<LessonBells>().ScheduleAsync();
        var card = Render<TicketCard>(p => p.Add(c => c.Ticket, planned).Add(c => c.Now, Data.Time.GetUtcNow()).Add(c => c.ResponseClock, clock)
            .Add(c => c.Bells, bells));
        Assert.Equal("Planned for 10:45", card.Find("[data-testid='planned-for']").TextContent.Trim());
    }

    [Fact]
    public async Task My_LaterToday_ListsMyPlannedJobsInTimeOrder_NotOtherPeoples()
    {
        var me = await SignInAsync("staff2", Roles.Staff);
        var colleague = await Data.ActorAsync("staff1");
        var changes = Data.Get<TicketChanges>();
        var plans = Data.Get<TicketPlans>();
        var afterSchool = await ReportAsync(description: "Projector cable loose");
        var nextBreak = await ReportAsync(area: "A101", description: "Window sash off its track");
        var theirs = await ReportAsync(area: "A102", description: "Chair leg broken");
        foreach (var (ticket, who, slot) in new[] { (afterSchool, me, PlanSlot.AfterSchool), (nextBreak, me, PlanSlot.NextBreak), (theirs, colleague, PlanSlot.NextBreak) })
        {
            Assert.True((await changes.ClaimAsync(ticket.Id, who)).IsOk);
            Assert.True((await plans.PlanAsync(ticket.Id, new PlanTicket(slot), who)).IsOk);
        }
        RenderProviders();

        var cut = Render<MyTickets>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid='later-today'] [data-testid='planned']");
            Assert.Equal([nextBreak.Id.ToString(), afterSchool.Id.ToString()], rows.Select(r => r.GetAttribute("data-ticket") ?? "").ToArray());
            Assert.Contains("10:45", rows[0].TextContent);
            Assert.Contains("Window sash off its track", rows[0].TextContent);
            Assert.Contains("16:35", rows[1].TextContent);
        });
    }
}
