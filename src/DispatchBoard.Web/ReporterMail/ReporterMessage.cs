namespace DispatchBoard.Web.ReporterMail;

/// <summary>The steps of a ticket a reporter hears about by e-mail.</summary>
public enum ReporterStep
{
    Claimed,
    OnSite,
    Resolved,
    /// <summary>The principal's office approved, rejected or deferred the job.</summary>
    Decision,
    /// <summary>The report was joined with another report of the same problem.</summary>
    Merged,
}

public enum ReporterMessageStatus
{
    Pending,
    Sending,
    Sent,
    /// <summary>The reporter stopped e-mails for this report after it was staged: never sent.</summary>
    Stopped,
    /// <summary>Given up after the last retry, or interrupted mid-send (not sent again, so nobody gets it twice).</summary>
    Failed,
}

/// <summary>
/// One e-mail to one reporter address about one step of a ticket: the outbox. Staged in the ticket's own transaction
/// (so a step and its e-mail are stored together or not at all), sent after the commit by <see cref="ReporterMailDelivery"/>.
/// (<see cref="TicketId"/>, <see cref="Version"/>, <see cref="Step"/>, <see cref="ToAddress"/>) is unique, and each send
/// is claimed by a conditional update first: however often or concurrently the sender runs, a message goes once.
/// </summary>
public sealed class ReporterMessage
{
    public const int AddressMaxLength = Tickets.Ticket.ReporterContactMaxLength;
    public const int SubjectMaxLength = 300;
    public const int BodyMaxLength = 8000;
    public const int ErrorMaxLength = 500;

    public long Id { get; set; }

    /// <summary>The ticket whose step it is (for a merged report: the one that was merged).</summary>
    public int TicketId { get; set; }
    public int Version { get; set; }
    public ReporterStep Step { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }

    /// <summary>The row the address came from (a ticket, or a "me too" report); its stop flag is checked before sending.</summary>
    public int? RecipientTicketId { get; set; }
    public int? RecipientReportId { get; set; }

    /// <summary>The recipient's own tracking code: their stop link names it.</summary>
    public required string RecipientCode { get; set; }

    public required string Subject { get; set; }

    /// <summary>The text without the footer; the stop link is added when it is sent.</summary>
    public required string Body { get; set; }

    public ReporterMessageStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}
