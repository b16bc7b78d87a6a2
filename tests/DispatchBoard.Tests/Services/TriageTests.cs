using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Issue 12, triage: the dispatcher corrects an open report; staff write internal notes; the board's bulk actions.
/// Demo school: Teaching Building A is Wang Lei's (staff1), B is Li Na's (staff2); staff1–3 on duty.
/// </summary>
public sealed class TriageTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();
    private TicketTriage Triage => _data.Get<TicketTriage>();
    private TicketNotes Notes => _data.Get<TicketNotes>();
    private TicketBulk Bulk => _data.Get<TicketBulk>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<TicketDto> ReportAsync(string area = "A204", string category = "Lighting", string? location = "back row")
    {
        var result = await Intake.ReportAsync(new ReportTicket(area, category, "The lights won't turn on", false, "Ms. Huang", null, location),
            TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return (await Queries.GetDetailAsync(result.Value!.Id))!.Ticket;
    }

    private async Task<TicketDetail> DetailAsync(int id) => (await Queries.GetDetailAsync(id))!;

    // ---- Triage ----

    [Fact]
    public async Task Correct_EveryField_IsRecordedOldToNew_InOneEditedStep_WithVersionAndActor()
    {
        var ticket = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        var result = await Triage.CorrectAsync(ticket.Id,
            new CorrectTicket("Urgent", "Furniture", "B203", "The desk in the back row is broken", ""), dispatcher);

        Assert.True(result.IsOk, result.Describe());
        var corrected = result.Value!;
        Assert.Equal((TicketPriority.Urgent, TicketCategory.Furniture, "B203", "The desk in the back row is broken", (string?)null),
            (corrected.Priority, corrected.Category, corrected.AreaCode, corrected.Description, corrected.LocationDetail));
        Assert.Equal(ticket.Version + 1, corrected.Version);
        Assert.Equal(TicketStatus.New, corrected.Status);
        var edited = Assert.Single((await DetailAsync(ticket.Id)).Events, e => e.Kind == TicketEventKind.Edited);
        Assert.Equal(corrected.Version, edited.Version);
        Assert.Equal("Zhou Min", edited.ActorName);
        Assert.Equal(TicketStatus.New, edited.ToStatus);
        Assert.Contains("Priority: Normal → Urgent", edited.Note);
        Assert.Contains("Category: Lighting & electrical → Furniture", edited.Note);
        Assert.Contains("Area: Room 204 → Room 203", edited.Note);
        Assert.Contains("Description: “The lights won't turn on” → “The desk in the back row is broken”", edited.Note);
        Assert.Contains("Location: “back row” → cleared", edited.Note);
    }

    [Fact]
    public async Task Correct_Area_OfAWaitingTicket_ReroutesIt_AndAlertsTheNewOwnerExactlyOnce()
    {
        var ticket = await ReportAsync("A204");
        Assert.Equal("Wang Lei", ticket.RoutedTo);
        var dispatcher = await _data.ActorAsync("dispatcher");

        var moved = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(AreaCode: "B203"), dispatcher);
        var again = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Description: "Two lights out at the back"), dispatcher);

        Assert.True(moved.IsOk, moved.Describe());
        Assert.True(again.IsOk, again.Describe());
        Assert.Equal("Li Na", again.Value!.RoutedTo);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff2"));
        Assert.Equal(NotificationKind.Routed, alert.Kind);
        Assert.Equal(ticket.Id, alert.TicketId);
        Assert.Contains("Room 203", alert.Title);
        Assert.Single(await _data.NotificationsForAsync("staff1")); // the first routing only
        var edited = (await DetailAsync(ticket.Id)).Events.First(e => e.Kind == TicketEventKind.Edited);
        Assert.Contains("Routing: Routed to Li Na (responsible for this area)", edited.Note);
    }

    [Fact]
    public async Task Correct_Area_BackToAnOwnerRoutedBefore_AlertsThemAgain_OncePerCorrection()
    {
        var ticket = await ReportAsync("A204");
        var dispatcher = await _data.ActorAsync("dispatcher");

        await Triage.CorrectAsync(ticket.Id, new CorrectTicket(AreaCode: "B203"), dispatcher);
        var back = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(AreaCode: "A203"), dispatcher);

        Assert.Equal("Wang Lei", back.Value!.RoutedTo);
        Assert.Equal(2, (await _data.NotificationsForAsync("staff1")).Count(n => n.Kind == NotificationKind.Routed));
        Assert.Single(await _data.NotificationsForAsync("staff2"));
    }

    [Fact]
    public async Task Correct_Area_OfAClaimedJob_TheLeadKeepsIt_AndIsToldOfTheCorrection()
    {
        var ticket = await ReportAsync("A204");
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(ticket.Id, wang);
        var before = (await _data.NotificationsForAsync("staff2")).Count;

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(AreaCode: "B203"), await _data.ActorAsync("dispatcher"));

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(TicketStatus.Claimed, result.Value!.Status);
        Assert.Equal("Wang Lei", result.Value.ClaimedBy);
        var told = Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Corrected);
        Assert.Contains("Room 203", told.Title);
        Assert.Contains("Area: Room 204 → Room 203", told.Body);
        Assert.Equal(before, (await _data.NotificationsForAsync("staff2")).Count);
    }

    [Fact]
    public async Task Correct_Priority_MovesTheResponseTarget()
    {
        var ticket = await ReportAsync();
        var clock = await _data.Get<ResponseClocks>().NowAsync();

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Priority: "urgent"), await _data.ActorAsync("dispatcher"));

        Assert.Equal(clock.DueAt(TicketPriority.Urgent, TicketCategory.Lighting, ticket.QueuedAt, null), result.Value!.ResponseDueAt);
        Assert.True(result.Value.ResponseDueAt < ticket.ResponseDueAt);
        Assert.Equal(ticket.QueuedAt, result.Value.QueuedAt);
    }

    [Fact]
    public async Task Correct_Category_ToAHazard_MovesTheResponseTargetToWallTime()
    {
        var ticket = await ReportAsync();
        var clock = await _data.Get<ResponseClocks>().NowAsync();

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Category: "SafetyHazard"), await _data.ActorAsync("dispatcher"));

        Assert.Equal(clock.DueAt(TicketPriority.Normal, TicketCategory.SafetyHazard, ticket.QueuedAt, null), result.Value!.ResponseDueAt);
    }

    [Theory]
    [InlineData("staff1")]
    [InlineData("principal")]
    public async Task Correct_ByAnyoneButADispatcher_IsForbidden_AndNothingChanges(string who)
    {
        var ticket = await ReportAsync();

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Priority: "Urgent"), await _data.ActorAsync(who));

        Assert.Equal(ResultKind.Forbidden, result.Kind);
        Assert.Contains("dispatcher", result.Message);
        Assert.Equal(ticket.Version, (await DetailAsync(ticket.Id)).Ticket.Version);
    }

    [Fact]
    public async Task Correct_AnAdmin_MayCorrect()
    {
        var ticket = await ReportAsync();

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Priority: "Low"), await _data.ActorAsync("admin"));

        Assert.True(result.IsOk, result.Describe());
    }

    [Fact]
    public async Task Correct_AClosedTicket_IsRefused_SayingWhy()
    {
        var ticket = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        await Changes.MoveAsync(ticket.Id, TicketStatus.Cancelled, "Reported twice", dispatcher);

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Priority: "Urgent"), dispatcher);

        Assert.Equal(ResultKind.Conflict, result.Kind);
        Assert.Contains("only open tickets can be corrected", result.Message);
        Assert.Equal(TicketPriority.Normal, (await DetailAsync(ticket.Id)).Ticket.Priority);
    }

    [Fact]
    public async Task Correct_EveryBadValue_IsNamed_AndNothingIsStored()
    {
        var ticket = await ReportAsync();
        var published = new List<BoardEvent>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(published.Add);

        var result = await Triage.CorrectAsync(ticket.Id,
            new CorrectTicket("Huge", "Magic", "NOPE", "   ", new string('l', Ticket.LocationDetailMaxLength + 1)), await _data.ActorAsync("dispatcher"));

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Equal(["areaCode", "category", "description", "locationDetail", "priority"], result.Errors.Keys.Order());
        Assert.Contains("Huge", result.Errors["priority"][0]);
        Assert.Contains("Magic", result.Errors["category"][0]);
        Assert.Contains("NOPE", result.Errors["areaCode"][0]);
        var after = await DetailAsync(ticket.Id);
        Assert.Equal(ticket.Version, after.Ticket.Version);
        Assert.DoesNotContain(after.Events, e => e.Kind == TicketEventKind.Edited);
        Assert.Empty(published);
    }

    [Fact]
    public async Task Correct_ToARetiredArea_NamesIt()
    {
        var ticket = await ReportAsync();
        var admin = await _data.ActorAsync("admin");
        var a101 = (await _data.Get<AreaDirectory>().GetAsync()).ByCode["A101"];
        Assert.True((await _data.Get<AreaService>().SetRetiredAsync(a101.Id, true, admin)).IsOk);

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(AreaCode: "A101"), await _data.ActorAsync("dispatcher"));

        Assert.Equal("Room 101 no longer takes reports; choose the area it was replaced by.", Assert.Single(result.Errors["areaCode"]));
    }

    [Fact]
    public async Task Correct_Description_OverTheLimit_IsNamed()
    {
        var ticket = await ReportAsync();

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Description: new string('x', Ticket.DescriptionMaxLength + 1)),
            await _data.ActorAsync("dispatcher"));

        Assert.Contains("limit is 2,000", Assert.Single(result.Errors["description"]));
    }

    [Fact]
    public async Task Correct_NothingGiven_OrNothingDifferent_IsAClear400_AndNothingIsStored()
    {
        var ticket = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        var empty = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(), dispatcher);
        var same = await Triage.CorrectAsync(ticket.Id, new CorrectTicket("Normal", "Lighting", "A204", "The lights won't turn on", "back row"), dispatcher);

        Assert.Equal(ResultKind.Invalid, empty.Kind);
        Assert.Contains("Nothing to change", empty.Describe());
        Assert.Equal(ResultKind.Invalid, same.Kind);
        Assert.Contains("nothing to change", same.Describe());
        Assert.Equal(ticket.Version, (await DetailAsync(ticket.Id)).Ticket.Version);
    }

    [Fact]
    public async Task Correct_IsPublishedLive_AndTheTrackingPageShowsTheNewAreaAndCategory_ButNoInternalText()
    {
        var ticket = await ReportAsync();
        var published = new List<TicketChanged>();
        using var _ = _data.Get<DispatchNotifier>().Subscribe(e =>
        {
            if (e is TicketChanged changed)
            {
                published.Add(changed);
            }
        });

        await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Category: "Furniture", AreaCode: "B203"), await _data.ActorAsync("dispatcher"));

        var live = Assert.Single(published);
        Assert.Equal(("Room 203", TicketCategory.Furniture), (live.Ticket.AreaName, live.Ticket.Category));
        var view = (await Queries.TrackAsync(ticket.TrackingCode))!;
        Assert.EndsWith("Room 203", view.AreaName);
        Assert.Equal(TicketCategory.Furniture, view.Category);
        var step = Assert.Single(view.Timeline, s => s.Kind == TicketEventKind.Edited);
        Assert.Equal("The office corrected the details", step.Label);
        Assert.Null(step.Note);
    }

    [Fact]
    public async Task Correct_ToUrgent_ClearsALessonPlan_SinceUrgentJobsDoNotWait()
    {
        var ticket = await ReportAsync("A204");
        var dispatcher = await _data.ActorAsync("dispatcher");
        var planned = await _data.Get<TicketPlans>().PlanAsync(ticket.Id, new PlanTicket(PlanSlot.At, _data.Time.GetUtcNow().AddHours(2)), dispatcher);
        Assert.True(planned.IsOk, planned.Describe());

        var result = await Triage.CorrectAsync(ticket.Id, new CorrectTicket(Priority: "Urgent"), dispatcher);

        Assert.Null(result.Value!.PlannedFor);
        Assert.Contains("Plan: cleared", (await DetailAsync(ticket.Id)).Events.Last().Note);
    }

    // ---- Notes ----

    [Fact]
    public async Task Note_KeepsTheStatus_IsStaffOnly_AndTheLeadIsAlertedOnce()
    {
        var ticket = await ReportAsync();
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(ticket.Id, wang);
        var alertsBefore = (await _data.NotificationsForAsync("staff1")).Count;

        var result = await Notes.AddAsync(ticket.Id, "The ballast smells burnt: bring a new one", await _data.ActorAsync("staff2"));
        var own = await Notes.AddAsync(ticket.Id, "Ballast ordered", wang);

        Assert.True(result.IsOk, result.Describe());
        Assert.True(own.IsOk, own.Describe());
        Assert.Equal(TicketStatus.Claimed, own.Value!.Status);
        Assert.Equal("Wang Lei", own.Value.ClaimedBy);
        var notes = (await DetailAsync(ticket.Id)).Events.Where(e => e.Kind == TicketEventKind.Note).ToList();
        Assert.Equal(["Li Na", "Wang Lei"], notes.Select(n => n.ActorName));
        Assert.All(notes, n => Assert.Equal((TicketStatus?)TicketStatus.Claimed, n.FromStatus));
        var alerts = (await _data.NotificationsForAsync("staff1")).Skip(alertsBefore).ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal(NotificationKind.Note, alert.Kind);
        Assert.Contains("The ballast smells burnt", alert.Body);
        var view = (await Queries.TrackAsync(ticket.TrackingCode))!;
        Assert.DoesNotContain(view.Timeline, s => s.Kind == TicketEventKind.Note);
        Assert.DoesNotContain(view.Timeline, s => s.Note?.Contains("ballast", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task Note_ByTheDispatcher_OnAWaitingTicket_IsFine()
    {
        var ticket = await ReportAsync();

        var result = await Notes.AddAsync(ticket.Id, "The caller will be in room 203 until noon", await _data.ActorAsync("dispatcher"));

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(TicketStatus.New, result.Value!.Status);
    }

    [Fact]
    public async Task Note_ByThePrincipal_IsForbidden_AndAnEmptyOrLongNoteIsNamed()
    {
        var ticket = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        var principal = await Notes.AddAsync(ticket.Id, "Hello", await _data.ActorAsync("principal"));
        var empty = await Notes.AddAsync(ticket.Id, "  ", dispatcher);
        var tooLong = await Notes.AddAsync(ticket.Id, new string('n', Ticket.NoteMaxLength + 1), dispatcher);

        Assert.Equal(ResultKind.Forbidden, principal.Kind);
        Assert.Equal("Note is required.", Assert.Single(empty.Errors["note"]));
        Assert.Contains("limit is 2,000", Assert.Single(tooLong.Errors["note"]));
        Assert.Equal(ticket.Version, (await DetailAsync(ticket.Id)).Ticket.Version);
    }

    [Fact]
    public async Task Note_Photos_AreLinkedToTheNote_AndNeverShownToTheReporter()
    {
        var ticket = await ReportAsync();

        var result = await Notes.AddAsync(ticket.Id, "What the socket looks like", await _data.ActorAsync("staff3"),
            [new PhotoUpload("socket.png", TestImages.Png(40, 30))]);

        Assert.True(result.IsOk, result.Describe());
        var detail = await DetailAsync(ticket.Id);
        var photo = Assert.Single(detail.Photos);
        Assert.Equal(PhotoKind.Note, photo.Kind);
        Assert.Equal(detail.Events.Single(e => e.Kind == TicketEventKind.Note).Version, photo.EventVersion);
        var stored = await _data.QueryAsync(db => db.Photos.SingleAsync(p => p.Id == photo.Id));
        Assert.NotNull(stored.TicketEventId);
        Assert.Empty((await Queries.TrackAsync(ticket.TrackingCode))!.Photos);
    }

    [Fact]
    public async Task Note_WithAPhotoThatIsNotAPicture_IsRefused_AndNothingIsStored()
    {
        var ticket = await ReportAsync();

        var result = await Notes.AddAsync(ticket.Id, "See the photo", await _data.ActorAsync("staff3"),
            [new PhotoUpload("fake.jpg", TestImages.NotAnImage())]);

        Assert.Contains("'fake.jpg'", Assert.Single(result.Errors["photos"]));
        var detail = await DetailAsync(ticket.Id);
        Assert.Equal(ticket.Version, detail.Ticket.Version);
        Assert.Empty(detail.Photos);
    }

    // ---- Bulk ----

    [Fact]
    public async Task Bulk_Assign_EachTicketOnItsOwn_ARefusalUndoesNothingElse()
    {
        var first = await ReportAsync("A201");
        var second = await ReportAsync("A202");
        var escalated = await ReportAsync("B201");
        var li = await _data.ActorAsync("staff2");
        await Changes.ClaimAsync(escalated.Id, li);
        var escalation = await _data.Get<EscalationService>().EscalateAsync(escalated.Id, "Purchase", "Needs a new frame", li);
        Assert.True(escalation.IsOk, escalation.Describe());
        var zhang = await _data.QueryAsync(db => db.Staff.SingleAsync(s => s.DisplayName == "Zhang Wei"));

        var result = await Bulk.ApplyAsync(new BulkChange([first.Id, escalated.Id, second.Id], "assign", StaffId: zhang.Id),
            await _data.ActorAsync("dispatcher"));

        Assert.True(result.IsOk, result.Describe());
        var outcome = result.Value!;
        Assert.Equal([first.Id, escalated.Id, second.Id], outcome.Items.Select(i => i.Id));
        Assert.Equal([true, false, true], outcome.Items.Select(i => i.Ok));
        Assert.Contains("principal", outcome.Items[1].Refusal);
        Assert.StartsWith($"2 assigned; #{escalated.Id} refused: ", outcome.Summary());
        Assert.Equal("Zhang Wei", (await DetailAsync(first.Id)).Ticket.ClaimedBy);
        Assert.Equal("Zhang Wei", (await DetailAsync(second.Id)).Ticket.ClaimedBy);
        Assert.Equal(TicketStatus.Escalated, (await DetailAsync(escalated.Id)).Ticket.Status);
    }

    [Fact]
    public async Task Bulk_Priority_GoesThroughTriage_AndCancel_RecordsTheOneNoteOnEach()
    {
        var first = await ReportAsync("A201");
        var second = await ReportAsync("A202");
        var dispatcher = await _data.ActorAsync("dispatcher");

        var urgent = await Bulk.ApplyAsync(new BulkChange([first.Id, second.Id], "Priority", Priority: "Urgent"), dispatcher);
        var cancelled = await Bulk.ApplyAsync(new BulkChange([first.Id, second.Id], "Cancel", Note: "Fixed by the contractor"), dispatcher);

        Assert.Equal(2, urgent.Value!.Succeeded);
        Assert.Equal(2, cancelled.Value!.Succeeded);
        foreach (var id in new[] { first.Id, second.Id })
        {
            var detail = await DetailAsync(id);
            Assert.Equal(TicketPriority.Urgent, detail.Ticket.Priority);
            Assert.Equal(TicketStatus.Cancelled, detail.Ticket.Status);
            Assert.Contains(detail.Events, e => e.Kind == TicketEventKind.Edited && e.Note == "Priority: Normal → Urgent");
            Assert.Equal("Fixed by the contractor", detail.Events.Last().Note);
        }
    }

    [Fact]
    public async Task Bulk_IsTheDispatchers_AndEachMissingPartIsNamed()
    {
        var ticket = await ReportAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");

        var staff = await Bulk.ApplyAsync(new BulkChange([ticket.Id], "Cancel", Note: "x"), await _data.ActorAsync("staff1"));
        var tooMany = await Bulk.ApplyAsync(new BulkChange(Enumerable.Range(1, TicketBulk.MaxTickets + 1).ToList(), "Cancel", Note: "x"), dispatcher);
        var none = await Bulk.ApplyAsync(new BulkChange([], "Cancel", Note: "x"), dispatcher);
        var noNote = await Bulk.ApplyAsync(new BulkChange([ticket.Id], "Cancel"), dispatcher);
        var noAction = await Bulk.ApplyAsync(new BulkChange([ticket.Id], "Explode"), dispatcher);
        var noStaff = await Bulk.ApplyAsync(new BulkChange([ticket.Id], "Assign"), dispatcher);
        var noPriority = await Bulk.ApplyAsync(new BulkChange([ticket.Id], "Priority", Priority: "Huge"), dispatcher);

        Assert.Equal(ResultKind.Forbidden, staff.Kind);
        Assert.Contains("At most 100 tickets", Assert.Single(tooMany.Errors["ids"]));
        Assert.True(none.Errors.ContainsKey("ids"));
        Assert.Equal("Note is required.", Assert.Single(noNote.Errors["note"]));
        Assert.Contains("'Explode' is not an action", Assert.Single(noAction.Errors["action"]));
        Assert.True(noStaff.Errors.ContainsKey("staffId"));
        Assert.Contains("'Huge' is not a priority", Assert.Single(noPriority.Errors["priority"]));
        Assert.Equal(ticket.Version, (await DetailAsync(ticket.Id)).Ticket.Version);
    }
}
