namespace DispatchBoard.Web.Staff;

/// <summary>What a roster slot asks of its person.</summary>
public enum RosterKind
{
    /// <summary>On duty in the office's working hours: the roster switches the person on and off at the slot's edges (school days only).</summary>
    Standby,

    /// <summary>Out-of-hours cover: urgent reports go to this person (every day, holidays included). Does not switch duty.</summary>
    OnCall,
}

/// <summary>
/// A weekly recurring slot of the duty roster, in school time. The times are minutes after midnight; an end at or
/// before the start runs overnight into the next day, and an end of 1440 ("24:00") is the midnight that ends the day.
/// </summary>
public sealed class RosterSlot
{
    public const int MinutesPerDay = 1440;

    public int Id { get; set; }
    public int StaffId { get; set; }
    public StaffMember? Staff { get; set; }
    public DayOfWeek Day { get; set; }
    public int StartMinute { get; set; }
    public int EndMinute { get; set; }
    public RosterKind Kind { get; set; }

    /// <summary>How long one occurrence lasts on the wall clock (an overnight slot crosses midnight).</summary>
    public int LengthMinutes => EndMinute > StartMinute ? EndMinute - StartMinute : EndMinute + MinutesPerDay - StartMinute;

    /// <summary>"Mon 07:30–12:00".</summary>
    public string Label => $"{Day.ToString()[..3]} {Roster.FormatMinute(StartMinute)}–{Roster.FormatMinute(EndMinute)}";
}

/// <summary>The occurrence of a slot that starts on <see cref="Date"/> is covered by <see cref="SubstituteId"/> instead of the slot's owner.</summary>
public sealed class RosterSwap
{
    public int Id { get; set; }
    public int SlotId { get; set; }
    public RosterSlot? Slot { get; set; }
    public DateOnly Date { get; set; }
    public int SubstituteId { get; set; }
    public StaffMember? Substitute { get; set; }
}
