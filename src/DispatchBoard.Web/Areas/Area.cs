using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Areas;

/// <summary>Where an area sits in the campus tree.</summary>
public enum AreaLevel
{
    Campus,
    Building,
    Floor,
    Room,
    Outdoor,
}

/// <summary>What an area is used for.</summary>
public enum AreaKind
{
    General,
    Classroom,
    Office,
    ConferenceRoom,
    Restroom,
    Stairwell,
    Playground,
    Canteen,
    Dormitory,
    Other,
}

public sealed class Area
{
    public const int CodeMaxLength = 16;
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int? ParentId { get; set; }
    public Area? Parent { get; set; }
    public AreaLevel Level { get; set; }
    public AreaKind Kind { get; set; }
    public int SortOrder { get; set; }
    public bool IsRetired { get; set; }

    /// <summary>The staff member responsible; when empty, the nearest ancestor's owner is.</summary>
    public int? OwnerId { get; set; }
    public StaffMember? Owner { get; set; }

    /// <summary>Who covers when the owner is off duty; when empty, the nearest ancestor's backup.</summary>
    public int? BackupId { get; set; }
    public StaffMember? Backup { get; set; }

    /// <summary>
    /// Lessons are taught here (a classroom, a lab): a non-urgent repair waits for a break. Not inherited: a floor or a
    /// building is not a teaching room because its rooms are.
    /// </summary>
    public bool IsTeachingRoom { get; set; }
}
