using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Components.Tests;

/// <summary>/admin/roster: the week grid of standby and on-call slots, edited by administrators and read by dispatchers.</summary>
public sealed class AdminRosterTests : DispatchComponentTest
{
    // The fake clock starts on Tuesday 24 November 2026, 10:00 at the school; weekends are closed.
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>(TestHours.SchoolWeek());

    private async Task<int> SlotAsync(string who, DayOfWeek day, string start, string end, RosterKind kind)
    {
        var result = await Data.Get<RosterService>().AddSlotAsync(
            new RosterSlotInput((await Data.ActorAsync(who)).StaffId, day, start, end, kind), await Data.ActorAsync("admin"));
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    [Fact]
    public async Task TheGrid_ShowsSlotsByPersonAndDay_WhoIsOnNow_AndGreysStandbyOnClosedDays()
    {
        await SignInAsync("dispatcher", Roles.Dispatcher);
        await SlotAsync("staff4", DayOfWeek.Tuesday, "07:30", "12:00", RosterKind.Standby);
        await SlotAsync("staff4", DayOfWeek.Saturday, "08:00", "12:00", RosterKind.Standby);
        await SlotAsync("staff1", DayOfWeek.Monday, "17:30", "24:00", RosterKind.OnCall);
        await SlotAsync("staff1", DayOfWeek.Tuesday, "00:00", "07:30", RosterKind.OnCall);
        await SlotAsync("staff3", DayOfWeek.Tuesday, "08:00", "18:00", RosterKind.OnCall);
        RenderProviders();

        var cut = Render<AdminRoster>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));
        Assert.Equal("Week of 23 November 2026", cut.Find("[data-testid='week']").TextContent);
        Assert.Contains("Zhang Wei", cut.Find("[data-testid='on-call-now']").TextContent);
        Assert.Contains("Liu Yang", cut.Find("[data-testid='standby-now']").TextContent);
        var liu = (await Data.ActorAsync("staff4")).StaffId;
        var row = cut.Find($"tr[data-staff='{liu}']");
        var slots = row.QuerySelectorAll("[data-testid='roster-slot']");
        Assert.Equal(2, slots.Length);
        Assert.Contains("07:30–12:00", slots[0].TextContent);
        Assert.DoesNotContain("off", slots[0].ClassList);
        Assert.Contains("off", slots[1].ClassList); // Saturday: the school is closed
        Assert.Contains("closed", cut.Find("th[data-day='2026-11-28']").TextContent);
        // A dispatcher reads: no forms, no remove buttons.
        Assert.Empty(cut.FindAll("form"));
        Assert.Empty(cut.FindAll(".db-roster-remove"));

