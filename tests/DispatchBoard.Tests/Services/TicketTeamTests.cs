using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// A lead and helpers on a job: Wang Lei (staff1) claims the lights in Room 204 and asks Li Na (staff2) to help; Zhang
/// Wei (staff3) is a colleague not on the job; Zhou Min is the dispatcher.
/// </summary>
public sealed class TicketTeamTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketTeam Team => _data.Get<TicketTeam>();
    private TicketQueries Queries => _data.Get<TicketQueries>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<int> StaffIdAsync(string who) => (await _data.ActorAsync(who)).StaffId!.Value;

    private async Task<int> ReportAsync()
    {
        var result = await Intake.ReportAsync(new ReportTicket("A204", "Lighting", "The lights won't turn on", false, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    /// <summary>Reported, claimed by Wang Lei, and (optionally) on site.</summary>
    private async Task<int> LedByWangLeiAsync(bool onSite = false)
    {
        var id = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");
        Assert.True((await Changes.ClaimAsync(id, wang)).IsOk);
        if (onSite)
        {
            Assert.True((await Changes.MoveAsync(id, TicketStatus.OnSite, null, wang)).IsOk);
        }
        return id;
    }

    private async Task<TicketDto> AddAsync(int id, string helper, string by = "staff1")
    {
        var result = await Team.AddHelperAsync(id, await StaffIdAsync(helper), await _data.ActorAsync(by));
        Assert.True(result.IsOk, result.Describe());
        return result.Value!;
    }

    private Task<List<TicketHelper>> HelpersAsync(int id) =>
        _data.QueryAsync(db => db.TicketHelpers.Where(h => h.TicketId == id).OrderBy(h => h.Id).ToListAsync());

    [Fact]
    public async Task TheLeadAddsAHelper_OnTheStaffTimeline_PublishedLive_AndTheHelperIsAskedOnce()
    {
        var id = await LedByWangLeiAsync();
        var published = new List<BoardEvent>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(published.Add);

        var added = await AddAsync(id, "staff2");

        var helper = Assert.Single(added.Helpers);
        Assert.Equal(new TicketHelperDto(await StaffIdAsync("staff2"), "Li Na", false), helper);
        Assert.Equal(added, Assert.Single(published.OfType<TicketChanged>()).Ticket);
        var detail = await Queries.GetDetailAsync(id);
        var entry = detail!.Events[^1];
        Assert.Equal((TicketEventKind.HelperAdded, "Wang Lei", "Li Na helps Wang Lei"), (entry.Kind, entry.ActorName, entry.Note));
        var track = await Queries.TrackAsync(detail.Ticket.TrackingCode);
        Assert.DoesNotContain(track!.Timeline, s => s.Kind == TicketEventKind.HelperAdded);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.TicketId == id);
        Assert.Equal("Wang Lei asked you to help: Lighting & electrical · Room 204", alert.Title);
        Assert.Equal($"/my?ticket={id}", alert.Link);
        Assert.DoesNotContain(await _data.NotificationsForAsync("staff3"), n => n.TicketId == id);
    }

    [Fact]
    public async Task TheDispatcherAddsHelpers_ToAnyLedJob_AndRemovesThem()
    {
        var id = await LedByWangLeiAsync(onSite: true);
        var dispatcher = await _data.ActorAsync("dispatcher");

        await AddAsync(id, "staff2", by: "dispatcher");
        var both = await AddAsync(id, "staff3", by: "dispatcher");
        Assert.Equal(["Li Na", "Zhang Wei"], both.Helpers.Select(h => h.Name));
        Assert.StartsWith("Zhou Min asked you to help", Assert.Single(await _data.NotificationsForAsync("staff3"), n => n.TicketId == id).Title);

        var removed = await Team.RemoveHelperAsync(id, await StaffIdAsync("staff2"), dispatcher);

        Assert.True(removed.IsOk, removed.Describe());
        Assert.Equal(["Zhang Wei"], removed.Value!.Helpers.Select(h => h.Name));
        Assert.Equal((TicketEventKind.HelperRemoved, "Li Na no longer helps"),
            ((await Queries.GetDetailAsync(id))!.Events[^1] is var e ? (e.Kind, e.Note) : default));
    }

    [Fact]
    public async Task TheLeadRemovesAHelper_AndCanAskThemAgain_WhichAlertsThemAgain()
    {
        var id = await LedByWangLeiAsync();
        var wang = await _data.ActorAsync("staff1");
        await AddAsync(id, "staff2");

        Assert.True((await Team.RemoveHelperAsync(id, await StaffIdAsync("staff2"), wang)).IsOk);
        Assert.Empty(await HelpersAsync(id));
        await AddAsync(id, "staff2");

        Assert.Equal(2, (await _data.NotificationsForAsync("staff2")).Count(n => n.TicketId == id && n.Title.Contains("asked you to help")));
    }

    [Fact]
    public async Task AddingAHelper_IsRefusedWithASentence_ForEveryoneButTheLeadAndTheDispatcher_AndForTheWrongPeople()
    {
        var id = await LedByWangLeiAsync();
        var (li, zhang, wang) = (await StaffIdAsync("staff2"), await StaffIdAsync("staff3"), await StaffIdAsync("staff1"));

        var notLead = await Team.AddHelperAsync(id, zhang, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Forbidden, notLead.Kind);
        Assert.Equal("Only the lead, Wang Lei, or a dispatcher adds helpers to this job.", notLead.Message);

        var principal = await Team.AddHelperAsync(id, zhang, await _data.ActorAsync("principal"));
        Assert.Equal(ResultKind.Forbidden, principal.Kind);

        var self = await Team.AddHelperAsync(id, wang, await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Conflict, self.Kind);
        Assert.Equal("Wang Lei leads this job; choose someone else to help.", self.Message);

        await AddAsync(id, "staff2");
        var twice = await Team.AddHelperAsync(id, li, await _data.ActorAsync("dispatcher"));
        Assert.Equal(ResultKind.Conflict, twice.Kind);
        Assert.Equal("Li Na is already helping on this job.", twice.Message);

        var nobody = await Team.AddHelperAsync(id, 9999, await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Invalid, nobody.Kind);
        Assert.Equal(["There is no active staff member #9999."], nobody.Errors["staffId"]);

        await _data.QueryAsync(db => db.Staff.Where(s => s.Id == zhang).ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, false)));
        var inactive = await Team.AddHelperAsync(id, zhang, await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Invalid, inactive.Kind);
        Assert.Contains("staffId", inactive.Errors.Keys);

        Assert.Single(await HelpersAsync(id));
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.TicketId == id);
    }

    [Fact]
    public async Task AHelperJoinsOnlyAnOpenJobThatHasALead()
    {
        var waiting = await ReportAsync();
        var unled = await Team.AddHelperAsync(waiting, await StaffIdAsync("staff2"), await _data.ActorAsync("dispatcher"));
        Assert.Equal(ResultKind.Conflict, unled.Kind);
        Assert.Equal("Nobody leads this job yet; claim or assign it before adding helpers.", unled.Message);

        var cancelled = await ReportAsync();
        Assert.True((await Changes.MoveAsync(cancelled, TicketStatus.Cancelled, "Duplicate", await _data.ActorAsync("dispatcher"))).IsOk);
        var closed = await Team.AddHelperAsync(cancelled, await StaffIdAsync("staff2"), await _data.ActorAsync("dispatcher"));
        Assert.Equal(ResultKind.Conflict, closed.Kind);
        Assert.Equal("This ticket is cancelled; helpers join open jobs only.", closed.Message);

        var missing = await Team.AddHelperAsync(987654, await StaffIdAsync("staff2"), await _data.ActorAsync("dispatcher"));
        Assert.Equal(ResultKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task RemovingAHelper_IsForTheLeadOrADispatcher_AndOnlyForSomeoneHelping()
    {
        var id = await LedByWangLeiAsync();
        await AddAsync(id, "staff2");
        var li = await StaffIdAsync("staff2");

        var byHelper = await Team.RemoveHelperAsync(id, li, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Forbidden, byHelper.Kind);
        Assert.Equal("Only the lead, Wang Lei, or a dispatcher removes helpers from this job.", byHelper.Message);

        var notHelping = await Team.RemoveHelperAsync(id, await StaffIdAsync("staff3"), await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Conflict, notHelping.Kind);
        Assert.Equal("Zhang Wei is not helping on this job.", notHelping.Message);

        Assert.Single(await HelpersAsync(id));
    }

    [Fact]
    public async Task AHelperMarksTheirOwnPartDone_OnlyThey_AndOnlyOnce()
    {
        var id = await LedByWangLeiAsync(onSite: true);
        await AddAsync(id, "staff2");

        var byLead = await Team.MarkDoneAsync(id, await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Forbidden, byLead.Kind);
        Assert.Equal("You lead this job: resolve it when it is fixed.", byLead.Message);
        var byOther = await Team.MarkDoneAsync(id, await _data.ActorAsync("staff3"));
        Assert.Equal(ResultKind.Forbidden, byOther.Kind);
        Assert.Equal("Only a helper marks their own part done, and you are not helping on this job.", byOther.Message);
        Assert.Equal(ResultKind.Forbidden, (await Team.MarkDoneAsync(id, await _data.ActorAsync("dispatcher"))).Kind);

        var done = await Team.MarkDoneAsync(id, await _data.ActorAsync("staff2"));

        Assert.True(done.IsOk, done.Describe());
        Assert.True(Assert.Single(done.Value!.Helpers).Done);
        Assert.Equal(TicketStatus.OnSite, done.Value.Status);
        Assert.Equal(_data.Time.GetUtcNow(), Assert.Single(await HelpersAsync(id)).DoneAt);
        var entry = (await Queries.GetDetailAsync(id))!.Events[^1];
        Assert.Equal((TicketEventKind.HelperDone, "Li Na", "Li Na's part is done"), (entry.Kind, entry.ActorName, entry.Note));

        var again = await Team.MarkDoneAsync(id, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Conflict, again.Kind);
        Assert.Equal("You already marked your part done.", again.Message);
    }

    [Fact]
    public async Task OnlyTheLeadResolves_AHelperIsToldToMarkTheirPartDone()
    {
        var id = await LedByWangLeiAsync(onSite: true);
        await AddAsync(id, "staff2");

        var byHelper = await Changes.MoveAsync(id, TicketStatus.Resolved, "Changed the tubes", await _data.ActorAsync("staff2"));

        Assert.Equal(ResultKind.Forbidden, byHelper.Kind);
        Assert.Equal("Only the lead, Wang Lei, resolves this job; mark your part done instead.", byHelper.Message);
        var byOther = await Changes.MoveAsync(id, TicketStatus.Resolved, "Changed the tubes", await _data.ActorAsync("staff3"));
        Assert.Equal("This ticket is claimed by Wang Lei; only they or a dispatcher can change it.", byOther.Message);

        var byLead = await Changes.MoveAsync(id, TicketStatus.Resolved, "Changed the tubes", await _data.ActorAsync("staff1"));
        Assert.True(byLead.IsOk, byLead.Describe());
        Assert.Equal(["Li Na"], byLead.Value!.Helpers.Select(h => h.Name)); // kept on record for the reports
        var doneAfter = await Team.MarkDoneAsync(id, await _data.ActorAsync("staff2"));
        Assert.Equal(ResultKind.Conflict, doneAfter.Kind);
        Assert.Equal(ResultKind.Conflict, (await Team.RemoveHelperAsync(id, await StaffIdAsync("staff2"), await _data.ActorAsync("staff1"))).Kind);
    }

    [Fact]
    public async Task Releasing_TakesTheHelpersOffTheJob_WithOneLineOnTheTimeline()
    {
        var id = await LedByWangLeiAsync();
        await AddAsync(id, "staff2");
        await AddAsync(id, "staff3");

        var released = await Changes.MoveAsync(id, TicketStatus.New, null, await _data.ActorAsync("staff1"));

        Assert.True(released.IsOk, released.Describe());
        Assert.Empty(released.Value!.Helpers);
        Assert.Empty(await HelpersAsync(id));
        var entry = (await Queries.GetDetailAsync(id))!.Events[^1];
        Assert.Equal((TicketEventKind.HelperRemoved, "Back in the queue, so no longer helping: Li Na, Zhang Wei"), (entry.Kind, entry.Note));
    }

    [Fact]
    public async Task Reassigning_KeepsTheHelpers_ButTheNewLeadNoLongerHelps()
    {
        var id = await LedByWangLeiAsync();
        await AddAsync(id, "staff2");
        await AddAsync(id, "staff3");

        var reassigned = await Changes.AssignAsync(id, await StaffIdAsync("staff2"), await _data.ActorAsync("dispatcher"));

        Assert.True(reassigned.IsOk, reassigned.Describe());
        Assert.Equal("Li Na", reassigned.Value!.ClaimedBy);
        Assert.Equal(["Zhang Wei"], reassigned.Value.Helpers.Select(h => h.Name));
        Assert.Contains((await Queries.GetDetailAsync(id))!.Events, e => e.Kind == TicketEventKind.HelperRemoved && e.Note == "Li Na now leads the job instead of helping");
        // The new lead now manages the team; the old one does not.
        Assert.Equal(ResultKind.Forbidden, (await Team.AddHelperAsync(id, await StaffIdAsync("staff4"), await _data.ActorAsync("staff1"))).Kind);
        await AddAsync(id, "staff1", by: "staff2");
    }

    [Fact]
    public async Task AReopenedJob_AlertsTheHelpersStillOnIt_OnceEach_ThenGoesBackToTheQueueWithoutThem()
    {
        var id = await LedByWangLeiAsync(onSite: true);
        await AddAsync(id, "staff2");
        await AddAsync(id, "staff3");
        Assert.True((await Team.MarkDoneAsync(id, await _data.ActorAsync("staff3"))).IsOk);
        var resolved = await Changes.MoveAsync(id, TicketStatus.Resolved, "New tubes", await _data.ActorAsync("staff1"));

        var reopened = await Intake.ReopenAsync(resolved.Value!.TrackingCode, "Still dark at the back");
        Assert.True(reopened.IsOk, reopened.Describe());

        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.TicketId == id && n.Kind == NotificationKind.Reopened);
        var li = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.TicketId == id && n.Kind == NotificationKind.Reopened);
        Assert.Equal("Not fixed yet: Room 204", li.Title);
        Assert.DoesNotContain(await _data.NotificationsForAsync("staff3"), n => n.TicketId == id && n.Kind == NotificationKind.Reopened);
        Assert.Empty(reopened.Value!.Helpers);
        Assert.Empty(await HelpersAsync(id));
    }

    [Fact]
    public async Task ThePrincipalsDecision_ReachesTheHelpersStillOnIt_OnceEach()
    {
        var id = await LedByWangLeiAsync(onSite: true);
        await AddAsync(id, "staff2");
        await AddAsync(id, "staff3");
        Assert.True((await Team.MarkDoneAsync(id, await _data.ActorAsync("staff3"))).IsOk);
        var escalations = _data.Get<EscalationService>();
        Assert.True((await escalations.EscalateAsync(id, "Purchase", "Needs a new ballast", await _data.ActorAsync("staff1"))).IsOk);
        var escalation = (await escalations.InboxAsync()).Single(i => i.Ticket.Ticket.Id == id).Escalation.Id;

        Assert.True((await escalations.DecideAsync(escalation, "Approved", "Buy it.", null, await _data.ActorAsync("principal"))).IsOk);

        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.TicketId == id && n.Kind == NotificationKind.Decision);
        var li = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.TicketId == id && n.Kind == NotificationKind.Decision);
        Assert.Equal("Principal's decision: Approved", li.Title);
        Assert.DoesNotContain(await _data.NotificationsForAsync("staff3"), n => n.TicketId == id && n.Kind == NotificationKind.Decision);
    }

    [Fact]
    public async Task TwoPeopleAddingTheSameHelperAtOnce_AddThemOnce()
    {
        var id = await LedByWangLeiAsync();
        var li = await StaffIdAsync("staff2");
        var (wang, dispatcher) = (await _data.ActorAsync("staff1"), await _data.ActorAsync("dispatcher"));

        var results = await Task.WhenAll(Team.AddHelperAsync(id, li, wang), Team.AddHelperAsync(id, li, dispatcher));

        Assert.Single(results, r => r.IsOk);
        Assert.Single(results, r => r.Kind == ResultKind.Conflict);
        Assert.Single(await HelpersAsync(id));
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.TicketId == id);
    }
}
