using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using Microsoft.AspNetCore.Components.Forms;

namespace DispatchBoard.Components.Tests;

/// <summary>/admin/calendar: the month view of school days, edited by administrators and read by dispatchers.</summary>
public sealed class AdminCalendarTests : DispatchComponentTest
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>(TestHours.SchoolWeek());

    [Fact]
    public async Task AnAdmin_AddsAClosure_AndItsDayTurnsClosedInTheMonthView()
    {
        await SignInAsync("admin", Roles.Admin);
        RenderProviders();

        var cut = Render<AdminCalendar>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));
        Assert.Equal("November 2026", cut.Find("[data-testid='month']").TextContent);
        Assert.Equal("true", cut.Find("[data-day='2026-11-26']").GetAttribute("data-school-day"));
        Assert.Equal("false", cut.Find("[data-day='2026-11-28']").GetAttribute("data-school-day"));

        await cut.Find("input[data-testid='entry-name']").ChangeAsync(new() { Value = "Sports day (no repairs)" });
        await cut.Find("input[data-testid='entry-from']").ChangeAsync(new() { Value = "2026-11-26" });
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-day='2026-11-26']").GetAttribute("data-school-day")));
        Assert.Contains("Sports day (no repairs)", cut.Find("[data-day='2026-11-26']").TextContent);
        Assert.Contains("Sports day (no repairs)", cut.Find("[data-testid='calendar-entry']").TextContent);
    }

    [Fact]
    public async Task ABadDate_IsNamed_AndNothingIsAdded()
    {
        await SignInAsync("admin", Roles.Admin);
        RenderProviders();
        var cut = Render<AdminCalendar>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));

        await cut.Find("input[data-testid='entry-name']").ChangeAsync(new() { Value = "Break" });
        await cut.Find("input[data-testid='entry-from']").ChangeAsync(new() { Value = "2026-12-10" });
        await cut.Find("input[data-testid='entry-to']").ChangeAsync(new() { Value = "2026-12-07" });
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("before it starts", cut.Markup));
        Assert.Empty(await Data.Get<CalendarPeriods>().ListAsync());
    }

    [Fact]
    public async Task Removing_AsksFirst_AndKeepingItChangesNothing()
    {
        await SignInAsync("admin", Roles.Admin);
        var admin = await Data.ActorAsync("admin");
        var periods = Data.Get<CalendarPeriods>();
        Assert.True((await periods.AddAsync(new CalendarPeriodInput("Sports day", CalendarDayKind.Closure, new(2026, 11, 26), null), admin)).IsOk);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<AdminCalendar>();
        cut.WaitForAssertion(() => Assert.Contains("Sports day", cut.Find("[data-testid='calendar-entry']").TextContent));

        // The click's handler waits for the answer: it completes once the dialog is answered.
        var asking = cut.Find("[aria-label='Remove Sports day']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Remove Sports day?", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it")).ClickAsync(new());
        await asking;
        Assert.Single(await periods.ListAsync());

        asking = cut.Find("[aria-label='Remove Sports day']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Remove Sports day?", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").ClickAsync(new());
        await asking;

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='calendar-entry']")));
        Assert.Empty(await periods.ListAsync());
        Assert.Equal("true", cut.Find("[data-day='2026-11-26']").GetAttribute("data-school-day"));
    }

    [Fact]
    public async Task ADispatcher_ReadsTheCalendar_ButCannotEditIt()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        var admin = await Data.ActorAsync("admin");
        Assert.True((await Data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Winter break", CalendarDayKind.Closure, new(2027, 1, 23), new(2027, 2, 21)), admin)).IsOk);
        RenderProviders();

        var cut = Render<AdminCalendar>();

        cut.WaitForAssertion(() => Assert.Contains("Winter break", cut.Find("[data-testid='calendar-entry']").TextContent));
        Assert.Empty(cut.FindAll("form"));
        Assert.DoesNotContain("Remove", cut.Find("[data-testid='calendar-entry']").TextContent);
    }

    [Fact]
    public async Task AnAdmin_ImportsACsv_AfterAPreviewThatRefusesAFileWithErrors_AndTheMonthViewShowsIt()
    {
        await SignInAsync("admin", Roles.Admin);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<AdminCalendar>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));

        // The click's handler waits for the dialog: it completes once the dialog is closed.
        var importing = cut.Find("[data-testid='import-calendar']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='import-file']")));

        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "Name,Kind,From,To\r\n\"Heating repair, Building A\",Closure,2026-12-07,2026-12-08\r\nMake-up,make-up,2026-12-09,\r\n", "calendar.csv"));
        dialogs.WaitForAssertion(() => Assert.Contains("error", dialogs.Find("[data-testid='import-summary']").TextContent));
        var error = dialogs.Find("[data-status='Error']").TextContent;
        Assert.Contains("Line 3", error);
        Assert.Contains("from: A make-up day is a weekend day", error);
        Assert.True(dialogs.Find("[data-testid='import-confirm']").HasAttribute("disabled"));

        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "\uFEFFName,Kind,From,To\r\n\"Heating repair, Building A\",Closure,2026-12-07,2026-12-08\r\nMake-up Saturday,make-up,2026-12-12,\r\n", "calendar.csv"));
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-status='Add']").Count));
        Assert.Empty(await Data.Get<CalendarPeriods>().ListAsync());
        await dialogs.Find("[data-testid='import-confirm']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Imported: 2 added", dialogs.Find("[data-testid='import-summary']").TextContent));
        await dialogs.Find("[data-testid='import-close']").ClickAsync(new());
        await importing;

        cut.WaitForAssertion(() => Assert.Equal("December 2026", cut.Find("[data-testid='month']").TextContent));
        Assert.Equal("false", cut.Find("[data-day='2026-12-07']").GetAttribute("data-school-day"));
        Assert.Contains("Heating repair, Building A", cut.Find("[data-day='2026-12-08']").TextContent);
        Assert.Equal("true", cut.Find("[data-day='2026-12-12']").GetAttribute("data-school-day"));
        Assert.Equal(2, cut.FindAll("[data-testid='calendar-entry']").Count);
    }
}
