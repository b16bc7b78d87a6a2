namespace DispatchBoard.Web.Audit;

/// <summary>What an audit line is about. Stored by name, so members can be added (never renamed: old lines keep theirs).</summary>
public enum AuditKind
{
    SignIn,
    SignInFailed,
    SignInThrottled,
    SignOut,
    SignOutEverywhere,
    UserCreated,
    RoleChanged,
    UserDeactivated,
    UserReactivated,
    PairingCodeIssued,
    DisplayPaired,
    DisplayRevoked,
    AreaImported,
    AreaCreated,
    AreaEdited,
    AreaRetired,
    AreaRestored,
    ChecklistEdited,
    SettingsChanged,
    CalendarChanged,
    DutyChanged,
    RosterEdited,
    PasswordChanged,
    PasswordChangeFailed,
    PasswordLinkMade,
    PasswordSetByLink,
    BackupMade,
    BackupFailed,
}

/// <summary>
/// One line of the audit log: who did what to what, when and from where. Written once and never changed: the app has no
/// update or delete for it, and the database refuses both (triggers in the migration).
/// </summary>
public sealed class AuditEntry
{
    public const int NameMaxLength = 100;
    public const int SubjectMaxLength = 200;
    public const int DetailsMaxLength = 1000;
    public const int AddressMaxLength = 64;

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public AuditKind Kind { get; set; }

    /// <summary>The signed-in person who acted; null for an anonymous one (a failed sign-in, a screen pairing).</summary>
    public string? ActorUserId { get; set; }
    public string? ActorName { get; set; }

    /// <summary>What it was about: an e-mail address, "Area B-204", a display's name.</summary>
    public string? Subject { get; set; }

    /// <summary>A short description; never a password, code or token.</summary>
    public string? Details { get; set; }

    /// <summary>The client's full IP address (not the per-client key), as the forwarded-headers middleware settled on it.</summary>
    public string? Address { get; set; }
}
