using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class InspectionTests : IAsyncLifetime
{
    private const string Schedule = "30 7 * * MON";

    // Monday 23 Nov 2026, 09:00 at the school (Asia/Shanghai): after this week's 07:30 round time.
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private TestData _data = default!;
    private InspectionService Inspections => _data.Get<InspectionService>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(now: MondayMorning);

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task CreateWeek_OneRoundPerGroup_AssignedToTheOwner_WithChecklistsFromRoomKinds_Once()
    {
        var created = await Task.WhenAll(Inspections.CreateWeekAsync(Schedule), Inspections.CreateWeekAsync(Schedule));
        await Inspections.CreateWeekAsync(Schedule);

        var week = await Inspections.WeekAsync();
        Assert.Equal(13, created.Sum());
        Assert.Equal(13, week.Count);
        var floor2 = week.Single(r => r.AreaName == "Floor 2" && r.AreaPath.StartsWith("Teaching Building A", StringComparison.Ordinal));
        Assert.Equal("Wang Lei", floor2.AssignedTo);
        Assert.Equal(new DateOnly(2026, 11, 23), floor2.WeekOf);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), floor2.DueAt); // midnight at the school
        var detail = (await Inspections.GetAsync(floor2.Id))!;
        // 4 classrooms × 6 checks, toilets × 4, stairwell × 4
        Assert.Equal(32, detail.Items.Count);
        Assert.Contains(detail.Items, i => i.AreaName == "Toilets, floor 2" && i.Text == "Taps and pipes (no leaks)");
        Assert.Equal("Liu Yang", week.Single(r => r.AreaName == "Playground").AssignedTo);
    }

    [Fact]
    public async Task CreateWeek_BeforeMondaysTime_DoesNothing()
    {
        await using var early = await TestData.CreateAsync(now: MondayMorning.AddHours(-2)); // 07:00 at the school

        Assert.Equal(0, await early.Get<InspectionService>().CreateWeekAsync(Schedule));
        Assert.Empty(await early.Get<InspectionService>().WeekAsync());
    }

    [Fact]
    public async Task Hazard_BecomesATicketInOneStep_FixedOnTheSpot_BecomesAResolvedOne_AndTheRoundCompletes()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var round = (await Inspections.WeekAsync()).Single(r => r.AreaName == "Playground");
        var items = (await Inspections.GetAsync(round.Id))!.Items;
        var liu = await _data.ActorAsync("staff4");
        var published = new List<TicketDto>();
        using var listening = _data.Get<DispatchNotifier>().Subscribe(e =>
        {
            if (e is TicketChanged changed)
            {
                lock (published)
                {
                    published.Add(changed.Ticket);
                }
            }
        });

        var hazard = await Inspections.RecordAsync(items[0].Id, new CheckRecord(InspectionResult.Hazard, null, "Swing chain worn through", Urgent: true), liu);
        var fixedHere = await Inspections.RecordAsync(items[1].Id,
            new CheckRecord(InspectionResult.Hazard, null, "Loose paving slab", FixedOnTheSpot: true, FixNote: "Re-bedded it"), liu);
        var ok = await Inspections.RecordAsync(items[2].Id, new CheckRecord(InspectionResult.Ok, "Gates lock"), liu);

        Assert.True(hazard.IsOk && fixedHere.IsOk && ok.IsOk);
        var queries = _data.Get<TicketQueries>();
        var open = (await queries.GetDetailAsync(hazard.Value!.TicketId!.Value))!.Ticket;
        Assert.Equal((TicketStatus.New, TicketChannel.Inspection, TicketPriority.Urgent, TicketCategory.SafetyHazard), (open.Status, open.Channel, open.Priority, open.Category));
        Assert.Equal("Playground equipment: Swing chain worn through", open.Description);
        var done = (await queries.GetDetailAsync(fixedHere.Value!.TicketId!.Value))!;
        Assert.Equal(TicketStatus.Resolved, done.Ticket.Status);
        Assert.Equal("Liu Yang", done.Ticket.ClaimedBy);
        Assert.Contains("Re-bedded it", done.Ticket.ResolutionNote);
        // Born resolved, in the same commit as its checklist line: one event on the board, already resolved.
        Assert.Equal([TicketEventKind.Reported, TicketEventKind.Resolved], done.Events.Select(e => e.Kind));
        Assert.Equal(TicketStatus.Resolved, Assert.Single(published, t => t.Id == done.Ticket.Id).Status);
        var summary = (await Inspections.GetAsync(round.Id))!.Round;
        Assert.Equal((3, 3, 2), (summary.Total, summary.Done, summary.Hazards));
        Assert.NotNull(summary.CompletedAt);
        Assert.Equal(ResultKind.Conflict, (await Inspections.RecordAsync(items[0].Id, new CheckRecord(InspectionResult.Ok, null), liu)).Kind);
    }

    [Fact]
    public async Task ACompletedRound_KeepsItsRecord_ALineCannotBeRecordedAgain()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var round = (await Inspections.WeekAsync()).Single(r => r.AreaName == "Playground");
        var items = (await Inspections.GetAsync(round.Id))!.Items;
        var liu = await _data.ActorAsync("staff4");
        foreach (var item in items)
        {
            Assert.True((await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Ok, "Fine"), liu)).IsOk);
        }
        Assert.NotNull((await Inspections.GetAsync(round.Id))!.Round.CompletedAt);

        var later = await Inspections.RecordAsync(items[0].Id, new CheckRecord(InspectionResult.NotApplicable, "changed my mind"), await _data.ActorAsync("staff1"));

        Assert.Equal(ResultKind.Conflict, later.Kind);
        Assert.StartsWith("This round was completed on", later.Message);
        var line = (await Inspections.GetAsync(round.Id))!.Items[0];
        Assert.Equal((InspectionResult.Ok, "Fine"), (line.Result, line.Note));
    }

    [Fact]
    public async Task Record_BadInput_NamesTheField_AndStoresNothing()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var item = (await Inspections.GetAsync((await Inspections.WeekAsync())[0].Id))!.Items[0];
        var wang = await _data.ActorAsync("staff1");
        var tickets = await _data.QueryAsync(db => db.Tickets.CountAsync());

        var noHazardText = await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Hazard, null, " "), wang);
        var noFixNote = await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Hazard, null, "Wire exposed", FixedOnTheSpot: true), wang);
        var pending = await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Pending, null), wang);
        var longNote = await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Ok, new string('n', InspectionItem.NoteMaxLength + 1)), wang);
        var principal = await Inspections.RecordAsync(item.Id, new CheckRecord(InspectionResult.Ok, null), await _data.ActorAsync("principal"));

        Assert.True(noHazardText.Errors.ContainsKey("hazard"));
        Assert.True(noFixNote.Errors.ContainsKey("fixNote"));
        Assert.True(pending.Errors.ContainsKey("result"));
        Assert.True(longNote.Errors.ContainsKey("note"));
        Assert.Equal(ResultKind.Forbidden, principal.Kind);
        Assert.Equal(tickets, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(InspectionResult.Pending, (await Inspections.GetAsync((await Inspections.WeekAsync())[0].Id))!.Items[0].Result);
    }

    [Fact]
    public async Task Hazard_RecordedOnTheSameLineByTwoPeopleAtOnce_MakesOneTicket_TheOtherIsTold()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var round = (await Inspections.WeekAsync()).Single(r => r.AreaName == "Playground");
        var line = (await Inspections.GetAsync(round.Id))!.Items[0];
        var tickets = await _data.QueryAsync(db => db.Tickets.CountAsync());
        var (liu, wang) = (await _data.ActorAsync("staff4"), await _data.ActorAsync("staff1"));

        var both = await Task.WhenAll(
            Task.Run(() => Inspections.RecordAsync(line.Id, new CheckRecord(InspectionResult.Hazard, null, "Swing chain worn through"), liu)),
            Task.Run(() => Inspections.RecordAsync(line.Id, new CheckRecord(InspectionResult.Hazard, null, "Chain on the swing is worn"), wang)));

        var won = Assert.Single(both, r => r.IsOk);
        Assert.Equal("This line already became a ticket; follow it up there.", Assert.Single(both, r => !r.IsOk).Message);
        Assert.Equal(tickets + 1, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        var stored = (await Inspections.GetAsync(round.Id))!.Items[0];
        Assert.Equal((won.Value!.TicketId, InspectionResult.Hazard), (stored.TicketId, stored.Result));
    }

    [Fact]
    public async Task Hazard_WhoseTicketIsRefused_LeavesTheLineUnchecked_AndNoTicket()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var round = (await Inspections.WeekAsync()).Single(r => r.AreaName == "Playground");
        var line = (await Inspections.GetAsync(round.Id))!.Items[0];
        var tickets = await _data.QueryAsync(db => db.Tickets.CountAsync());
        // The line's text and the hazard together are longer than a ticket's description may be.
        var hazard = new string('h', Ticket.DescriptionMaxLength - 1);

        var refused = await Inspections.RecordAsync(line.Id, new CheckRecord(InspectionResult.Hazard, null, hazard), await _data.ActorAsync("staff4"));

        Assert.Equal(ResultKind.Invalid, refused.Kind);
        Assert.True(refused.Errors.ContainsKey("description"));
        Assert.Equal(tickets, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        var stored = (await Inspections.GetAsync(round.Id))!.Items[0];
        Assert.Equal((InspectionResult.Pending, (int?)null), (stored.Result, stored.TicketId));
    }

    [Fact]
    public async Task FixedOnTheSpot_BySomeoneWhoTakesNoJobs_IsRefusedByName_AndNothingIsStored()
    {
        await Inspections.CreateWeekAsync(Schedule);
        var round = (await Inspections.WeekAsync()).Single(r => r.AreaName == "Playground");
        var line = (await Inspections.GetAsync(round.Id))!.Items[0];
        var tickets = await _data.QueryAsync(db => db.Tickets.CountAsync());

        var refused = await Inspections.RecordAsync(line.Id,
            new CheckRecord(InspectionResult.Hazard, null, "Loose slab", FixedOnTheSpot: true, FixNote: "Re-bedded it"), await _data.ActorAsync("dispatcher"));

        Assert.Equal(ResultKind.Invalid, refused.Kind);
        Assert.Contains("staff member who takes jobs", Assert.Single(refused.Errors["fixedOnTheSpot"]));
        Assert.Equal(tickets, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(InspectionResult.Pending, (await Inspections.GetAsync(round.Id))!.Items[0].Result);
    }

    [Fact]
    public async Task Overdue_RoundsNotFinishedByTheEndOfTheDay_AreListed()
    {
        await Inspections.CreateWeekAsync(Schedule);
        Assert.Empty(await Inspections.OverdueAsync());

        _data.Time.Advance(TimeSpan.FromHours(16)); // Tuesday 01:00 at the school

        Assert.Equal(13, (await Inspections.OverdueAsync()).Count);
    }
}
