namespace DispatchBoard.Web.Notifications;

public enum NotificationKind
{
    /// <summary>A new ticket was sent to you first (you own or cover its area).</summary>
    Routed,
    /// <summary>A ticket is past its response target and still unclaimed.</summary>
    Overdue,
    /// <summary>A job was put to the principal's office.</summary>
    Escalated,
    /// <summary>The principal decided on your escalation.</summary>
    Decision,
    /// <summary>The reporter says a job you resolved is not fixed.</summary>
    Reopened,
    /// <summary>A dispatcher assigned a job to you.</summary>
    Assigned,
    /// <summary>A meeting or a safety round is coming up.</summary>
    Reminder,
    /// <summary>The dispatcher corrected the details of a job you lead.</summary>
    Corrected,
    /// <summary>Someone else wrote an internal note on a job you lead.</summary>
    Note,
    /// <summary>The dispatcher merged a job you lead into another report of the same problem.</summary>
    Merged,
}

/// <summary>One alert for one person, kept until read. <see cref="Key"/> is unique: the same alert is never stored twice.</summary>
public sealed class Notification
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 1000;
    public const int KeyMaxLength = 200;

    public long Id { get; set; }
    public required string UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public int? TicketId { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public required string Key { get; set; }

    /// <summary>When the alert stops being useful (a meeting reminder once the meeting starts): channels do not deliver it after.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>About an urgent report or a safety hazard: pushed with high urgency, so a sleeping phone wakes for it.</summary>
    public bool Urgent { get; set; }
}
