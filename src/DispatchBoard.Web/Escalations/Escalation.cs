using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Escalations;

public enum EscalationReason
{
    Purchase,
    Contractor,
    SafetyClosure,
    Policy,
    Other,
}

public enum EscalationDecision
{
    Pending,
    Approved,
    Rejected,
    Deferred,
}

/// <summary>A job put to the principal's office because it is beyond the staff member's authority.</summary>
public sealed class Escalation
{
    public const int NoteMaxLength = 2000;

    public int Id { get; set; }
    public int TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public int RaisedById { get; set; }
    public StaffMember? RaisedBy { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public EscalationReason Reason { get; set; }
    public required string Note { get; set; }

    public EscalationDecision Decision { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedByUserId { get; set; }
    public string? DecidedByName { get; set; }
    public string? DecisionNote { get; set; }

    /// <summary>Approved for an outside contractor: who and when, for the staff member who coordinates.</summary>
    public string? ContractorNote { get; set; }
}
