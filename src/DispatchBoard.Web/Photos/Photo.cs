using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Photos;

public enum PhotoKind
{
    /// <summary>Taken by the reporter with the report: the reporter may see it.</summary>
    Report,
    /// <summary>Taken by staff when resolving.</summary>
    Resolution,
    /// <summary>Taken on a safety round.</summary>
    Inspection,
    /// <summary>With an internal note on a ticket: staff only.</summary>
    Note,
}

/// <summary>A photo's record; the bytes are a file under the data directory with a server-made name.</summary>
public sealed class Photo
{
    public int Id { get; set; }
    public int? TicketId { get; set; }
    public Ticket? Ticket { get; set; }

    /// <summary>The ticket event (an internal note) the photo belongs to; null for report and resolution photos.</summary>
    public long? TicketEventId { get; set; }
    public TicketEvent? TicketEvent { get; set; }

    /// <summary>Set for a photo taken on a safety round (of a hazard, or of a check).</summary>
    public int? InspectionItemId { get; set; }
    public PhotoKind Kind { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public long Length { get; set; }

    /// <summary>The thumbnail beside it; null for photos stored before thumbnails were made (the full file stands in).</summary>
    public string? ThumbnailName { get; set; }
    public long ThumbnailLength { get; set; }

    /// <summary>The anonymous uploader's <see cref="Hosting.ClientNetwork.KeyOf(string?)"/> key, for the per-network day quota; null for staff.</summary>
    public string? ClientNetwork { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}
