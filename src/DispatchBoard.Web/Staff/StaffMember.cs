using DispatchBoard.Web.Auth;

namespace DispatchBoard.Web.Staff;

public sealed class StaffMember
{
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 30;

    public int Id { get; set; }
    public required string UserId { get; set; }
    public AppUser? User { get; set; }
    public required string DisplayName { get; set; }
    public string? Phone { get; set; }
    public bool OnDuty { get; set; }
    public DateTimeOffset DutyChangedAt { get; set; }
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
