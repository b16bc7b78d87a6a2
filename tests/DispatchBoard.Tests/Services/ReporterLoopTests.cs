using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Services;

public sealed class ReporterLoopTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<TicketDto> ResolvedByWangAsync()
    {
        var reported = await Intake.ReportAsync(new ReportTicket("A204", "Lighting", "Flickering tube", false, null, null), TicketChannel.Web, null);
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(reported.Value!.Id, wang);
        await Changes.MoveAsync(reported.Value.Id, TicketStatus.OnSite, null, wang);
        return (await Changes.MoveAsync(reported.Value.Id, TicketStatus.Resolved, "New starter", wang)).Value!;
    }

    [Fact]
    public async Task Confirm_ClosesWithTheRating_AndTheTimelineSaysSo()
    {
        var ticket = await ResolvedByWangAsync();

        var confirmed = await Intake.ConfirmAsync(ticket.TrackingCode, 5, "Quick and tidy, thank you!");

        Assert.True(confirmed.IsOk);
        Assert.Equal(TicketStatus.Closed, confirmed.Value!.Status);
        Assert.Equal(5, confirmed.Value.Rating);
        var track = (await Queries.TrackAsync(ticket.TrackingCode))!;
        Assert.Equal(5, track.Rating);
        Assert.Equal("You confirmed the fix", track.Timeline[^1].Label);
        Assert.Equal("Rated 5/5: Quick and tidy, thank you!", track.Timeline[^1].Note);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(6)]
    public async Task Confirm_RatingOutsideOneToFive_IsInvalid_AndChangesNothing(int? rating)
    {
        var ticket = await ResolvedByWangAsync();

        var result = await Intake.ConfirmAsync(ticket.TrackingCode, rating, null);

        Assert.True(result.Errors.ContainsKey("rating"));
        Assert.Equal(TicketStatus.Resolved, (await Queries.TrackAsync(ticket.TrackingCode))!.Status);
    }

    [Fact]
    public async Task ConfirmOrReopen_BeforeItIsFixed_IsAConflict_UnknownCodeNotFound()
    {
        var reported = await Intake.ReportAsync(new ReportTicket("A204", "Lighting", "Out", false, null, null), TicketChannel.Web, null);

        Assert.Equal(ResultKind.Conflict, (await Intake.ConfirmAsync(reported.Value!.TrackingCode, 4, null)).Kind);
        Assert.Equal(ResultKind.Conflict, (await Intake.ReopenAsync(reported.Value.TrackingCode, "still off")).Kind);
        Assert.Equal(ResultKind.NotFound, (await Intake.ConfirmAsync("0000000000", 4, null)).Kind);
    }

    [Fact]
    public async Task Reopen_PutsItBackInTheQueue_CountsIt_RoutesAgain_AndTellsWhoResolvedIt()
    {
        var ticket = await ResolvedByWangAsync();
        await _data.SetDutyAsync("staff1", false); // the owner has gone home: the backup gets it this time
        _data.Time.Advance(TimeSpan.FromHours(1));

        var reopened = await Intake.ReopenAsync(ticket.TrackingCode, "Flickering again since lunch");

        Assert.True(reopened.IsOk, reopened.Describe());
        var t = reopened.Value!;
        Assert.Equal(TicketStatus.New, t.Status);
        Assert.Equal(1, t.ReopenCount);
        Assert.Null(t.ClaimedBy);
        Assert.Null(t.ResolvedAt);
        Assert.Equal("Zhang Wei", t.RoutedTo);
        Assert.Equal(_data.Time.GetUtcNow(), t.QueuedAt);
        Assert.Equal(0, t.EscalationLevel);
        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Reopened && n.Body == "Flickering again since lunch");
        Assert.Single(await _data.NotificationsForAsync("staff3"), n => n.Kind == NotificationKind.Routed && n.TicketId == t.Id);
        Assert.True((await Intake.ReopenAsync(ticket.TrackingCode, "  ")).Errors.ContainsKey("comment"));
    }
}
