using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Planning;

public enum PlanPhase
{
    /// <summary>The checklist of everything to do before school opens.</summary>
    PreStart,
    /// <summary>The semester's work after it started, in monthly work accounts.</summary>
    PostStart,
}

public enum PlanCategory
{
    Repairs,
    Purchasing,
    Cleaning,
    Safety,
    Furniture,
    Grounds,
    Events,
    Other,
}

public enum PlanStatus
{
    ToDo,
    Doing,
    Done,
    Dropped,
    /// <summary>Not finished in its month and moved on to the next one (the copy links back).</summary>
    Carried,
}

public sealed class PlanItem
{
    public const int TitleMaxLength = 200;
    public const int NotesMaxLength = 2000;

    public int Id { get; set; }
    public int SemesterId { get; set; }
    public Semester? Semester { get; set; }
    public PlanPhase Phase { get; set; }

    /// <summary>For the post-start plan: the first day of the month whose work account holds it.</summary>
    public DateOnly? Month { get; set; }
    public required string Title { get; set; }
    public PlanCategory Category { get; set; }
    public int? OwnerId { get; set; }
    public StaffMember? Owner { get; set; }
    public DateOnly? DueOn { get; set; }
    public PlanStatus Status { get; set; }
    public string? Notes { get; set; }

    /// <summary>The queue order within its list (pre-start checklist, or one month).</summary>
    public int SortOrder { get; set; }
    public int? CarriedFromId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }

    public List<PlanItemHelper> Helpers { get; } = [];
}

/// <summary>A colleague helping the owner of a plan item; marks their own part done. Only the owner finishes the item.</summary>
public sealed class PlanItemHelper
{
    public int Id { get; set; }
    public int PlanItemId { get; set; }
    public PlanItem? PlanItem { get; set; }
    public int StaffId { get; set; }
    public StaffMember? Staff { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
}
