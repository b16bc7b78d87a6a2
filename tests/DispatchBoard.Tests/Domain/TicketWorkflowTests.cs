using DispatchBoard.Web;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Domain;

public class TicketWorkflowTests
{
    private static readonly HashSet<(TicketStatus, TicketStatus)> Allowed =
    [
        (TicketStatus.New, TicketStatus.Claimed),
        (TicketStatus.New, TicketStatus.Cancelled),
        (TicketStatus.Claimed, TicketStatus.OnSite),
        (TicketStatus.Claimed, TicketStatus.New),
        (TicketStatus.Claimed, TicketStatus.Cancelled),
        (TicketStatus.Claimed, TicketStatus.Escalated),
        (TicketStatus.OnSite, TicketStatus.Escalated),
        (TicketStatus.Escalated, TicketStatus.Claimed),
        (TicketStatus.Escalated, TicketStatus.Closed),
        (TicketStatus.Escalated, TicketStatus.Cancelled),
        (TicketStatus.OnSite, TicketStatus.Resolved),
        (TicketStatus.OnSite, TicketStatus.New),
        (TicketStatus.OnSite, TicketStatus.Cancelled),
        (TicketStatus.Resolved, TicketStatus.Closed),
        (TicketStatus.Resolved, TicketStatus.New),
    ];

    private const int Holder = 7;
    private static readonly MoveActor Dispatcher = new(null, CanDispatch: true);
    private static readonly MoveActor HolderStaff = new(Holder, CanDispatch: false);
    private static readonly MoveActor OtherStaff = new(8, CanDispatch: false);

    public static TheoryData<TicketStatus, TicketStatus> EveryPair()
    {
        var data = new TheoryData<TicketStatus, TicketStatus>();
        foreach (var from in Enum.GetValues<TicketStatus>())
        {
            foreach (var to in Enum.GetValues<TicketStatus>())
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void IsAllowedMove_MatchesTheLifecycle(TicketStatus from, TicketStatus to)
    {
        Assert.Equal(Allowed.Contains((from, to)), TicketWorkflow.IsAllowedMove(from, to));
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Decide_ForbiddenMove_IsAConflictWithAMessage_EvenForADispatcher(TicketStatus from, TicketStatus to)
    {
        if (Allowed.Contains((from, to)))
        {
            return;
        }
        var claimed = from is TicketStatus.New ? (int?)null : Holder;
        var decision = TicketWorkflow.Decide(new TicketState(from, claimed, "Li Na"), to, new MoveActor(Holder, CanDispatch: true));

        Assert.Equal(ResultKind.Conflict, decision.Kind);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
    }

    [Fact]
    public void Decide_ClaimWhenAlreadyClaimed_SaysWhoHasIt()
    {
        var decision = TicketWorkflow.Decide(new TicketState(TicketStatus.Claimed, Holder, "Li Na"), TicketStatus.Claimed, OtherStaff);

        Assert.Equal(ResultKind.Conflict, decision.Kind);
        Assert.Equal("Already claimed by Li Na.", decision.Message);
    }

    [Fact]
    public void Decide_ResolveUnclaimedTicket_IsAConflictThatSaysClaimFirst()
    {
        var decision = TicketWorkflow.Decide(new TicketState(TicketStatus.New, null, null), TicketStatus.Resolved, HolderStaff);

        Assert.Equal(ResultKind.Conflict, decision.Kind);
        Assert.Contains("not been claimed", decision.Message);
    }

    [Fact]
    public void Decide_ClaimResolvedTicket_IsAConflict()
    {
        var decision = TicketWorkflow.Decide(new TicketState(TicketStatus.Resolved, Holder, "Li Na"), TicketStatus.Claimed, OtherStaff);

        Assert.Equal(ResultKind.Conflict, decision.Kind);
        Assert.Equal("This ticket is already resolved.", decision.Message);
    }

    [Theory]
    [InlineData(TicketStatus.Claimed, TicketStatus.OnSite)]
    [InlineData(TicketStatus.Claimed, TicketStatus.New)]
    [InlineData(TicketStatus.OnSite, TicketStatus.Resolved)]
    [InlineData(TicketStatus.OnSite, TicketStatus.New)]
    public void Decide_SomeoneElsesTicket_IsForbiddenForStaff_AllowedForHolderAndDispatcher(TicketStatus from, TicketStatus to)
    {
        var ticket = new TicketState(from, Holder, "Li Na");

        var other = TicketWorkflow.Decide(ticket, to, OtherStaff);
        Assert.Equal(ResultKind.Forbidden, other.Kind);
        Assert.Contains("Li Na", other.Message);
        Assert.True(TicketWorkflow.Decide(ticket, to, HolderStaff).Allowed);
        Assert.True(TicketWorkflow.Decide(ticket, to, Dispatcher).Allowed);
    }

    [Fact]
    public void Decide_ClaimByAnAccountWithoutStaffRecord_IsForbidden()
    {
        var decision = TicketWorkflow.Decide(new TicketState(TicketStatus.New, null, null), TicketStatus.Claimed, Dispatcher);

        Assert.Equal(ResultKind.Forbidden, decision.Kind);
    }

    [Theory]
    [InlineData(TicketStatus.New)]
    [InlineData(TicketStatus.Claimed)]
    [InlineData(TicketStatus.OnSite)]
    public void Decide_CancelIsForDispatchersOnly(TicketStatus from)
    {
        var ticket = new TicketState(from, from == TicketStatus.New ? null : Holder, "Li Na");

        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.Decide(ticket, TicketStatus.Cancelled, HolderStaff).Kind);
        Assert.True(TicketWorkflow.Decide(ticket, TicketStatus.Cancelled, Dispatcher).Allowed);
    }

    [Theory]
    [InlineData(TicketStatus.Closed)]
    [InlineData(TicketStatus.New)]
    public void Decide_CloseOrReopenResolvedTicket_IsForDispatchersOnly(TicketStatus to)
    {
        var ticket = new TicketState(TicketStatus.Resolved, Holder, "Li Na");

        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.Decide(ticket, to, HolderStaff).Kind);
        Assert.True(TicketWorkflow.Decide(ticket, to, Dispatcher).Allowed);
    }

    [Theory]
    [InlineData(TicketStatus.Claimed)]
    [InlineData(TicketStatus.OnSite)]
    public void Decide_EscalateToPrincipal_IsForTheHolderOrADispatcher(TicketStatus from)
    {
        var ticket = new TicketState(from, Holder, "Li Na");

        Assert.True(TicketWorkflow.Decide(ticket, TicketStatus.Escalated, HolderStaff).Allowed);
        Assert.True(TicketWorkflow.Decide(ticket, TicketStatus.Escalated, Dispatcher).Allowed);
        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.Decide(ticket, TicketStatus.Escalated, OtherStaff).Kind);
        Assert.Equal(ResultKind.Conflict,
            TicketWorkflow.Decide(new TicketState(TicketStatus.New, null, null), TicketStatus.Escalated, HolderStaff).Kind);
    }

