using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

/// <summary>Web Push (VAPID) settings. Without keys the app makes a pair at first start and keeps it in the database.</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>VAPID public key: base64url of the 65-byte uncompressed P-256 point. Set with <see cref="PrivateKey"/>, or neither.</summary>
    public string? PublicKey { get; set; }

    /// <summary>VAPID private key: base64url of the 32-byte P-256 scalar.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A contact for the push services ("mailto:" or "https:"); by default the office at the school's public address.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// The push services the server will post to, by host ("fcm.googleapis.com", or "*.notify.windows.com" for a domain
    /// and its subdomains). Empty: the browsers' own push services (<see cref="BrowserPushServices"/>). A subscription
    /// for any other host is refused: the server must not be made to post to addresses of someone's choosing (its own
    /// network included). A loopback host listed here may use http (a push service on this machine, e.g. in tests).
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Chrome, Edge and other Chromium browsers (FCM), Firefox (Mozilla autopush), Safari (Apple), Edge on Windows (WNS).</summary>
    public static readonly string[] BrowserPushServices =
        ["fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com", "*.notify.windows.com"];

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts.Length > 0 ? AllowedHosts : BrowserPushServices;

    /// <summary>Whether the server may post to <paramref name="host"/>.</summary>
    public bool AllowsHost(string host) => EffectiveAllowedHosts.Any(allowed => allowed.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase) || host.Equals(allowed[2..], StringComparison.OrdinalIgnoreCase)
        : host.Equals(allowed, StringComparison.OrdinalIgnoreCase));

    [Range(1, 256)]
    public int MaxConcurrentSends { get; set; } = 32;

    [Range(1, 120)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Devices one person may have; a new one past it replaces their longest-unused device.</summary>
    [Range(1, 100)]
    public int MaxDevicesPerUser { get; set; } = 10;

    /// <summary>At start, alerts this recent that did not reach a device are still pushed to it.</summary>
    [Range(0, 1440)]
    public int CatchUpMinutes { get; set; } = 15;

    /// <summary>How long an alert without its own expiry is worth delivering (the push TTL).</summary>
    [Range(1, 672)]
    public int DefaultTtlHours { get; set; } = 24;

    /// <summary>The subject the JWTs carry: the configured one, or mailto:office@{host of School:PublicBaseUrl}.</summary>
    public string EffectiveSubject(SchoolOptions school) => Subject is { Length: > 0 } subject ? subject : DefaultSubject(school);

    public static string DefaultSubject(SchoolOptions school) =>
        Uri.TryCreate(school.PublicBaseUrl, UriKind.Absolute, out var url) && url.Host.Contains('.') && !url.IsLoopback
            ? $"mailto:office@{url.Host}"
            : "mailto:office@dispatchboard.example";
}

public sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var errors = new List<string>();
        var hasPublic = !string.IsNullOrWhiteSpace(options.PublicKey);
        var hasPrivate = !string.IsNullOrWhiteSpace(options.PrivateKey);
        if (hasPublic != hasPrivate)
        {
            errors.Add("Push:PublicKey and Push:PrivateKey go together: set both (a VAPID pair) or neither (the app makes one and keeps it in the database).");
        }
        else if (hasPublic && VapidKeys.Check(options.PublicKey!, options.PrivateKey!) is { } problem)
        {
            errors.Add($"Push:PublicKey/PrivateKey: {problem}");
        }
        if (!string.IsNullOrWhiteSpace(options.Subject) && !IsValidSubject(options.Subject))
        {
            errors.Add($"Push:Subject '{options.Subject}' must be a 'mailto:' address or an 'https:' URL (the push services' contact for this school).");
        }
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    public static bool IsValidSubject(string subject) =>
        subject.StartsWith("mailto:", StringComparison.Ordinal) && subject.Length > "mailto:".Length && subject.Contains('@')
        || Uri.TryCreate(subject, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps;
}
