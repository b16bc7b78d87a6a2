using System.Globalization;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

/// <summary>
/// The roster's words in the reader's language. A slot's <see cref="RosterSlot.Label"/> ("Mon 07:30–12:00") stays
/// English: it is stored (who switched a person's duty) and written to the audit log; pages show <see cref="Slot"/>.
/// </summary>
public static class RosterText
{
    /// <summary>"Standby", "On call".</summary>
    public static string Label(this RosterKind kind) => kind == RosterKind.OnCall ? L["On call"] : L["Standby"];

    /// <summary>"Monday".</summary>
    public static string DayName(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day);

    /// <summary>"Mon 07:30–12:00" from a slot's label and its day, the day in the reader's language ("周一 07:30–12:00").</summary>
    public static string Slot(DayOfWeek day, string label) =>
        $"{CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedDayName(day)} {Times(label)}";

    public static string Slot(RosterSlot slot) => Slot(slot.Day, slot.Label);

    public static string Slot(RosterOccurrence o) => Slot(o.Date.DayOfWeek, o.Label);

    /// <summary>"07:30–12:00": a slot label without its day.</summary>
    public static string Times(string label) => label[(label.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    /// <summary>A label in lower case where the language has cases ("on a job"); Chinese is unchanged.</summary>
    public static string Lower(string text) => CultureInfo.CurrentCulture.TextInfo.ToLower(text);
}
