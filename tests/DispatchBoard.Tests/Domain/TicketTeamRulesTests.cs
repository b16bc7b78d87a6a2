using DispatchBoard.Web;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Domain;

public class TicketTeamRulesTests
{
    private const int Lead = 7;
    private const int Helper = 8;
    private const int Colleague = 9;
    private static readonly MoveActor Dispatcher = new(null, CanDispatch: true);
    private static readonly MoveActor LeadStaff = new(Lead, CanDispatch: false);
    private static readonly MoveActor HelperStaff = new(Helper, CanDispatch: false, IsHelper: true);
    private static readonly MoveActor ColleagueStaff = new(Colleague, CanDispatch: false);
    private static readonly MoveActor Principal = new(null, CanDispatch: false, IsPrincipal: true);

    private static readonly Dictionary<int, bool> OneHelper = new() { [Helper] = false };
    private static readonly Dictionary<int, bool> NoHelpers = [];
    private static readonly Dictionary<int, bool> HelperDone = new() { [Helper] = true };

    public static TheoryData<TicketStatus> EveryStatus()
    {
        var data = new TheoryData<TicketStatus>();
        foreach (var status in Enum.GetValues<TicketStatus>())
        {
            data.Add(status);
        }
        return data;
    }

    private static TicketState Led(TicketStatus status) => new(status, status == TicketStatus.New ? null : Lead, status == TicketStatus.New ? null : "Wang Lei");

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void DecideAdd_TheLeadOrADispatcher_OnAnOpenLedJob_Only(TicketStatus status)
    {
        var ticket = Led(status);
        var led = status is TicketStatus.Claimed or TicketStatus.OnSite or TicketStatus.Escalated;

        Assert.Equal(led, TicketTeamRules.DecideAdd(ticket, NoHelpers, Colleague, "Zhang Wei", LeadStaff).Allowed);
        Assert.Equal(led, TicketTeamRules.DecideAdd(ticket, NoHelpers, Colleague, "Zhang Wei", Dispatcher).Allowed);
        foreach (var other in new[] { ColleagueStaff, Principal })
        {
            var refused = TicketTeamRules.DecideAdd(ticket, NoHelpers, Helper, "Li Na", other);
            Assert.False(refused.Allowed);
            Assert.Equal(led ? ResultKind.Forbidden : ResultKind.Conflict, refused.Kind);
            Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        }
    }

    [Theory]
    [InlineData(TicketStatus.Claimed)]
    [InlineData(TicketStatus.OnSite)]
    public void DecideAdd_NotTheLeadThemself_NotTwice(TicketStatus status)
    {
        var self = TicketTeamRules.DecideAdd(Led(status), NoHelpers, Lead, "Wang Lei", Dispatcher);
        Assert.Equal((ResultKind.Conflict, "Wang Lei leads this job; choose someone else to help."), (self.Kind, self.Message));
        var twice = TicketTeamRules.DecideAdd(Led(status), HelperDone, Helper, "Li Na", LeadStaff);
        Assert.Equal((ResultKind.Conflict, "Li Na is already helping on this job."), (twice.Kind, twice.Message));
        var helperAddsAnother = TicketTeamRules.DecideAdd(Led(status), OneHelper, Colleague, "Zhang Wei", HelperStaff);
        Assert.Equal((ResultKind.Forbidden, "Only the lead, Wang Lei, or a dispatcher adds helpers to this job."), (helperAddsAnother.Kind, helperAddsAnother.Message));
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void DecideRemove_TheLeadOrADispatcher_WhileOpen_Only(TicketStatus status)
    {
        var ticket = Led(status);
        var open = status.IsOpen();

        // A job in the queue has no lead (its helpers left with the last one), so only a dispatcher could tidy it.
        Assert.Equal(open && status != TicketStatus.New, TicketTeamRules.DecideRemove(ticket, OneHelper, Helper, "Li Na", LeadStaff).Allowed);
        Assert.Equal(open, TicketTeamRules.DecideRemove(ticket, OneHelper, Helper, "Li Na", Dispatcher).Allowed);
        // A closed job's team is on record for everyone alike: the answer is the same whoever asks.
        var refused = open ? ResultKind.Forbidden : ResultKind.Conflict;
        Assert.Equal(refused, TicketTeamRules.DecideRemove(ticket, OneHelper, Helper, "Li Na", HelperStaff).Kind);
        Assert.Equal(refused, TicketTeamRules.DecideRemove(ticket, OneHelper, Helper, "Li Na", ColleagueStaff).Kind);
        var absent = TicketTeamRules.DecideRemove(ticket, OneHelper, Colleague, "Zhang Wei", Dispatcher);
        Assert.Equal(ResultKind.Conflict, absent.Kind);
        Assert.Equal(open ? "Zhang Wei is not helping on this job." : $"This ticket is {status.Label().ToLowerInvariant()}; its helpers stay on record.", absent.Message);
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void DecideDone_OnlyTheHelperThemself_WhileOpen_Once(TicketStatus status)
    {
        var ticket = Led(status);

        var open = status.IsOpen();
        var notHelping = open ? ResultKind.Forbidden : ResultKind.Conflict;

        Assert.Equal(open, TicketTeamRules.DecideDone(ticket, OneHelper, HelperStaff).Allowed);
        Assert.Equal(ResultKind.Conflict, TicketTeamRules.DecideDone(ticket, HelperDone, HelperStaff).Kind);
        Assert.Equal(notHelping, TicketTeamRules.DecideDone(ticket, OneHelper, ColleagueStaff).Kind);
        Assert.Equal(notHelping, TicketTeamRules.DecideDone(ticket, OneHelper, Dispatcher).Kind);
        Assert.Equal(notHelping, TicketTeamRules.DecideDone(ticket, OneHelper, Principal).Kind);
        var lead = TicketTeamRules.DecideDone(ticket, OneHelper, LeadStaff);
        Assert.Equal(notHelping, lead.Kind);
        Assert.Equal(!open ? $"This ticket is {status.Label().ToLowerInvariant()}; there is no part left to mark done."
            : status == TicketStatus.New ? "Only a helper marks their own part done, and you are not helping on this job."
            : "You lead this job: resolve it when it is fixed.", lead.Message);
    }
}
