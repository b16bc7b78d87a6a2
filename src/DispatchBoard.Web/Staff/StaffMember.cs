using DispatchBoard.Web.Auth;

namespace DispatchBoard.Web.Staff;

public sealed class StaffMember
{
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 30;
    public const int DutyChangedByMaxLength = 200;

    public int Id { get; set; }
    public required string UserId { get; set; }
    public AppUser? User { get; set; }
    public required string DisplayName { get; set; }
    public string? Phone { get; set; }
    public bool OnDuty { get; set; }
    public DateTimeOffset DutyChangedAt { get; set; }

    /// <summary>Who or what made the last duty change: "Wang Lei (own switch)", "the roster: Mon 07:30–12:00".</summary>
    public string? DutyChangedBy { get; set; }

    /// <summary>A manual switch holds until this roster edge (the next start or end of the person's standby); null when the roster leads.</summary>
    public DateTimeOffset? DutyManualUntil { get; set; }

    /// <summary>The last roster edge acted on (or overruled by a manual switch): each edge changes duty at most once.</summary>
    public DateTimeOffset? RosterEdgeAt { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>
/// Shown on the board. Only <see cref="StaffMember.OnDuty"/> is stored: "on a job" follows from the tickets a person
/// holds, so it can never disagree with them.
/// </summary>
public enum DutyState
{
    OffDuty,
    Standby,
    OnJob,
}
