using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>Possible duplicates, merging and its undo, the reporters of a merged problem, "me too", and tracking that follows the survivor.</summary>
public sealed class DuplicatesTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();
    private TicketMerges Merges => _data.Get<TicketMerges>();
    private TicketDuplicates Duplicates => _data.Get<TicketDuplicates>();
    private TicketMeToo MeToo => _data.Get<TicketMeToo>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
    {
        ["Dispatch:DuplicateWindow"] = "02:00:00",
    });

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<ReportedTicket> ReportAsync(string area = "A301", string category = "Lighting", string? name = null, string? contact = null)
    {
        var result = await Intake.ReportAsync(new ReportTicket(area, category, $"Problem in {area}", false, name, contact), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!;
    }

    private async Task<Ticket> TicketAsync(int id) =>
        await _data.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == id));

    private async Task<List<TicketEvent>> EventsAsync(int id) =>
        await _data.QueryAsync(db => db.TicketEvents.AsNoTracking().Where(e => e.TicketId == id).OrderBy(e => e.Version).ThenBy(e => e.Id).ToListAsync());

    private async Task<int> AreaIdAsync(string code) => (await _data.Get<AreaDirectory>().FindByCodeAsync(code))!.Id;

    // ---- possible duplicates

    [Fact]
    public async Task Duplicates_SameRoomOrSameFloor_SameCategory_WithinTheWindow_AreOffered()
    {
        var first = await ReportAsync("A301");
        _data.Time.Advance(TimeSpan.FromMinutes(30));
        var sameRoom = await ReportAsync("A301");
        var sameFloorRoom = await ReportAsync("A302");
        var theFloor = await ReportAsync("A-3F");
        var otherFloor = await ReportAsync("A201");
        var otherCategory = await ReportAsync("A301", "Furniture");

        var offered = (await Duplicates.ForAsync(sameRoom.Id)).Select(t => t.Id).ToList();

        Assert.Equal([first.Id, sameFloorRoom.Id, theFloor.Id], offered);
        Assert.DoesNotContain(otherFloor.Id, offered);
        Assert.DoesNotContain(otherCategory.Id, offered);
    }

    [Fact]
    public async Task Duplicates_BeyondTheWindow_AreNotOffered()
    {
        var old = await ReportAsync("A303");
        _data.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var late = await ReportAsync("A303");
        _data.Time.Advance(TimeSpan.FromMinutes(5));
        var soon = await ReportAsync("A303");

        Assert.Equal([soon.Id], (await Duplicates.ForAsync(late.Id)).Select(t => t.Id));
        Assert.Equal([late.Id], (await Duplicates.ForAsync(soon.Id)).Select(t => t.Id));
        Assert.Empty(await Duplicates.ForAsync(old.Id));
    }

    [Fact]
    public async Task Duplicates_ClosedOrMergedReports_AreNotOffered()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var a = await ReportAsync("A304");
        var b = await ReportAsync("A304");
        var c = await ReportAsync("A304");
        Assert.True((await Changes.MoveAsync(c.Id, TicketStatus.Cancelled, "Not a problem", dispatcher)).IsOk);
        Assert.Equal([b.Id], (await Duplicates.ForAsync(a.Id)).Select(t => t.Id));

        Assert.True((await Merges.MergeAsync(b.Id, a.Id, dispatcher)).IsOk);

        Assert.Empty(await Duplicates.ForAsync(a.Id));
    }

    [Fact]
    public async Task EarlierOf_MarksEachLaterReportWithTheFirst_AndNotTheFirstItself()
    {
        var first = await ReportAsync("A301");
        _data.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await ReportAsync("A302");
        var third = await ReportAsync("A301");
        var alone = await ReportAsync("B301");
        var board = (await Queries.BoardAsync()).Tickets;

        var marks = PossibleDuplicates.EarlierOf(board, await _data.Get<AreaDirectory>().GetAsync(), TimeSpan.FromHours(2));

        Assert.False(marks.ContainsKey(first.Id));
        Assert.Equal(first.Id, marks[second.Id]);
        Assert.Equal(first.Id, marks[third.Id]);
        Assert.False(marks.ContainsKey(alone.Id));
    }

    // ---- merge

    [Fact]
    public async Task Merge_ClosesTheDuplicate_CountsItsReports_KeepsBothTimelines_BumpsBothVersions()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var survivor = await ReportAsync("A301");
        var duplicate = await ReportAsync("A301");

        var result = await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher);

        Assert.True(result.IsOk, result.Describe());
        var d = await TicketAsync(duplicate.Id);
        var s = await TicketAsync(survivor.Id);
        Assert.Equal(TicketStatus.Closed, d.Status);
        Assert.Equal(TicketStatus.New, d.StatusBeforeMerge);
        Assert.Equal(survivor.Id, d.MergedIntoId);
        Assert.Equal(_data.Time.GetUtcNow(), d.ClosedAt);
        Assert.Equal(2, d.Version);
        Assert.Equal(2, s.Version);
        Assert.Equal(2, s.ReportCount);
        Assert.Equal(TicketStatus.New, s.Status);
        var dEvents = await EventsAsync(duplicate.Id);
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Merged], dEvents.Select(e => e.Kind));
        Assert.Equal($"Merged into #{survivor.Id} (Room 301)", dEvents[1].Note);
        Assert.Equal(2, dEvents[1].Version);
        var sEvents = await EventsAsync(survivor.Id);
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Merged], sEvents.Select(e => e.Kind));
        Assert.Equal($"#{duplicate.Id} merged in", sEvents[1].Note);
        Assert.Equal(s.ReportCount, result.Value!.Survivor.ReportCount);
        Assert.Equal(survivor.Id, result.Value.Duplicate.MergedIntoId);
    }

    [Fact]
    public async Task Merge_PublishesBothTickets_OnlyAfterTheCommit()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var survivor = await ReportAsync("A302");
        var duplicate = await ReportAsync("A302");
        var seen = new List<(int Id, int Version, int StoredVersion)>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(e =>
        {
            if (e is TicketChanged { Ticket: var t })
            {
                // What the database holds at the moment of the publish: the change is committed by then.
                var stored = _data.QueryAsync(db => db.Tickets.Where(x => x.Id == t.Id).Select(x => x.Version).SingleAsync()).GetAwaiter().GetResult();
                seen.Add((t.Id, t.Version, stored));
            }
        });

        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);

        Assert.Equal(2, seen.Count);
        Assert.Contains(seen, x => x.Id == duplicate.Id && x.Version == 2 && x.StoredVersion == 2);
        Assert.Contains(seen, x => x.Id == survivor.Id && x.Version == 2 && x.StoredVersion == 2);
    }

    [Fact]
    public async Task Merge_AClaimedDuplicate_TellsItsLead()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await _data.ActorAsync("staff1");
        var survivor = await ReportAsync("A303");
        var duplicate = await ReportAsync("A303");
        Assert.True((await Changes.ClaimAsync(duplicate.Id, wang)).IsOk);
        var before = (await _data.NotificationsForAsync("staff1")).Count;

        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);

        var alerts = await _data.NotificationsForAsync("staff1");
        var merged = Assert.Single(alerts.Skip(before));
        Assert.Equal(NotificationKind.Merged, merged.Kind);
        Assert.Contains($"into #{survivor.Id}", merged.Body);
        Assert.Equal(TicketStatus.Claimed, (await TicketAsync(duplicate.Id)).StatusBeforeMerge);
    }

    [Fact]
    public async Task Merge_AJobWithAHelper_TellsTheHelperToo_AndUndoingIt_TellsThemItIsTheirsAgain()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await _data.ActorAsync("staff1");
        var li = await _data.ActorAsync("staff2");
        var survivor = await ReportAsync("A303");
        var duplicate = await ReportAsync("A303");
        Assert.True((await Changes.ClaimAsync(duplicate.Id, wang)).IsOk);
        Assert.True((await _data.Get<TicketTeam>().AddHelperAsync(duplicate.Id, li.StaffId!.Value, wang)).IsOk);
        var before = (await _data.NotificationsForAsync("staff2")).Count;

        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);
        Assert.True((await Merges.UnmergeAsync(duplicate.Id, dispatcher)).IsOk);

        var alerts = (await _data.NotificationsForAsync("staff2")).Skip(before).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Contains(alerts, a => a.Kind == NotificationKind.Merged && a.Body!.Contains("which you help on"));
        Assert.Contains(alerts, a => a.Title.StartsWith("Yours again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unmerge_AfterTheLeadWasDeactivated_PutsTheJobBackInTheQueue_WaitingFromNow()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var admin = await _data.ActorAsync("admin");
        var wang = await _data.ActorAsync("staff1");
        var survivor = await ReportAsync("A303");
        var duplicate = await ReportAsync("A303");
        Assert.True((await Changes.ClaimAsync(duplicate.Id, wang)).IsOk);
        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);
        Assert.True((await _data.Get<StaffAdminService>().SetActiveAsync(wang.UserId, false, admin)).IsOk);
        _data.Time.Advance(TimeSpan.FromHours(3));

        Assert.True((await Merges.UnmergeAsync(duplicate.Id, dispatcher)).IsOk);

        var d = await TicketAsync(duplicate.Id);
        Assert.Equal(TicketStatus.New, d.Status);
        Assert.Null(d.ClaimedById);
        Assert.Equal(_data.Time.GetUtcNow(), d.QueuedAt);
        Assert.True(d.ResponseDueAt > _data.Time.GetUtcNow());
    }

    [Fact]
    public async Task Merge_Refusals_AreSentences_AndChangeNothing()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var a = await ReportAsync("A304");
        var b = await ReportAsync("A304");
        var c = await ReportAsync("A304");
        var cancelled = await ReportAsync("A304");
        Assert.True((await Changes.MoveAsync(cancelled.Id, TicketStatus.Cancelled, "Prank", dispatcher)).IsOk);

        var self = await Merges.MergeAsync(a.Id, a.Id, dispatcher);
        Assert.Equal(ResultKind.Invalid, self.Kind);
        Assert.Contains("into", self.Errors.Keys);

        var intoClosed = await Merges.MergeAsync(a.Id, cancelled.Id, dispatcher);
        Assert.Equal(ResultKind.Conflict, intoClosed.Kind);
        Assert.Equal($"#{cancelled.Id} is cancelled; merge into an open report.", intoClosed.Message);

        var closedOne = await Merges.MergeAsync(cancelled.Id, a.Id, dispatcher);
        Assert.Equal($"#{cancelled.Id} is cancelled; only an open report can be merged.", closedOne.Message);

        var staff = await Merges.MergeAsync(b.Id, a.Id, await _data.ActorAsync("staff1"));
        Assert.Equal(ResultKind.Forbidden, staff.Kind);

        Assert.True((await Merges.MergeAsync(b.Id, a.Id, dispatcher)).IsOk);
        var loop = await Merges.MergeAsync(a.Id, b.Id, dispatcher);
        Assert.Equal(ResultKind.Conflict, loop.Kind);
        Assert.Equal($"#{b.Id} is already merged into #{a.Id}; merging #{a.Id} into it would make a loop.", loop.Message);

        var intoMerged = await Merges.MergeAsync(c.Id, b.Id, dispatcher);
        Assert.Equal($"#{b.Id} is itself merged into #{a.Id}; merge into that ticket instead.", intoMerged.Message);

        var missing = await Merges.MergeAsync(c.Id, 999_999, dispatcher);
        Assert.Equal(ResultKind.NotFound, missing.Kind);

        Assert.Equal(1, (await TicketAsync(c.Id)).Version);
        Assert.Equal(2, (await TicketAsync(a.Id)).ReportCount);
        Assert.Equal(2, (await TicketAsync(a.Id)).Version);
    }

    // ---- unmerge

    [Fact]
    public async Task Unmerge_RestoresTheDuplicate_AndTheCount_RecordingItOnBoth()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await _data.ActorAsync("staff1");
        var survivor = await ReportAsync("B301");
        var duplicate = await ReportAsync("B301");
        Assert.True((await Changes.ClaimAsync(duplicate.Id, wang)).IsOk);
        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);

        var result = await Merges.UnmergeAsync(duplicate.Id, dispatcher);

        Assert.True(result.IsOk, result.Describe());
        var d = await TicketAsync(duplicate.Id);
        var s = await TicketAsync(survivor.Id);
        Assert.Equal(TicketStatus.Claimed, d.Status);
        Assert.Null(d.MergedIntoId);
        Assert.Null(d.StatusBeforeMerge);
        Assert.Null(d.ClosedAt);
        Assert.Equal(wang.StaffId, d.ClaimedById);
        Assert.Equal(1, s.ReportCount);
        Assert.Equal(4, d.Version);
        Assert.Equal(3, s.Version);
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Claimed, TicketEventKind.Merged, TicketEventKind.Unmerged],
            (await EventsAsync(duplicate.Id)).Select(e => e.Kind));
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Merged, TicketEventKind.Unmerged],
            (await EventsAsync(survivor.Id)).Select(e => e.Kind));

        var again = await Merges.UnmergeAsync(duplicate.Id, dispatcher);
        Assert.Equal($"#{duplicate.Id} is not merged into another report.", again.Message);
    }

    [Fact]
    public async Task Unmerge_OfAReportWhoseSurvivorWasMergedOnward_AsksToUndoThatFirst()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var top = await ReportAsync("B302");
        var middle = await ReportAsync("B302");
        var bottom = await ReportAsync("B302");
        Assert.True((await Merges.MergeAsync(bottom.Id, middle.Id, dispatcher)).IsOk);
        Assert.True((await Merges.MergeAsync(middle.Id, top.Id, dispatcher)).IsOk);
        Assert.Equal(3, (await TicketAsync(top.Id)).ReportCount);

        var refused = await Merges.UnmergeAsync(bottom.Id, dispatcher);

        Assert.Equal($"#{middle.Id} is itself merged into #{top.Id}; undo that merge first.", refused.Message);
        Assert.True((await Merges.UnmergeAsync(middle.Id, dispatcher)).IsOk);
        Assert.Equal(1, (await TicketAsync(top.Id)).ReportCount);
        Assert.Equal(2, (await TicketAsync(middle.Id)).ReportCount);
    }

    [Fact]
    public async Task Reporters_ListEveryoneRecursively_OwnMeTooAndMerged()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var top = await ReportAsync("B303", name: "Ms. Huang", contact: "ext. 204");
        var middle = await ReportAsync("B303", name: "Mr. Xu");
        _data.Time.Advance(TimeSpan.FromMinutes(1));
        var bottom = await ReportAsync("B303", name: "Tom");
        Assert.True((await MeToo.AddAsync(new MeTooRequest(bottom.Id, "B303", "Lighting", "Lily", "lily@school.example"), TicketChannel.Web, null)).IsOk);
        Assert.True((await Merges.MergeAsync(bottom.Id, middle.Id, dispatcher)).IsOk);
        Assert.True((await Merges.MergeAsync(middle.Id, top.Id, dispatcher)).IsOk);

        var reporters = await Merges.ReportersAsync(top.Id);

        Assert.Equal(["Ms. Huang", "Mr. Xu", "Tom", "Lily"], reporters.Reporters.Select(r => r.Name));
        Assert.Equal("ext. 204", reporters.Reporters[0].Contact);
        Assert.Equal(ReporterKind.MeToo, reporters.Reporters[3].Kind);
        Assert.Equal(bottom.Id, reporters.Reporters[3].TicketId);
        Assert.Equal([middle.Id], reporters.MergedHere);
        Assert.Equal(4, (await TicketAsync(top.Id)).ReportCount);
    }

    // ---- tracking

    [Fact]
    public async Task Track_AMergedCode_ShowsTheSurvivor_WithoutItsCode_AndFollowsItsOwnAgainAfterTheUndo()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await _data.ActorAsync("staff1");
        var survivor = await ReportAsync("A301");
        var duplicate = await ReportAsync("A301");
        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);
        Assert.True((await Changes.ClaimAsync(survivor.Id, wang)).IsOk);

        var tracked = await Queries.FollowAsync(duplicate.TrackingCode);

        Assert.NotNull(tracked);
        Assert.Equal(TicketStatus.Claimed, tracked.View.Status);
        Assert.Equal(duplicate.TrackingCode, tracked.View.TrackingCode);
        Assert.Equal("Your report was joined with another report of the same problem.", tracked.View.Joined);
        Assert.Equal(new HashSet<int> { duplicate.Id, survivor.Id }, tracked.Versions.Keys.ToHashSet());
        Assert.Contains(tracked.View.Timeline, s => s.Kind == TicketEventKind.Claimed);
        Assert.DoesNotContain(survivor.TrackingCode, System.Text.Json.JsonSerializer.Serialize(tracked.View));

        Assert.True((await Merges.UnmergeAsync(duplicate.Id, dispatcher)).IsOk);
        var own = await Queries.TrackAsync(duplicate.TrackingCode);
        Assert.Equal(TicketStatus.New, own!.Status);
        Assert.Null(own.Joined);
    }

    [Fact]
    public async Task ConfirmOrReopen_OnAMergedCode_IsRefused_TheSurvivorsReporterDecides()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var survivor = await ReportAsync("A302");
        var duplicate = await ReportAsync("A302");
        Assert.True((await Merges.MergeAsync(duplicate.Id, survivor.Id, dispatcher)).IsOk);

        var confirm = await Intake.ConfirmAsync(duplicate.TrackingCode, 5, null);
        var reopen = await Intake.ReopenAsync(duplicate.TrackingCode, "Still dark");

        Assert.Equal(ResultKind.Conflict, confirm.Kind);
        Assert.Contains("joined with another report", confirm.Message);
        Assert.Equal(ResultKind.Conflict, reopen.Kind);
    }

    // ---- me too

    [Fact]
    public async Task MeToo_AddsAReportWithItsOwnCode_CountsIt_AndRecordsIt()
    {
        var ticket = await ReportAsync("A303");
        var published = new List<TicketChanged>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(e =>
        {
            if (e is TicketChanged changed)
            {
                published.Add(changed);
            }
        });

        var result = await MeToo.AddAsync(new MeTooRequest(ticket.Id, "A303", "Lighting", "Lily", "lily@school.example"), TicketChannel.Web, null, "10.0.0.7");

        Assert.True(result.IsOk, result.Describe());
        Assert.NotEqual(ticket.TrackingCode, result.Value!.TrackingCode);
        var stored = await _data.QueryAsync(db => db.TicketReports.AsNoTracking().SingleAsync(r => r.TicketId == ticket.Id));
        Assert.Equal(result.Value.TrackingCode, stored.TrackingCode);
        Assert.Equal("lily@school.example", stored.ReporterEmail);
        Assert.NotNull(stored.ClientNetwork);
        var t = await TicketAsync(ticket.Id);
        Assert.Equal(2, t.ReportCount);
        Assert.Equal(2, t.Version);
        var meToo = (await EventsAsync(ticket.Id)).Last();
        Assert.Equal(TicketEventKind.MeToo, meToo.Kind);
        Assert.Equal("Also reported by Lily", meToo.Note);
        Assert.Equal(2, Assert.Single(published).Ticket.ReportCount);

        Assert.True(await Queries.TrackingCodeExistsAsync(result.Value.TrackingCode));
        var view = await Queries.TrackAsync(result.Value.TrackingCode);
        Assert.Equal(TicketStatus.New, view!.Status);
        Assert.Equal(result.Value.TrackingCode, view.TrackingCode);
        Assert.NotNull(view.Joined);
        Assert.Equal("", view.Description);
    }

    [Fact]
    public async Task MeToo_OnAClosedOrMismatchedReport_IsRefused()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var ticket = await ReportAsync("A304");

        var wrongArea = await MeToo.AddAsync(new MeTooRequest(ticket.Id, "A303", "Lighting", null, null), TicketChannel.Web, null);
        Assert.Equal(ResultKind.Conflict, wrongArea.Kind);
        Assert.True((await Changes.MoveAsync(ticket.Id, TicketStatus.Cancelled, "Fixed by itself", dispatcher)).IsOk);
        var closed = await MeToo.AddAsync(new MeTooRequest(ticket.Id, "A304", "Lighting", null, null), TicketChannel.Web, null);

        Assert.Equal(ResultKind.Conflict, closed.Kind);
        Assert.Contains("send yours as a new report", closed.Message);
        var invalid = await MeToo.AddAsync(new MeTooRequest(null, "nowhere", "Weather", null, null), TicketChannel.Web, null);
        Assert.Equal(["areaCode", "category", "ticketId"], invalid.Errors.Keys.Order());
        Assert.Equal(1, (await TicketAsync(ticket.Id)).ReportCount);
    }

    [Fact]
    public async Task Offer_SaysWhoIsOnIt_OrThatItWaits()
    {
        var wang = await _data.ActorAsync("staff1");
        var ticket = await ReportAsync("B304", "Plumbing");
        var area = await AreaIdAsync("B304");

        var waiting = await MeToo.OfferAsync(area, TicketCategory.Plumbing);
        Assert.Equal("waiting for a caretaker", waiting!.State);
        Assert.Equal(ticket.Id, waiting.TicketId);
        Assert.Equal("Room 304", waiting.AreaName);
        Assert.Null(await MeToo.OfferAsync(area, TicketCategory.Lighting));

        Assert.True((await Changes.ClaimAsync(ticket.Id, wang)).IsOk);
        Assert.Equal("being fixed by Wang Lei", (await MeToo.OfferAsync(area, TicketCategory.Plumbing))!.State);
    }
}

/// <summary>"Me too" spends the anonymous intake permits as a report does.</summary>
public sealed class MeTooLimitTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
    {
        ["Intake:PermitLimit"] = "2",
    });

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task MeToo_CountsAgainstTheAnonymousIntakeLimit_LikeAReport()
    {
        const string client = "203.0.113.9";
        var report = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("A301", "Lighting", "Dark", false, null, null), TicketChannel.Web, null, client);
        Assert.True(report.IsOk, report.Describe());
        var meToo = _data.Get<TicketMeToo>();
        var request = new MeTooRequest(report.Value!.Id, "A301", "Lighting", null, null);

        var first = await meToo.AddAsync(request, TicketChannel.Web, null, client);
        var second = await meToo.AddAsync(request, TicketChannel.Web, null, client);
        var staff = await meToo.AddAsync(request, TicketChannel.Web, await _data.ActorAsync("staff1"), client);

        Assert.True(first.IsOk);
        Assert.Equal(ResultKind.TooMany, second.Kind);
        Assert.True(staff.IsOk);
        Assert.Equal(3, await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == report.Value.Id).Select(t => t.ReportCount).SingleAsync()));
    }
}
