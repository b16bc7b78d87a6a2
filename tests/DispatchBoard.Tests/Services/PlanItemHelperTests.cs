using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>Helpers on a plan item: Wang Lei (staff1) owns "Check classroom lights"; Li Na (staff2) helps.</summary>
public sealed class PlanItemHelperTests : IAsyncLifetime
{
    private TestData _data = default!;
    private PlanService Plans => _data.Get<PlanService>();

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Calendar:Semesters:0:Name"] = "Autumn 2026",
            ["Calendar:Semesters:0:StartsOn"] = "2026-09-01",
            ["Calendar:Semesters:0:EndsOn"] = "2027-01-22",
        });
        await _data.QueryAsync(db => db.PlanItems.ExecuteDeleteAsync());
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<int> StaffIdAsync(string who) => (await _data.ActorAsync(who)).StaffId!.Value;

    private async Task<PlanItemDto> OwnedByWangLeiAsync()
    {
        var semester = (await _data.Get<DispatchBoard.Web.Calendar.SemesterService>().ListAsync()).Single(s => s.Name == "Autumn 2026").Id;
        var added = await Plans.AddAsync(semester, PlanPhase.PostStart, new DateOnly(2026, 11, 1),
            new PlanItemInput("Check classroom lights", PlanCategory.Repairs, await StaffIdAsync("staff1"), new DateOnly(2026, 11, 27), null),
            await _data.ActorAsync("dispatcher"));
        Assert.True(added.IsOk, added.Describe());
        return added.Value!;
    }

    [Fact]
    public async Task TheOwnerAddsAHelper_WhoIsAlertedOnce_SeesItOnMy_MarksTheirPartDone_AndTheListShowsIt()
    {
        var item = await OwnedByWangLeiAsync();
        var published = new List<BoardEvent>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(published.Add);
        var li = await _data.ActorAsync("staff2");

        var added = await Plans.AddHelperAsync(item.Id, li.StaffId!.Value, await _data.ActorAsync("staff1"));

        Assert.True(added.IsOk, added.Describe());
        Assert.Equal([new PlanHelperDto(li.StaffId.Value, "Li Na", false)], added.Value!.Helpers);
        Assert.Contains(published, e => e is PlansChanged);
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Title == "Wang Lei asked you to help: Check classroom lights");
        Assert.Equal([item.Id], (await Plans.HelpedByUserAsync(li.UserId)).Select(i => i.Id));
        Assert.DoesNotContain(await Plans.OwnedByUserAsync(li.UserId), i => i.Id == item.Id);

        var done = await Plans.HelperDoneAsync(item.Id, li);
        Assert.True(done.IsOk, done.Describe());
        Assert.True(Assert.Single(done.Value!.Helpers).Done);
        Assert.Equal(PlanStatus.ToDo, done.Value.Status);
        Assert.Equal(ResultKind.Conflict, (await Plans.HelperDoneAsync(item.Id, li)).Kind);
        var plan = await Plans.PlanAsync(item.SemesterId);
        Assert.True(plan!.Months.SelectMany(m => m.Items).Single(i => i.Id == item.Id).Helpers.Single().Done);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAPlanner_ManagesHelpers_NotTheOwnerThemself_NotTwice()
    {
        var item = await OwnedByWangLeiAsync();
        var (li, zhang, wang) = (await StaffIdAsync("staff2"), await StaffIdAsync("staff3"), await StaffIdAsync("staff1"));

        var byColleague = await Plans.AddHelperAsync(item.Id, zhang, await _data.ActorAsync("staff2"));
        Assert.Equal((ResultKind.Forbidden, "Only the owner, Wang Lei, or the office adds helpers to this item."), (byColleague.Kind, byColleague.Message));
        var owner = await Plans.AddHelperAsync(item.Id, wang, await _data.ActorAsync("dispatcher"));
        Assert.Equal((ResultKind.Conflict, "Wang Lei owns this item; choose someone else to help."), (owner.Kind, owner.Message));
        Assert.True((await Plans.AddHelperAsync(item.Id, li, await _data.ActorAsync("dispatcher"))).IsOk);
        var twice = await Plans.AddHelperAsync(item.Id, li, await _data.ActorAsync("staff1"));
        Assert.Equal((ResultKind.Conflict, "Li Na is already helping with this item."), (twice.Kind, twice.Message));
        Assert.Equal(ResultKind.Invalid, (await Plans.AddHelperAsync(item.Id, 9999, await _data.ActorAsync("staff1"))).Kind);

        var removedByHelper = await Plans.RemoveHelperAsync(item.Id, li, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Forbidden, removedByHelper.Kind);
        var removed = await Plans.RemoveHelperAsync(item.Id, li, await _data.ActorAsync("staff1"));
        Assert.True(removed.IsOk, removed.Describe());
        Assert.Empty(removed.Value!.Helpers);
        Assert.Equal(ResultKind.Conflict, (await Plans.RemoveHelperAsync(item.Id, li, await _data.ActorAsync("staff1"))).Kind);
        Assert.Equal(ResultKind.Forbidden, (await Plans.HelperDoneAsync(item.Id, await _data.ActorAsync("staff2"))).Kind);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAPlanner_FinishesTheItem_AHelperIsToldToMarkTheirPart()
    {
        var item = await OwnedByWangLeiAsync();
        Assert.True((await Plans.AddHelperAsync(item.Id, await StaffIdAsync("staff2"), await _data.ActorAsync("staff1"))).IsOk);

        var byHelper = await Plans.SetStatusAsync(item.Id, PlanStatus.Done, await _data.ActorAsync("staff2"));

        Assert.Equal((ResultKind.Forbidden, "Only the owner, Wang Lei, finishes this item; mark your part done instead."), (byHelper.Kind, byHelper.Message));
        Assert.True((await Plans.SetStatusAsync(item.Id, PlanStatus.Done, await _data.ActorAsync("staff1"))).IsOk);
        Assert.Empty(await Plans.HelpedByUserAsync((await _data.ActorAsync("staff2")).UserId));
        var late = await Plans.AddHelperAsync(item.Id, await StaffIdAsync("staff3"), await _data.ActorAsync("dispatcher"));
        Assert.Equal(ResultKind.Conflict, late.Kind);
    }
}
