namespace DispatchBoard.Web.Push;

/// <summary>One browser on one device that agreed to receive Web Push for one person (RFC 8030 push subscription).</summary>
public sealed class PushSubscription
{
    public const int EndpointMaxLength = 1000;
    public const int LabelMaxLength = 100;
    public const int KeyMaxLength = 100;

    public long Id { get; set; }
    public required string UserId { get; set; }
    /// <summary>The push service's URL for this browser: a capability (whoever holds it can push), unique.</summary>
    public required string Endpoint { get; set; }
    /// <summary>The browser's P-256 public key, base64url of the 65-byte uncompressed point.</summary>
    public required string P256dh { get; set; }
    /// <summary>The browser's 16-byte authentication secret, base64url.</summary>
    public required string Auth { get; set; }
    public string? Label { get; set; }
    /// <summary>When this person got this device: alerts older than it are never pushed to it.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int ConsecutiveFailures { get; set; }
}

public enum PushOutcome
{
    /// <summary>Claimed by a sender and being sent now.</summary>
    Sending,
    /// <summary>Not delivered yet; tried again at <see cref="PushDelivery.NextAttemptAt"/>.</summary>
    Retrying,
    Delivered,
    /// <summary>Refused for good (another 4xx) or out of attempts.</summary>
    Failed,
    /// <summary>The alert expired before it could be delivered.</summary>
    Expired,
}

/// <summary>
/// One alert to one device. (NotificationId, SubscriptionId) is unique and the row is claimed before the push is sent:
/// two senders, a second announce or a restart cannot push the same alert to the same device twice.
/// </summary>
public sealed class PushDelivery
{
    public const int ErrorMaxLength = 500;

    public long Id { get; set; }
    public long NotificationId { get; set; }
    public long SubscriptionId { get; set; }
    public PushOutcome Outcome { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>The VAPID key pair made at first start when none is configured; one row, so every instance signs with the same key.</summary>
public sealed class PushVapidKey
{
    public const int SingletonId = 1;

    public int Id { get; set; }
    public required string PublicKey { get; set; }
    public required string PrivateKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