    [Theory]
    [InlineData(TicketStatus.Claimed)]
    [InlineData(TicketStatus.Closed)]
    public void Decide_OnlyThePrincipalDecidesAnEscalatedJob(TicketStatus to)
    {
        var ticket = new TicketState(TicketStatus.Escalated, Holder, "Li Na");

        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.Decide(ticket, to, Dispatcher).Kind);
        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.Decide(ticket, to, HolderStaff).Kind);
        Assert.True(TicketWorkflow.Decide(ticket, to, new MoveActor(null, CanDispatch: false, IsPrincipal: true)).Allowed);
    }

    [Fact]
    public void DecideAssign_StaffMayNotAssign_DispatcherMay_NotToTheSamePersonTwice()
    {
        var ticket = new TicketState(TicketStatus.Claimed, Holder, "Li Na");

        Assert.Equal(ResultKind.Forbidden, TicketWorkflow.DecideAssign(ticket, 8, "Wang Lei", HolderStaff).Kind);
        Assert.True(TicketWorkflow.DecideAssign(ticket, 8, "Wang Lei", Dispatcher).Allowed);
        Assert.Equal(ResultKind.Conflict, TicketWorkflow.DecideAssign(ticket, Holder, "Li Na", Dispatcher).Kind);
        Assert.Equal(ResultKind.Conflict,
            TicketWorkflow.DecideAssign(new TicketState(TicketStatus.Resolved, Holder, "Li Na"), 8, "Wang Lei", Dispatcher).Kind);
        Assert.Equal(ResultKind.Conflict,
            TicketWorkflow.DecideAssign(new TicketState(TicketStatus.Escalated, Holder, "Li Na"), 8, "Wang Lei", Dispatcher).Kind);
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Decide_AHelper_MovesNothingOnTheLeadsJob_AndIsToldThatOnlyTheLeadResolves(TicketStatus from, TicketStatus to)
    {
        var ticket = new TicketState(from, from == TicketStatus.New ? null : Holder, from == TicketStatus.New ? null : "Wang Lei");
        var helper = new MoveActor(8, CanDispatch: false, IsHelper: true);

        var asHelper = TicketWorkflow.Decide(ticket, to, helper);
        var asColleague = TicketWorkflow.Decide(ticket, to, OtherStaff);

        if ((from, to) == (TicketStatus.OnSite, TicketStatus.Resolved))
        {
            Assert.Equal((ResultKind.Forbidden, "Only the lead, Wang Lei, resolves this job; mark your part done instead."), (asHelper.Kind, asHelper.Message));
            Assert.NotEqual(asHelper.Message, asColleague.Message);
        }
        else
        {
            // Anything else a helper asks is answered as for any colleague: being on the team grants no other move.
            Assert.Equal(asColleague, asHelper);
        }
        Assert.Equal(TicketWorkflow.Decide(ticket, to, Dispatcher), TicketWorkflow.Decide(ticket, to, Dispatcher with { IsHelper = true }));
        Assert.Equal(TicketWorkflow.Decide(ticket, to, HolderStaff), TicketWorkflow.Decide(ticket, to, HolderStaff with { IsHelper = true }));
    }
}
