using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Inspections;

/// <summary>One line of an area kind's safety checklist, editable by the administrator.</summary>
public sealed class ChecklistItemTemplate
{
    public const int TextMaxLength = 200;

    public int Id { get; set; }
    public AreaKind Kind { get; set; }
    public required string Text { get; set; }
    public int SortOrder { get; set; }
}

/// <summary>The week's safety round of one area group (a floor, an outdoor zone, a building without floors).</summary>
public sealed class InspectionRound
{
    public int Id { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }

    /// <summary>The Monday (school time) of the round's week; with the area, unique: one round per group per week.</summary>
    public DateOnly WeekOf { get; set; }
    public DateTimeOffset ScheduledFor { get; set; }

    /// <summary>The end of the inspection day at the school.</summary>
    public DateTimeOffset DueAt { get; set; }
    public int? AssignedToId { get; set; }
    public StaffMember? AssignedTo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<InspectionItem> Items { get; } = [];
}

public enum InspectionResult
{
    Pending,
    Ok,
    Hazard,
    NotApplicable,
}

public sealed class InspectionItem
{
    public const int NoteMaxLength = 1000;

    public int Id { get; set; }
    public int RoundId { get; set; }
    public InspectionRound? Round { get; set; }

    /// <summary>The room or place this check is for.</summary>
    public int AreaId { get; set; }
    public required string Text { get; set; }
    public int SortOrder { get; set; }
    public InspectionResult Result { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? CheckedAt { get; set; }
    public int? CheckedById { get; set; }

    /// <summary>The ticket a hazard became (open, or resolved on the spot).</summary>
    public int? TicketId { get; set; }
}
