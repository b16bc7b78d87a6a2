namespace DispatchBoard.Web.Reminders;

public enum ReminderKind
{
    Meeting,
    InspectionDay,
    RoundOverdue,
}

/// <summary>
/// One reminder to one person. <see cref="Key"/> is unique (meeting or round, person, offset): whatever runs the sweep,
/// twice, concurrently or after a restart, each reminder exists once and its e-mail is claimed by one sender.
/// </summary>
public sealed class Reminder
{
    public const int KeyMaxLength = 200;

    public long Id { get; set; }
    public required string Key { get; set; }
    public ReminderKind Kind { get; set; }
    public required string UserId { get; set; }
    public int? MeetingId { get; set; }
    public int? RoundId { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EmailClaimedAt { get; set; }
    public DateTimeOffset? EmailedAt { get; set; }
    public string? EmailError { get; set; }
}
