using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Services;

public sealed class EscalationTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();
    private EscalationService Escalations => _data.Get<EscalationService>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    /// <summary>A window sash that needs a new frame: reported, claimed and on site with Li Na (staff2).</summary>
    private async Task<TicketDto> OnSiteWithLiNaAsync()
    {
        var reported = await Intake.ReportAsync(new ReportTicket("B201", "DoorsWindows", "Sash off its track, frame rotten", false, "Mr. Xu", null),
            TicketChannel.Web, null);
        var li = await _data.ActorAsync("staff2");
        await Changes.ClaimAsync(reported.Value!.Id, li);
        return (await Changes.MoveAsync(reported.Value.Id, TicketStatus.OnSite, null, li)).Value!;
    }

    private async Task<int> EscalateAsync(TicketDto ticket, string reason = "Purchase")
    {
        var result = await Escalations.EscalateAsync(ticket.Id, reason, "Needs a new frame: about 600 yuan", await _data.ActorAsync("staff2"));
        Assert.True(result.IsOk, result.Describe());
        return (await Escalations.InboxAsync()).Single(i => i.Ticket.Ticket.Id == ticket.Id).Escalation.Id;
    }

    [Fact]
    public async Task Escalate_MarksTheTicketEscalated_RecordsTheReason_AndAlertsThePrincipal()
    {
        var ticket = await OnSiteWithLiNaAsync();

        var result = await Escalations.EscalateAsync(ticket.Id, "purchase", "Needs a new frame: about 600 yuan", await _data.ActorAsync("staff2"));

        Assert.Equal(TicketStatus.Escalated, result.Value!.Status);
        var inbox = Assert.Single(await Escalations.InboxAsync(), i => i.Ticket.Ticket.Id == ticket.Id);
        Assert.Equal(EscalationReason.Purchase, inbox.Escalation.Reason);
        Assert.Equal("Li Na", inbox.Escalation.RaisedBy);
        Assert.Contains(inbox.Ticket.Events, e => e.Kind == TicketEventKind.EscalatedToPrincipal);
        var alert = Assert.Single(await _data.NotificationsForAsync("principal"), n => n.TicketId == ticket.Id);
        Assert.Equal(NotificationKind.Escalated, alert.Kind);
        var track = await Queries.TrackAsync(ticket.TrackingCode);
        Assert.Equal("Passed to the principal's office for a decision", track!.Timeline[^1].Label);
        Assert.Null(track.Timeline[^1].Note);
    }

    [Fact]
    public async Task Escalate_NeedsReasonAndNote_AndTheHolder()
    {
        var ticket = await OnSiteWithLiNaAsync();

        var invalid = await Escalations.EscalateAsync(ticket.Id, "Because", " ", await _data.ActorAsync("staff2"));
        var someoneElse = await Escalations.EscalateAsync(ticket.Id, "Purchase", "x", await _data.ActorAsync("staff1"));

        Assert.Equal(["note", "reason"], invalid.Errors.Keys.Order());
        Assert.Equal(ResultKind.Forbidden, someoneElse.Kind);
        Assert.Equal(TicketStatus.OnSite, (await Queries.GetDetailAsync(ticket.Id))!.Ticket.Status);
    }

    [Fact]
    public async Task Approve_SendsTheJobBackToTheStaffMember_WhoIsAlerted_AndTheReporterSeesIt()
    {
        var ticket = await OnSiteWithLiNaAsync();
        var escalation = await EscalateAsync(ticket, "Contractor");

        var decided = await Escalations.DecideAsync(escalation, "Approved", "Go ahead with the glazier.", "Xu's Glass, Thursday 9:00",
            await _data.ActorAsync("principal"));

        Assert.True(decided.IsOk, decided.Describe());
        Assert.Equal(TicketStatus.Claimed, decided.Value!.Status);
        Assert.Equal("Li Na", decided.Value.ClaimedBy);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Decision);
        Assert.Contains("Xu's Glass", alert.Body);
        var track = (await Queries.TrackAsync(ticket.TrackingCode))!;
        Assert.Equal("Approved by the principal's office", track.Timeline[^1].Label);
        Assert.Equal("Go ahead with the glazier. An outside contractor will do the work.", track.Timeline[^1].Note);
        Assert.DoesNotContain("Xu's Glass", System.Text.Json.JsonSerializer.Serialize(track));
        Assert.DoesNotContain(await Escalations.InboxAsync(), i => i.Escalation.Id == escalation);
    }

    [Fact]
    public async Task Reject_ClosesTheTicketWithTheReason_ShownToTheReporter()
    {
        var ticket = await OnSiteWithLiNaAsync();
        var escalation = await EscalateAsync(ticket);

        var decided = await Escalations.DecideAsync(escalation, "rejected", "The building is renovated in the summer; the frame goes then.", null,
            await _data.ActorAsync("principal"));

        Assert.Equal(TicketStatus.Closed, decided.Value!.Status);
        var track = (await Queries.TrackAsync(ticket.TrackingCode))!;
        Assert.Equal(TicketStatus.Closed, track.Status);
        Assert.Equal("Not approved by the principal's office", track.Timeline[^1].Label);
        Assert.Contains("renovated in the summer", track.Timeline[^1].Note);
    }

    [Fact]
    public async Task Defer_KeepsItInTheInbox_AndItCanBeDecidedLater_ButOnlyOnce()
    {
        var ticket = await OnSiteWithLiNaAsync();
        var escalation = await EscalateAsync(ticket);
        var principal = await _data.ActorAsync("principal");

        var deferred = await Escalations.DecideAsync(escalation, "Deferred", "Ask the finance office first.", null, principal);
        Assert.Equal(TicketStatus.Escalated, deferred.Value!.Status);
        Assert.Equal(EscalationDecision.Deferred, Assert.Single(await Escalations.InboxAsync(), i => i.Escalation.Id == escalation).Escalation.Decision);

        Assert.True((await Escalations.DecideAsync(escalation, "Approved", null, null, principal)).IsOk);
        var again = await Escalations.DecideAsync(escalation, "Rejected", "Changed my mind", null, principal);
        Assert.Equal(ResultKind.Conflict, again.Kind);
    }

    [Fact]
    public async Task Decide_IsForThePrincipalOnly_AndValidatesItsInput()
    {
        var ticket = await OnSiteWithLiNaAsync();
        var escalation = await EscalateAsync(ticket);
        var principal = await _data.ActorAsync("principal");

        Assert.Equal(ResultKind.Forbidden, (await Escalations.DecideAsync(escalation, "Approved", null, null, await _data.ActorAsync("dispatcher"))).Kind);
        Assert.True((await Escalations.DecideAsync(escalation, "Pending", null, null, principal)).Errors.ContainsKey("decision"));
        Assert.True((await Escalations.DecideAsync(escalation, "Rejected", null, null, principal)).Errors.ContainsKey("note"));
        Assert.True((await Escalations.DecideAsync(escalation, "Rejected", "No", "Some contractor", principal)).Errors.ContainsKey("contractorNote"));
        Assert.Equal(ResultKind.NotFound, (await Escalations.DecideAsync(99999, "Approved", null, null, principal)).Kind);
        Assert.Equal(TicketStatus.Escalated, (await Queries.GetDetailAsync(ticket.Id))!.Ticket.Status);
    }

    [Fact]
    public async Task EscalatedTicket_CannotBeMovedOrAssigned_OutsideTheDecision()
    {
        var ticket = await OnSiteWithLiNaAsync();
        await EscalateAsync(ticket);

        var resolve = await Changes.MoveAsync(ticket.Id, TicketStatus.Resolved, "done", await _data.ActorAsync("staff2"));
        var assign = await Changes.AssignAsync(ticket.Id, 1, await _data.ActorAsync("dispatcher"));
        var byPrincipal = await Changes.MoveAsync(ticket.Id, TicketStatus.Claimed, null, await _data.ActorAsync("principal"));

        Assert.Equal(ResultKind.Conflict, resolve.Kind);
        Assert.Equal(ResultKind.Conflict, assign.Kind);
        Assert.Equal(ResultKind.Conflict, byPrincipal.Kind);
    }
}
