using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Displays;

/// <summary>Paired office screens: how long a pairing lasts, and how many pairing attempts are allowed.</summary>
public sealed class DisplayOptions
{
    public const string Section = "Displays";

    /// <summary>How long a paired screen stays signed in without being used; each use renews it for this long.</summary>
    [Range(1, 3650)]
    public int SignInDays { get; set; } = 365;

    /// <summary>Pairing attempts allowed per client address in each window (codes are short: guessing is throttled).</summary>
    [Range(1, 10_000)]
    public int AttemptsPerAddress { get; set; } = 10;

    /// <summary>Pairing attempts allowed from all addresses together in each window.</summary>
    [Range(1, 100_000)]
    public int AttemptsOverall { get; set; } = 100;

    [Range(1, 86_400)]
    public int AttemptWindowSeconds { get; set; } = 300;
}
