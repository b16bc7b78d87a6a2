using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Auth;

public enum AccountLinkPurpose
{
    /// <summary>An administrator's "Reset password": valid for <see cref="AccountLinkOptions.ResetLinkValidity"/>.</summary>
    PasswordReset,

    /// <summary>A new account made without a password: the person chooses the first one.</summary>
    FirstSignIn,
}

/// <summary>
/// A one-time link that lets a person set their password (/account/set-password?token=…). Only the SHA-256 hash of its
/// 256-bit random token is stored: a copy of the database opens no account. A newer link for the same person voids the
/// older unused ones; a used, voided or expired link says so when opened.
/// </summary>
public sealed class AccountLink
{
    public const int TokenHashLength = 64;
    public const int ByMaxLength = 100;

    public int Id { get; set; }
    public string UserId { get; set; } = "";
    public AppUser? User { get; set; }
    public AccountLinkPurpose Purpose { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token; the token itself is never stored.</summary>
    public string TokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>When a newer link for the same person replaced this one unused.</summary>
    public DateTimeOffset? VoidedAt { get; set; }

    /// <summary>The administrator who made it (their user id and name as it was then).</summary>
    public string? CreatedByUserId { get; set; }
    public string CreatedByName { get; set; } = "";
}

/// <summary>How long the one-time password links stay valid (section "Accounts").</summary>
public sealed class AccountLinkOptions
{
    public const string Section = "Accounts";

    /// <summary>A reset link: 24 hours, as the office promises; not configurable.</summary>
    public static readonly TimeSpan ResetLinkValidity = TimeSpan.FromHours(24);

    /// <summary>A first-sign-in link, in days (1–30): a new colleague may start a few days after the account is made.</summary>
    [Range(1, 30, ErrorMessage = "Accounts:FirstSignInLinkDays must be between 1 and 30 days.")]
    public int FirstSignInLinkDays { get; set; } = 7;

    public TimeSpan ValidityOf(AccountLinkPurpose purpose) =>
        purpose == AccountLinkPurpose.FirstSignIn ? TimeSpan.FromDays(FirstSignInLinkDays) : ResetLinkValidity;
}
