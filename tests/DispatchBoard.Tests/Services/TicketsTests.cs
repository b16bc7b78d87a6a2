using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class TicketsTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private static ReportTicket Report(string? description = "The lights won't turn on", string? area = "A204", string? category = "Lighting",
        string? name = null, string? contact = null, string? location = null, bool urgent = false) =>
        new(area, category, description, urgent, name, contact, location);

    private async Task<int> TicketCountAsync()
    {
        await using var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.CountAsync();
    }

    private async Task<int> ReportAsync(bool urgent = false)
    {
        var result = await Intake.ReportAsync(Report(urgent: urgent), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    [Fact]
    public async Task ReportAsync_StoresTicketAndFirstEvent_ThenPublishesVersionOne()
    {
        var published = new List<BoardEvent>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(published.Add);

        var result = await Intake.ReportAsync(Report(name: "Ms. Huang", urgent: true), TicketChannel.Qr, null);

        Assert.True(result.IsOk);
        var detail = await Queries.GetDetailAsync(result.Value!.Id);
        Assert.NotNull(detail);
        Assert.Equal(TicketStatus.New, detail.Ticket.Status);
        Assert.Equal(TicketPriority.Urgent, detail.Ticket.Priority);
        Assert.Equal(TicketChannel.Qr, detail.Ticket.Channel);
        Assert.Equal("Room 204", detail.Ticket.AreaName);
        Assert.Equal(_data.Time.GetUtcNow(), detail.Ticket.ReportedAt);
        var reported = Assert.Single(detail.Events);
        Assert.Equal(TicketEventKind.Reported, reported.Kind);
        Assert.Equal("Ms. Huang", reported.ActorName);
        var changed = Assert.Single(published.OfType<TicketChanged>());
        Assert.Equal(1, changed.Ticket.Version);
        Assert.Equal(result.Value.TrackingCode, changed.Ticket.TrackingCode);
    }

    [Theory]
    [InlineData(Ticket.DescriptionMaxLength, true)]
    [InlineData(Ticket.DescriptionMaxLength + 1, false)]
    public async Task ReportAsync_DescriptionLimitIs2000(int length, bool accepted)
    {
        var result = await Intake.ReportAsync(Report(description: new string('x', length)), TicketChannel.Web, null);

        Assert.Equal(accepted, result.IsOk);
        if (!accepted)
        {
            Assert.Contains("description", result.Errors.Keys);
        }
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public async Task ReportAsync_NameAndContactLimitIs100(int length, bool accepted)
    {
        var text = new string('n', length);

        var byName = await Intake.ReportAsync(Report(name: text), TicketChannel.Web, null);
        var byContact = await Intake.ReportAsync(Report(contact: text), TicketChannel.Web, null);

        Assert.Equal(accepted, byName.IsOk);
        Assert.Equal(accepted, byContact.IsOk);
        Assert.Equal(!accepted, byName.Errors.ContainsKey("reporterName"));
        Assert.Equal(!accepted, byContact.Errors.ContainsKey("reporterContact"));
    }

    [Fact]
    public async Task ReportAsync_EveryBadField_IsNamed_AndNothingIsStored()
    {
        var before = await TicketCountAsync();

        var result = await Intake.ReportAsync(
            Report(description: "   ", area: "NOPE", category: "Magic", name: new string('n', 101), contact: new string('c', 101),
                location: new string('l', Ticket.LocationDetailMaxLength + 1)),
            TicketChannel.Web, null);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Equal(["areaCode", "category", "description", "locationDetail", "reporterContact", "reporterName"], result.Errors.Keys.Order());
        Assert.Contains("NOPE", result.Errors["areaCode"][0]);
        Assert.Contains("Magic", result.Errors["category"][0]);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-2")]
    [InlineData("Lighting,Furniture")]
    public async Task ReportAsync_CategoryMustBeAName_NotANumber(string category)
    {
        var result = await Intake.ReportAsync(Report(category: category), TicketChannel.Api, null);

        Assert.True(result.Errors.ContainsKey("category"));
    }

    [Fact]
    public async Task ReportAsync_CategoryIsCaseInsensitive()
    {
        var result = await Intake.ReportAsync(Report(category: "doorswindows"), TicketChannel.Api, null);

        Assert.True(result.IsOk);
        Assert.Equal(TicketCategory.DoorsWindows, (await Queries.GetDetailAsync(result.Value!.Id))!.Ticket.Category);
    }

    [Fact]
    public async Task ClaimAsync_TwentyStaffAtOnce_ExactlyOneWins_OthersAreToldWho()
    {
        var id = await ReportAsync();
        var actors = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _data.ActorAsync($"staff{i % 4 + 1}")));

        var results = await Task.WhenAll(actors.Select(a => Task.Run(() => Changes.ClaimAsync(id, a))));

        var winner = Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r =>
        {
            Assert.Equal(ResultKind.Conflict, r.Kind);
            Assert.True(r.Message == $"Already claimed by {winner.Value!.ClaimedBy}." || r.Message == "You have already claimed this ticket.", r.Message);
        });
        var detail = await Queries.GetDetailAsync(id);
        Assert.Equal(2, detail!.Ticket.Version);
        Assert.Single(detail.Events, e => e.Kind == TicketEventKind.Claimed);
    }

    [Fact]
    public async Task ClaimAsync_OnAJobSomeoneHas_IsRefusedWithWhoHasIt_AndChangesNothing()
    {
        var id = await ReportAsync();
        var won = await Changes.ClaimAsync(id, await _data.ActorAsync("staff1"));
        Assert.True(won.IsOk, won.Describe());

        var rival = await Changes.ClaimAsync(id, await _data.ActorAsync("staff2"));
        var again = await Changes.ClaimAsync(id, await _data.ActorAsync("staff1"));
        var missing = await Changes.ClaimAsync(999_999, await _data.ActorAsync("staff2"));

        Assert.Equal(ResultKind.Conflict, rival.Kind);
        Assert.Equal($"Already claimed by {won.Value!.ClaimedBy}.", rival.Message);
        Assert.Equal(ResultKind.Conflict, again.Kind);
        Assert.Equal("You have already claimed this ticket.", again.Message);
        Assert.Equal(ResultKind.NotFound, missing.Kind);
        Assert.Equal("There is no ticket #999999.", missing.Message);
        var detail = await Queries.GetDetailAsync(id);
        Assert.Equal(2, detail!.Ticket.Version);
        Assert.Single(detail.Events, e => e.Kind == TicketEventKind.Claimed);
    }

    [Fact]
    public async Task FullLoop_ClaimOnSiteResolve_RecordsEveryStepWithTimes()
    {
        var id = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");

        _data.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await Changes.ClaimAsync(id, wang)).IsOk);
        _data.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await Changes.MoveAsync(id, TicketStatus.OnSite, null, wang)).IsOk);
        _data.Time.Advance(TimeSpan.FromMinutes(10));
        var resolved = await Changes.MoveAsync(id, TicketStatus.Resolved, "Replaced the bulb", wang);

        Assert.True(resolved.IsOk, resolved.Describe());
        var t = resolved.Value!;
        Assert.Equal(TicketStatus.Resolved, t.Status);
        Assert.Equal(4, t.Version);
        Assert.Equal(TimeSpan.FromMinutes(2), t.ClaimedAt - t.ReportedAt);
        Assert.Equal(TimeSpan.FromMinutes(7), t.OnSiteAt - t.ReportedAt);
        Assert.Equal(TimeSpan.FromMinutes(17), t.ResolvedAt - t.ReportedAt);
        Assert.Equal("Replaced the bulb", t.ResolutionNote);
        var events = (await Queries.GetDetailAsync(id))!.Events;
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Claimed, TicketEventKind.OnSite, TicketEventKind.Resolved], events.Select(e => e.Kind));
        Assert.Equal([1, 2, 3, 4], events.Select(e => e.Version));
        Assert.All(events.Skip(1), e => Assert.Equal("Wang Lei", e.ActorName));
    }

    [Fact]
    public async Task MoveAsync_ResolveWithoutNote_IsInvalid_AndChangesNothing()
    {
        var id = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(id, wang);
        await Changes.MoveAsync(id, TicketStatus.OnSite, null, wang);

        var result = await Changes.MoveAsync(id, TicketStatus.Resolved, "  ", wang);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.True(result.Errors.ContainsKey("note"));
        Assert.Equal(TicketStatus.OnSite, (await Queries.GetDetailAsync(id))!.Ticket.Status);
    }

    [Fact]
    public async Task MoveAsync_OtherStaffMemberActsOnMyTicket_IsForbidden_DispatcherMay()
    {
        var id = await ReportAsync();
        await Changes.ClaimAsync(id, await _data.ActorAsync("staff1"));

        var other = await Changes.MoveAsync(id, TicketStatus.OnSite, null, await _data.ActorAsync("staff2"));
        var dispatcher = await Changes.MoveAsync(id, TicketStatus.OnSite, null, await _data.ActorAsync("dispatcher"));

        Assert.Equal(ResultKind.Forbidden, other.Kind);
        Assert.Contains("Wang Lei", other.Message);
        Assert.True(dispatcher.IsOk);
    }

    [Fact]
    public async Task Release_PutsTheTicketBackInTheQueue_ClearingClaim()
    {
        var id = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(id, wang);
        await Changes.MoveAsync(id, TicketStatus.OnSite, null, wang);

        var released = await Changes.MoveAsync(id, TicketStatus.New, null, wang);

        Assert.True(released.IsOk);
        Assert.Equal(TicketStatus.New, released.Value!.Status);
        Assert.Null(released.Value.ClaimedById);
        Assert.Null(released.Value.ClaimedAt);
        Assert.Null(released.Value.OnSiteAt);
        Assert.Equal(TicketEventKind.Released, (await Queries.GetDetailAsync(id))!.Events[^1].Kind);
        Assert.True((await Changes.ClaimAsync(id, await _data.ActorAsync("staff2"))).IsOk);
    }

    [Fact]
    public async Task Claim_ByOffDutyStaff_PutsThemOnDuty()
    {
        var id = await ReportAsync();
        var liu = await _data.ActorAsync("staff4");
        var staff = _data.Get<DispatchBoard.Web.Staff.StaffService>();
        Assert.False((await staff.FindForUserAsync(liu.UserId))!.OnDuty);

        Assert.True((await Changes.ClaimAsync(id, liu)).IsOk);

        Assert.True((await staff.FindForUserAsync(liu.UserId))!.OnDuty);
    }

    [Fact]
    public async Task AssignAsync_DispatcherAssignsAndReassigns_StaffIsRefused()
    {
        var id = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var staffList = await _data.Get<DispatchBoard.Web.Staff.StaffService>().GetActiveAsync();
        var (li, zhang) = (staffList.Single(s => s.Name == "Li Na"), staffList.Single(s => s.Name == "Zhang Wei"));

        var first = await Changes.AssignAsync(id, li.Id, dispatcher);
        var second = await Changes.AssignAsync(id, zhang.Id, dispatcher);
        var byStaff = await Changes.AssignAsync(id, li.Id, await _data.ActorAsync("staff1"));
        var unknown = await Changes.AssignAsync(id, 9999, dispatcher);

        Assert.Equal("Li Na", first.Value!.ClaimedBy);
        Assert.Equal("Zhang Wei", second.Value!.ClaimedBy);
        Assert.Equal(TicketStatus.Claimed, second.Value.Status);
        Assert.Equal(ResultKind.Forbidden, byStaff.Kind);
        Assert.Equal(ResultKind.Invalid, unknown.Kind);
        var notes = (await Queries.GetDetailAsync(id))!.Events.Where(e => e.Kind == TicketEventKind.Assigned).Select(e => e.Note);
        Assert.Equal(["Assigned to Li Na", "Reassigned from Li Na to Zhang Wei"], notes);
    }

    [Fact]
    public async Task Cancel_NeedsAReason_AndADispatcher()
    {
        var id = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        Assert.Equal(ResultKind.Invalid, (await Changes.MoveAsync(id, TicketStatus.Cancelled, null, dispatcher)).Kind);
        Assert.Equal(ResultKind.Forbidden, (await Changes.MoveAsync(id, TicketStatus.Cancelled, "dup", await _data.ActorAsync("staff1"))).Kind);
        var cancelled = await Changes.MoveAsync(id, TicketStatus.Cancelled, "Duplicate of an earlier report", dispatcher);

        Assert.True(cancelled.IsOk);
        var track = await Queries.TrackAsync(cancelled.Value!.TrackingCode);
        Assert.Equal("Duplicate of an earlier report", track!.Timeline[^1].Note);
    }

    [Fact]
    public async Task BoardAsync_ShowsOpenTickets_AndOnlyThoseResolvedSinceTheSchoolsMidnight()
    {
        // 23:30 at the school (Asia/Shanghai, UTC+8) on Tuesday.
        _data.Time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 15, 30, 0, TimeSpan.Zero));
        var wang = await _data.ActorAsync("staff1");
        var yesterdays = await ReportAsync();
        await Changes.ClaimAsync(yesterdays, wang);
        await Changes.MoveAsync(yesterdays, TicketStatus.OnSite, null, wang);
        await Changes.MoveAsync(yesterdays, TicketStatus.Resolved, "done", wang);
        var open = await ReportAsync();

        _data.Time.Advance(TimeSpan.FromMinutes(45)); // 00:15 Wednesday at the school
        var todays = await ReportAsync();
        await Changes.ClaimAsync(todays, wang);
        await Changes.MoveAsync(todays, TicketStatus.OnSite, null, wang);
        await Changes.MoveAsync(todays, TicketStatus.Resolved, "done", wang);

        var board = (await Queries.BoardAsync()).Tickets.Select(t => t.Id).ToHashSet();

        Assert.Contains(open, board);
        Assert.Contains(todays, board);
        Assert.DoesNotContain(yesterdays, board);
    }

    [Fact]
    public async Task BoardAsync_ReportsTheVersionsOfTicketsThatJustLeftTheBoard_SoALateOlderEventCannotBringThemBack()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var cancelled = await ReportAsync();
        await Changes.MoveAsync(cancelled, TicketStatus.Cancelled, "Duplicate of another report", dispatcher);
        var fixedToday = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(fixedToday, wang);
        await Changes.MoveAsync(fixedToday, TicketStatus.OnSite, null, wang);
        await Changes.MoveAsync(fixedToday, TicketStatus.Resolved, "done", wang);

        _data.Time.Advance(TicketQueries.LeftRecently - TimeSpan.FromMinutes(1));
        var snapshot = await Queries.BoardAsync();

        var version = (await Queries.GetDetailAsync(cancelled))!.Ticket.Version;
        Assert.Equal(version, snapshot.LeftVersions[cancelled]);
        Assert.DoesNotContain(cancelled, snapshot.Tickets.Select(t => t.Id));
        // Resolved today: still on the board, so not among those that left.
        Assert.Contains(fixedToday, snapshot.Tickets.Select(t => t.Id));
        Assert.False(snapshot.LeftVersions.ContainsKey(fixedToday));

        // Long enough after: any event about it has arrived; it is forgotten.
        _data.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await Queries.BoardAsync()).LeftVersions.ContainsKey(cancelled));
    }

    [Fact]
    public async Task TrackAsync_ShowsStepsButNoNamesOrContacts()
    {
        var reported = await Intake.ReportAsync(Report(name: "Ms. Huang", contact: "ext. 204"), TicketChannel.Web, null);
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(reported.Value!.Id, wang);

        var view = await Queries.TrackAsync(reported.Value.TrackingCode.ToLowerInvariant());

        Assert.NotNull(view);
        Assert.Equal(TicketStatus.Claimed, view.Status);
        Assert.Equal(["Report received", "A caretaker took the job"], view.Timeline.Select(s => s.Label));
        var json = System.Text.Json.JsonSerializer.Serialize(view);
        Assert.DoesNotContain("Huang", json);
        Assert.DoesNotContain("ext. 204", json);
        Assert.DoesNotContain("Wang", json);
        Assert.Null(await Queries.TrackAsync("0000000000"));
    }
}
