namespace DispatchBoard.Web.Displays;

/// <summary>
/// A screen in the office (the TV) that shows the board without anyone's password on it. An administrator creates it and
/// gives it a one-time pairing code; the screen that enters the code is signed in as this display until it is revoked.
/// </summary>
public sealed class OfficeDisplay
{
    public const int NameMaxLength = 80;
    public const int ByMaxLength = 100;

    public int Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>SHA-256 (hex) of the current pairing code; a new code replaces it, so the old one stops working.</summary>
    public string? PairingCodeHash { get; set; }
    public DateTimeOffset? PairingCodeExpiresAt { get; set; }
    public DateTimeOffset? PairingCodeUsedAt { get; set; }

    public DateTimeOffset? PairedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}
