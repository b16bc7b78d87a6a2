using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// The duty roster (issue 11): the sweep switches people at the edges of their standby slots, a manual switch wins until
/// the next edge, swaps hand an occurrence to a colleague, standby follows the school calendar while on-call does not,
/// and the on-call lookup answers across nights and daylight-saving changes.
/// </summary>
public sealed class RosterTests
{
    private const string Shanghai = "Asia/Shanghai";
    private const string London = "Europe/London";

    // Monday 30 November 2026; Friday 4 and Saturday 5 December.
    private static readonly DateOnly Monday = new(2026, 11, 30);
    private static readonly DateOnly Friday = new(2026, 12, 4);
    private static readonly DateOnly Saturday = new(2026, 12, 5);

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0, string zone = Shanghai) =>
        SchoolClock.At(TimeZoneInfo.FindSystemTimeZoneById(zone), day, new TimeOnly(hour, minute));

    private static Task<TestData> SchoolAsync(DateTimeOffset now, string zone = Shanghai) =>
        TestData.CreateAsync(now: now, timeZone: zone, settings: new Dictionary<string, string?>(TestHours.SchoolWeek()));

    private static async Task<int> SlotAsync(TestData data, string who, DayOfWeek day, string start, string end, RosterKind kind)
    {
        var staffId = (await data.ActorAsync(who)).StaffId;
        var result = await data.Get<RosterService>().AddSlotAsync(new RosterSlotInput(staffId, day, start, end, kind), await data.ActorAsync("admin"));
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    private static async Task SwapAsync(TestData data, int slotId, DateOnly date, string substitute)
    {
        var result = await data.Get<RosterService>().AddSwapAsync(
            new RosterSwapInput(slotId, date, (await data.ActorAsync(substitute)).StaffId), await data.ActorAsync("admin"));
        Assert.True(result.IsOk, result.Describe());
    }

    private static async Task<bool> OnDutyAsync(TestData data, string who)
    {
        var staffId = (await data.ActorAsync(who)).StaffId;
        return await data.QueryAsync(db => db.Staff.Where(s => s.Id == staffId).Select(s => s.OnDuty).SingleAsync());
    }

    private static async Task<int> SweepAtAsync(TestData data, DateTimeOffset at)
    {
        data.Time.SetUtcNow(at);
        return await data.Get<RosterSweep>().RunAsync(CancellationToken.None);
    }

    private static Task<List<AuditEntry>> DutyLinesAsync(TestData data) =>
        data.QueryAsync(db => db.AuditEntries.Where(e => e.Kind == AuditKind.DutyChanged).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Sweep_PutsAPersonOnAtTheSlotStart_AndOffAtItsEnd_RecordingAndPublishingEachChangeOnce()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby);
        var published = new List<StaffDto>();
        using var _ = data.Get<DispatchNotifier>().Subscribe(e => { if (e is StaffChanged s) { lock (published) { published.Add(s.Staff); } } });

        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 7, 29)));
        Assert.False(await OnDutyAsync(data, "staff4"));

        Assert.Equal(1, await SweepAtAsync(data, At(Monday, 7, 30)));
        Assert.True(await OnDutyAsync(data, "staff4"));
        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 7, 31)));
        var on = Assert.Single(published);
        Assert.True(on.OnDuty);
        Assert.Equal("the roster: Mon 07:30–12:00", on.DutyChangedBy);

        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 11, 59)));
        Assert.Equal(1, await SweepAtAsync(data, At(Monday, 12)));
        Assert.False(await OnDutyAsync(data, "staff4"));

        var lines = await DutyLinesAsync(data);
        Assert.Equal(["On duty by the roster: Mon 07:30–12:00", "Off duty by the roster: Mon 07:30–12:00"], lines.Select(l => l.Details));
        Assert.All(lines, l => Assert.Equal(RosterSweep.Actor, l.ActorName));
        Assert.Equal(2, published.Count);
    }

    [Fact]
    public async Task ManualSwitch_WinsUntilTheNextEdge_ThenTheRosterLeadsAgain()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby);
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "13:00", "17:30", RosterKind.Standby);

        // A switch before an edge is overtaken by it.
        data.Time.SetUtcNow(At(Monday, 7, 20));
        await data.SetDutyAsync("staff4", false);
        await SweepAtAsync(data, At(Monday, 7, 30));
        Assert.True(await OnDutyAsync(data, "staff4"));

        // A switch after the edge holds until the next edge.
        await SweepAtAsync(data, At(Monday, 9));
        data.Time.SetUtcNow(At(Monday, 9, 5));
        await data.SetDutyAsync("staff4", false);
        var staffId = (await data.ActorAsync("staff4")).StaffId;
        var until = await data.QueryAsync(db => db.Staff.Where(s => s.Id == staffId).Select(s => s.DutyManualUntil).SingleAsync());
        Assert.Equal(At(Monday, 12), until);
        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 11, 59)));
        Assert.False(await OnDutyAsync(data, "staff4"));
        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 12))); // the roster wants off: already off
        Assert.Equal(1, await SweepAtAsync(data, At(Monday, 13)));
        Assert.True(await OnDutyAsync(data, "staff4"));

        var lines = await DutyLinesAsync(data);
        Assert.Contains(lines, l => l.ActorName == "Liu Yang" && l.Details!.StartsWith("Off duty by their own switch; the roster leads again at Mon 30 Nov 12:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASwitchMadeAfterAnEdge_TheSweepHasNotActedOnYet_IsNotUndoneByIt()
    {
        await using var data = await SchoolAsync(At(Monday, 9));
        data.Time.SetUtcNow(At(Monday, 9, 10));
        await data.SetDutyAsync("staff4", true);
        // The slot is added afterwards: its latest edge (09:00, off) is older than the person's own switch.
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "09:00", RosterKind.Standby);

        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 9, 31)));
        Assert.True(await OnDutyAsync(data, "staff4"));

        await data.SetDutyAsync("staff4", false);
        Assert.Equal(1, await SweepAtAsync(data, At(Monday.AddDays(7), 7, 30)));
        Assert.True(await OnDutyAsync(data, "staff4"));
    }

    [Fact]
    public async Task ASwap_PutsTheSubstituteOnInsteadOfTheOwner_ForThatDateOnly()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        var slot = await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby);
        await SwapAsync(data, slot, Monday, "staff2");
        await data.SetDutyAsync("staff2", false);

        await SweepAtAsync(data, At(Monday, 7, 30));

        Assert.True(await OnDutyAsync(data, "staff2"));
        Assert.False(await OnDutyAsync(data, "staff4"));
        Assert.Contains(await DutyLinesAsync(data), l => l.Subject == "Li Na" && l.Details == "On duty by the roster: Mon 07:30–12:00 (swap)");
        await SweepAtAsync(data, At(Monday, 12));
        Assert.False(await OnDutyAsync(data, "staff2"));

        // The next Monday is Liu Yang's again.
        await SweepAtAsync(data, At(Monday.AddDays(7), 7, 30));
        Assert.True(await OnDutyAsync(data, "staff4"));
        Assert.False(await OnDutyAsync(data, "staff2"));
    }

    [Fact]
    public async Task OnCall_RunsOvernight_And24_00EndsTheDay_AndASwapHandsOneNightToAColleague()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        var roster = data.Get<RosterService>();
        var friday = await SlotAsync(data, "staff1", DayOfWeek.Friday, "17:30", "07:30", RosterKind.OnCall);
        await SlotAsync(data, "staff3", DayOfWeek.Saturday, "07:30", "24:00", RosterKind.OnCall);

        Assert.Null(await roster.OnCallAsync(At(Friday, 17, 29)));
        Assert.Equal("Wang Lei", (await roster.OnCallAsync(At(Friday, 17, 30)))?.Name);
        Assert.Equal("Wang Lei", (await roster.OnCallAsync(At(Saturday, 3)))?.Name);
        Assert.Equal("Zhang Wei", (await roster.OnCallAsync(At(Saturday, 7, 30)))?.Name);
        Assert.Equal("Zhang Wei", (await roster.OnCallAsync(At(Saturday, 23, 59)))?.Name);
        Assert.Null(await roster.OnCallAsync(At(Saturday.AddDays(1), 0)));

        await SwapAsync(data, friday, Friday, "staff2");
        var swapped = await roster.OnCallAsync(At(Saturday, 3));
        Assert.Equal(("Li Na", (await data.ActorAsync("staff2")).StaffId), (swapped?.Name, swapped?.StaffId));
        Assert.Equal("Wang Lei", (await roster.OnCallAsync(At(Saturday.AddDays(7), 3)))?.Name);

        // On-call is a lookup, not duty: Wang Lei has no standby slot, so the sweep never touches his switch.
        await data.SetDutyAsync("staff1", true);
        await SweepAtAsync(data, At(Saturday, 3));
        await SweepAtAsync(data, At(Saturday, 8));
        Assert.True(await OnDutyAsync(data, "staff1"));
        Assert.Empty(await DutyLinesAsync(data).ContinueWith(t => t.Result.Where(l => l.Subject == "Wang Lei").ToList()));
    }

    [Fact]
    public async Task Standby_IsSkippedOnAClosure_WhileOnCallStillApplies()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        var added = await data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Heating repair", CalendarDayKind.Closure, Monday, Monday),
            await data.ActorAsync("admin"));
        Assert.True(added.IsOk, added.Describe());
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby);
        await SlotAsync(data, "staff3", DayOfWeek.Monday, "08:00", "18:00", RosterKind.OnCall);

        Assert.Equal(0, await SweepAtAsync(data, At(Monday, 7, 30)));
        Assert.False(await OnDutyAsync(data, "staff4"));
        Assert.Equal("Zhang Wei", (await data.Get<RosterService>().OnCallAsync(At(Monday, 9)))?.Name);

        Assert.Equal(1, await SweepAtAsync(data, At(Monday.AddDays(7), 7, 30)));
        Assert.True(await OnDutyAsync(data, "staff4"));
    }

    [Fact]
    public async Task ASaturdayStandbySlot_ActsOnlyOnAMakeUpSaturday()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        await SlotAsync(data, "staff4", DayOfWeek.Saturday, "08:00", "12:00", RosterKind.Standby);

        Assert.Equal(0, await SweepAtAsync(data, At(Saturday, 8)));
        Assert.False(await OnDutyAsync(data, "staff4"));

        var makeUp = Saturday.AddDays(7);
        var added = await data.Get<CalendarPeriods>().AddAsync(new CalendarPeriodInput("Make-up day", CalendarDayKind.MakeUpDay, makeUp, null),
            await data.ActorAsync("admin"));
        Assert.True(added.IsOk, added.Describe());
        Assert.Equal(1, await SweepAtAsync(data, At(makeUp, 8)));
        Assert.True(await OnDutyAsync(data, "staff4"));
        Assert.Equal(1, await SweepAtAsync(data, At(makeUp, 12)));
        Assert.False(await OnDutyAsync(data, "staff4"));
    }

    [Fact]
    public async Task AcrossDaylightSavingChanges_InLondon_SlotsKeepTheirWallTimes()
    {
        // Spring: clocks go forward at 01:00 on Sunday 28 March 2027; autumn: back at 02:00 on Sunday 31 October 2027.
        var springSaturday = new DateOnly(2027, 3, 27);
        await using var data = await SchoolAsync(At(springSaturday, 12, 0, London), London);
        var roster = data.Get<RosterService>();
        await SlotAsync(data, "staff1", DayOfWeek.Saturday, "18:00", "08:00", RosterKind.OnCall);
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "17:30", RosterKind.Standby);

        // The night is an hour shorter: it ends at 08:00 BST, which is 07:00 UTC.
        Assert.Equal("Wang Lei", (await roster.OnCallAsync(new DateTimeOffset(2027, 3, 28, 6, 59, 0, TimeSpan.Zero)))?.Name);
        Assert.Null(await roster.OnCallAsync(new DateTimeOffset(2027, 3, 28, 7, 0, 0, TimeSpan.Zero)));
        // Monday 07:30 BST is 06:30 UTC.
        Assert.Equal(0, await SweepAtAsync(data, new DateTimeOffset(2027, 3, 29, 6, 29, 0, TimeSpan.Zero)));
        Assert.Equal(1, await SweepAtAsync(data, new DateTimeOffset(2027, 3, 29, 6, 30, 0, TimeSpan.Zero)));
        Assert.True(await OnDutyAsync(data, "staff4"));

        // Autumn: the night is an hour longer and ends at 08:00 GMT (08:00 UTC).
        var autumnSunday = new DateTimeOffset(2027, 10, 31, 7, 30, 0, TimeSpan.Zero);
        Assert.Equal("Wang Lei", (await roster.OnCallAsync(autumnSunday))?.Name);
        Assert.Null(await roster.OnCallAsync(autumnSunday.AddMinutes(30)));
    }

    [Fact]
    public async Task Sweep_RunTwiceConcurrentlyAndAfterARestart_SwitchesOnceAndRecordsOnce()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        await SlotAsync(data, "staff4", DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby);
        data.Time.SetUtcNow(At(Monday, 7, 31));

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => data.Get<RosterSweep>().RunAsync(CancellationToken.None))));

        Assert.Equal(1, runs.Sum());
        var directory = data.Directory;
        await data.StopAsync();
        await using var restarted = await TestData.CreateAsync(now: At(Monday, 7, 32), timeZone: Shanghai,
            settings: new Dictionary<string, string?>(TestHours.SchoolWeek()), reuseDirectory: directory);
        Assert.Equal(0, await restarted.Get<RosterSweep>().RunAsync(CancellationToken.None));
        Assert.True(await OnDutyAsync(restarted, "staff4"));
        Assert.Single(await DutyLinesAsync(restarted));
    }

    [Fact]
    public async Task AddSlot_RefusesOverlapsBadTimesAndUnknownOrInactiveStaff_NamingTheField()
    {
        await using var data = await SchoolAsync(At(Monday, 7));
        var roster = data.Get<RosterService>();
        var admin = await data.ActorAsync("admin");
        var liu = (await data.ActorAsync("staff4")).StaffId;
        await SlotAsync(data, "staff4", DayOfWeek.Sunday, "20:00", "08:00", RosterKind.OnCall);

        async Task<IReadOnlyDictionary<string, string[]>> Refused(RosterSlotInput input)
        {
            var result = await roster.AddSlotAsync(input, admin);
            Assert.Equal(ResultKind.Invalid, result.Kind);
            return result.Errors!;
        }

        // Sunday night runs into Monday morning.
        Assert.Contains("Sun 20:00–08:00", (await Refused(new(liu, DayOfWeek.Monday, "07:30", "12:00", RosterKind.Standby)))["start"].Single());
        Assert.True((await Refused(new(liu, DayOfWeek.Monday, "25:00", "12:00", RosterKind.Standby))).ContainsKey("start"));
        Assert.True((await Refused(new(liu, DayOfWeek.Monday, "24:00", "12:00", RosterKind.Standby))).ContainsKey("start"));
        Assert.True((await Refused(new(liu, DayOfWeek.Monday, "09:00", "noon", RosterKind.Standby))).ContainsKey("end"));
        Assert.True((await Refused(new(9999, DayOfWeek.Monday, "09:00", "12:00", RosterKind.Standby))).ContainsKey("staffId"));
        Assert.True((await Refused(new(liu, null, "09:00", "12:00", null))).Keys.ToHashSet().SetEquals(["day", "kind"]));

        var staffAdmin = data.Get<StaffAdminService>();
        var userId = (await data.ActorAsync("staff4")).UserId;
        Assert.True((await staffAdmin.SetActiveAsync(userId, false, admin)).IsOk);
        Assert.Contains("no longer on the staff", (await Refused(new(liu, DayOfWeek.Tuesday, "09:00", "12:00", RosterKind.Standby)))["staffId"].Single());

        var staffOnly = await data.ActorAsync("staff1");
        Assert.Equal(ResultKind.Forbidden, (await roster.AddSlotAsync(new((await data.ActorAsync("staff1")).StaffId, DayOfWeek.Tuesday, "09:00", "12:00", RosterKind.Standby), staffOnly)).Kind);
    }
}
