using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Realtime;

public sealed class LiveTicketSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StartOfToday = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private static TicketDto Ticket(int id, int version, TicketStatus status = TicketStatus.New, int? claimedBy = null,
        DateTimeOffset? resolvedAt = null) =>
        new(id, $"CODE{id:000000}", status, version, 1, "A204", "Room 204", "Main › Room 204", TicketCategory.Lighting, TicketPriority.Normal,
            "Light out", null, null, null, TicketChannel.Web, claimedBy, claimedBy is null ? null : "Wang Lei", Now.AddMinutes(-5), null, null,
            resolvedAt, null, null, null, null, Now.AddMinutes(-5), Now.AddMinutes(25), 0, 0, null, 0);

    private static LiveTicketSet Loaded(params TicketDto[] tickets)
    {
        var set = new LiveTicketSet();
        set.Load(new TicketSnapshot(tickets, new Dictionary<int, int>()), Now);
        return set;
    }

    [Fact]
    public void Apply_ANewerVersion_ReplacesTheTicket_AnOlderOrEqualOneIsStale()
    {
        var set = Loaded(Ticket(1, 3));

        Assert.Equal(TicketApplied.Stale, set.Apply(Ticket(1, 3, TicketStatus.Claimed, 7), Now));
        Assert.Equal(TicketApplied.Stale, set.Apply(Ticket(1, 2, TicketStatus.Cancelled), Now));
        Assert.Equal(TicketApplied.Changed, set.Apply(Ticket(1, 5, TicketStatus.OnSite, 7), Now));

        Assert.Equal((TicketStatus.OnSite, 5), set.All.Select(t => (t.Status, t.Version)).Single());
    }

    [Fact]
    public void Revision_MovesWhenTheTicketsChange_NotForAStaleEvent_NorForMarksRunningOut()
    {
        var set = Loaded(Ticket(1, 3));
        var loaded = set.Revision;

        set.Apply(Ticket(1, 2, TicketStatus.Claimed, 7), Now);
        Assert.Equal(loaded, set.Revision);
        set.Apply(Ticket(2, 1), Now);
        Assert.Equal(loaded + 1, set.Revision);
        set.Expire(Now + LiveTicketSet.FreshFor, StartOfToday); // only the fresh mark goes
        Assert.Equal(loaded + 1, set.Revision);
        set.Apply(Ticket(1, 4, TicketStatus.Resolved, 7, resolvedAt: StartOfToday.AddMinutes(-1)), Now);
        set.Expire(Now, StartOfToday); // resolved before today: it leaves the board
        Assert.Equal(loaded + 3, set.Revision);
    }

    [Fact]
    public void Apply_AReportNeverSeen_ArrivesFresh_UntilFreshForHasPassed()
    {
        var set = Loaded(Ticket(1, 1));

        Assert.Equal(TicketApplied.Arrived, set.Apply(Ticket(2, 1), Now));
        Assert.True(set.IsFresh(2));
        Assert.False(set.IsFresh(1));

        Assert.False(set.Expire(Now + LiveTicketSet.FreshFor - TimeSpan.FromSeconds(1), StartOfToday));
        Assert.True(set.IsFresh(2));
        Assert.True(set.Expire(Now + LiveTicketSet.FreshFor, StartOfToday));
        Assert.False(set.IsFresh(2));
    }

    [Fact]
    public void Apply_AFreshReportThatIsClaimed_IsNoLongerFresh_AndIsJustTaken_ForTakenShownFor()
    {
        var set = Loaded();
        set.Apply(Ticket(2, 1), Now);

        Assert.Equal(TicketApplied.Changed, set.Apply(Ticket(2, 2, TicketStatus.Claimed, 7), Now));

        Assert.False(set.IsFresh(2));
        Assert.True(set.WasJustTaken(2));
        set.Expire(Now + LiveTicketSet.TakenShownFor, StartOfToday);
        Assert.False(set.WasJustTaken(2));
        Assert.Single(set.All);
    }

    [Fact]
    public void Apply_ATicketThatIsCancelled_Leaves_AndAnOlderEventArrivingLateCannotBringItBack()
    {
        var set = Loaded(Ticket(1, 2));

        Assert.Equal(TicketApplied.Changed, set.Apply(Ticket(1, 4, TicketStatus.Cancelled), Now));
        Assert.Empty(set.All);
        Assert.Equal(TicketApplied.Stale, set.Apply(Ticket(1, 3, TicketStatus.Claimed, 7), Now));
        Assert.Empty(set.All);
    }

    [Fact]
    public void Load_TheSnapshotsLeftVersions_KeepALateOlderEventOut()
    {
        // Ticket 9 was cancelled (version 4) before the snapshot; its version-3 event is still on its way.
        var set = new LiveTicketSet();
        set.Load(new TicketSnapshot([Ticket(1, 1)], new Dictionary<int, int> { [9] = 4 }), Now);

        Assert.Equal(TicketApplied.Stale, set.Apply(Ticket(9, 3, TicketStatus.Claimed, 7), Now));
        Assert.Equal([1], set.All.Select(t => t.Id));
    }

    [Fact]
    public void Load_AgainOnAReload_KeepsANewerVersionAppliedMeanwhile_AndTheMarksOfTicketsStillShown()
    {
        var set = Loaded(Ticket(1, 1));
        set.Apply(Ticket(2, 1), Now);
        set.Apply(Ticket(1, 3, TicketStatus.Claimed, 7), Now);

        set.Load(new TicketSnapshot([Ticket(1, 2, TicketStatus.Claimed, 7), Ticket(2, 1)], new Dictionary<int, int>()), Now);

        Assert.Equal(3, set.All.Single(t => t.Id == 1).Version);
        Assert.True(set.IsFresh(2));
    }

    [Fact]
    public void Expire_TicketsResolvedBeforeTheSchoolsMidnight_Leave_TodaysStay()
    {
        var set = Loaded(
            Ticket(1, 5, TicketStatus.Resolved, 7, resolvedAt: StartOfToday.AddMinutes(-1)),
            Ticket(2, 5, TicketStatus.Closed, 7, resolvedAt: StartOfToday.AddMinutes(1)));

        Assert.True(set.Expire(Now, StartOfToday));

        Assert.Equal([2], set.All.Select(t => t.Id));
        Assert.Equal(TicketApplied.Stale, set.Apply(Ticket(1, 4, TicketStatus.OnSite, 7), Now));
    }

    [Fact]
    public void Apply_AResolvedTicketReopened_ComesBackToTheQueue_AsChanged()
    {
        var set = Loaded(Ticket(1, 5, TicketStatus.Resolved, 7, resolvedAt: Now));

        Assert.Equal(TicketApplied.Changed, set.Apply(Ticket(1, 6), Now));

        Assert.Equal(TicketStatus.New, set.All.Single().Status);
        Assert.False(set.IsFresh(1));
    }
}