        await cut.Find("[data-testid='next-week']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Week of 30 November 2026", cut.Find("[data-testid='week']").TextContent));
    }

    [Fact]
    public async Task AnAdmin_AddsASlot_AndABadTimeIsNamedWithNothingAdded()
    {
        await SignInAsync("admin", Roles.Admin);
        RenderProviders();
        var cut = Render<AdminRoster>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));
        var form = cut.FindAll("form")[0];

        await cut.Find("input[data-testid='slot-start']").ChangeAsync(new() { Value = "09:00" });
        await cut.Find("input[data-testid='slot-end']").ChangeAsync(new() { Value = "noon" });
        await cut.FindAll("form")[0].SubmitAsync();
        cut.WaitForAssertion(() => Assert.Contains("Give the end as HH:mm", cut.Markup));
        Assert.Empty((await Data.Get<RosterService>().WeekAsync(new DateOnly(2026, 11, 24))).Slots);

        await cut.Find("input[data-testid='slot-end']").ChangeAsync(new() { Value = "12:00" });
        await cut.FindAll("form")[0].SubmitAsync();

        // The form starts on the first person (Li Na) and today (Tuesday).
        var li = (await Data.ActorAsync("staff2")).StaffId;
        cut.WaitForAssertion(() => Assert.Contains("09:00–12:00", cut.Find($"tr[data-staff='{li}']").TextContent));
        Assert.Equal("Tue 09:00–12:00", Assert.Single((await Data.Get<RosterService>().WeekAsync(new DateOnly(2026, 11, 24))).Slots).Label);
        Assert.NotNull(form);
    }

    [Fact]
    public async Task RemovingASlot_AsksFirst_AndKeepingItChangesNothing()
    {
        await SignInAsync("admin", Roles.Admin);
        await SlotAsync("staff4", DayOfWeek.Wednesday, "07:30", "12:00", RosterKind.Standby);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<AdminRoster>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".db-roster-remove")));
        const string Remove = "[aria-label=\"Remove Liu Yang's standby slot Wed 07:30–12:00 (every week)\"]";

        var asking = cut.Find(Remove).ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Remove Liu Yang's standby slot?", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it")).ClickAsync(new());
        await asking;
        Assert.Single((await Data.Get<RosterService>().WeekAsync(new DateOnly(2026, 11, 24))).Slots);

        asking = cut.Find(Remove).ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Remove Liu Yang's standby slot?", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").ClickAsync(new());
        await asking;

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='roster-slot']")));
        Assert.Empty((await Data.Get<RosterService>().WeekAsync(new DateOnly(2026, 11, 24))).Slots);
    }

    [Fact]
    public async Task YourDuty_ShowsThisWeeksSlots_TheSwapsTouchingYou_AndYourNextOnCall()
    {
        await SignInAsync("staff4", Roles.Staff);
        var admin = await Data.ActorAsync("admin");
        var roster = Data.Get<RosterService>();
        var wednesday = await SlotAsync("staff4", DayOfWeek.Wednesday, "07:30", "12:00", RosterKind.Standby);
        await SlotAsync("staff4", DayOfWeek.Friday, "17:30", "07:30", RosterKind.OnCall);
        var wang = await SlotAsync("staff1", DayOfWeek.Thursday, "07:30", "12:00", RosterKind.Standby);
        Assert.True((await roster.AddSwapAsync(new RosterSwapInput(wednesday, new DateOnly(2026, 11, 25), (await Data.ActorAsync("staff2")).StaffId), admin)).IsOk);
        Assert.True((await roster.AddSwapAsync(new RosterSwapInput(wang, new DateOnly(2026, 12, 3), (await Data.ActorAsync("staff4")).StaffId), admin)).IsOk);

        var cut = Render<MyDutyRoster>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='my-duty']")));
        Assert.Equal("Next on call: Fri 27 Nov 17:30 – Sat 07:30.", cut.Find("[data-testid='next-on-call']").TextContent.Trim());
        var slots = cut.FindAll("[data-testid='my-slot']").Select(s => System.Text.RegularExpressions.Regex.Replace(s.TextContent, @"\s+", " ").Trim()).ToList();
        Assert.Equal(["Wed 25 Nov standby 07:30–12:00 · covered by Li Na", "Fri 27 Nov on call 17:30–07:30"], slots);
        Assert.Contains("you cover Wang Lei's standby 07:30–12:00", cut.Find("[data-testid='my-swap']").TextContent);
    }

    [Fact]
    public async Task YourDuty_WithoutSlots_SaysTheSwitchIsYoursAlone()
    {
        await SignInAsync("staff3", Roles.Staff);

        var cut = Render<MyDutyRoster>();

        cut.WaitForAssertion(() => Assert.Contains("your duty switch is yours alone", cut.Find("[data-testid='no-roster']").TextContent));
    }

    [Fact]
    public async Task TheDutyCard_SaysTheRosterSwitched_AndHowLongAManualSwitchHolds()
    {
        await SignInAsync("staff4", Roles.Staff);
        await SlotAsync("staff4", DayOfWeek.Tuesday, "09:00", "12:00", RosterKind.Standby);
        Assert.Equal(1, await Data.Get<RosterSweep>().RunAsync(CancellationToken.None));

        var cut = Render<DutyCard>();
        cut.WaitForAssertion(() => Assert.Equal("Switched by the roster: Tue 09:00–12:00.", cut.Find("[data-testid='duty-source']").TextContent));
        cut.Dispose();

        await Data.SetDutyAsync("staff4", false);
        var again = Render<DutyCard>();
        again.WaitForAssertion(() => Assert.Equal("Your switch holds until Tue 12:00; then the roster leads.", again.Find("[data-testid='duty-source']").TextContent));
    }

    [Fact]
    public async Task TheRosterPage_AndYourDuty_FollowAnotherAdministratorsEdits_WithoutAReload()
    {
        await SignInAsync("staff4", Roles.Staff);
        RenderProviders();
        var page = Render<AdminRoster>();
        var mine = Render<MyDutyRoster>();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-loaded]").GetAttribute("data-loaded")));
        mine.WaitForAssertion(() => Assert.NotEmpty(mine.FindAll("[data-testid='no-roster']")));
        var liu = (await Data.ActorAsync("staff4")).StaffId;
        Assert.Empty(page.Find($"tr[data-staff='{liu}']").QuerySelectorAll("[data-testid='roster-slot']"));

        await SlotAsync("staff4", DayOfWeek.Thursday, "17:30", "07:30", RosterKind.OnCall); // the admin, elsewhere

        await AdvanceUntilAsync(() => page.Find($"tr[data-staff='{liu}']").QuerySelectorAll("[data-testid='roster-slot']").Length == 1
            && mine.FindAll("[data-testid='next-on-call']").Count == 1);
        Assert.Equal("Next on call: Thu 26 Nov 17:30 – Fri 07:30.", mine.Find("[data-testid='next-on-call']").TextContent.Trim());
    }
}
