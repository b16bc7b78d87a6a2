using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace DispatchBoard.Web.Calendar;

/// <summary>
/// The school's working hours as configured (Calendar:WorkingHours): per weekday a list of "HH:mm-HH:mm" ranges in
/// school time, plus the hours of a skeleton holiday and of a make-up day. A setting left out keeps its default
/// (Monday–Friday 07:30–17:30, weekends and holidays closed, make-up days 07:30–17:30); an empty list or ["closed"]
/// closes a day. A range may end at "24:00" (midnight at the end of the day; "00:00" as an end means the same), so
/// "00:00-24:00" on every day is a school that never closes.
/// </summary>
/// <remarks>
/// The lists are nullable rather than initialised with the defaults because the configuration binder appends to a
/// list it finds, so a configured Monday would be added to the default one instead of replacing it.
/// </remarks>
public sealed class WorkingHoursOptions : IValidatableObject
{
    public const string Section = "Calendar:WorkingHours";

    /// <summary>The word that, as a day's only entry, closes the day.</summary>
    public const string Closed = "closed";

    private static readonly string[] SchoolDayDefault = ["07:30-17:30"];

    public string[]? Monday { get; set; }
    public string[]? Tuesday { get; set; }
    public string[]? Wednesday { get; set; }
    public string[]? Thursday { get; set; }
    public string[]? Friday { get; set; }
    public string[]? Saturday { get; set; }
    public string[]? Sunday { get; set; }

    /// <summary>Hours on a skeleton day (a holiday with a few staff in); closed unless set.</summary>
    public string[]? Holiday { get; set; }

    /// <summary>Hours on a make-up day (a weekend day that is a school day).</summary>
    public string[]? MakeUpDay { get; set; }

    /// <summary>The configured or default ranges of a weekday, by the setting's name.</summary>
    public string[] RangesOf(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday ?? SchoolDayDefault,
        DayOfWeek.Tuesday => Tuesday ?? SchoolDayDefault,
        DayOfWeek.Wednesday => Wednesday ?? SchoolDayDefault,
        DayOfWeek.Thursday => Thursday ?? SchoolDayDefault,
        DayOfWeek.Friday => Friday ?? SchoolDayDefault,
        DayOfWeek.Saturday => Saturday ?? [],
        _ => Sunday ?? [],
    };

    public string[] HolidayRanges => Holiday ?? [];
    public string[] MakeUpDayRanges => MakeUpDay ?? SchoolDayDefault;

    /// <summary>Every setting by its name with the ranges it stands for (defaults included).</summary>
    public IEnumerable<(string Name, string[] Ranges)> All()
    {
        foreach (var day in WeekFromMonday)
        {
            yield return (day.ToString(), RangesOf(day));
        }
        yield return (nameof(Holiday), HolidayRanges);
        yield return (nameof(MakeUpDay), MakeUpDayRanges);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var anyHours = false;
        foreach (var (name, ranges) in All())
        {
            anyHours |= TryParse(ranges, out var parsed, out var errors) && parsed.Count > 0 && name is not (nameof(Holiday) or nameof(MakeUpDay));
            foreach (var error in errors)
            {
                yield return new ValidationResult($"{Section}:{name} {error}", [name]);
            }
        }
        if (!anyHours)
        {
            // Every target, deadline and opening time needs a school day to come.
            yield return new ValidationResult($"{Section}: every weekday is closed; give at least one day working hours (e.g. Monday [\"07:30-17:30\"]).");
        }
    }

    /// <summary>
    /// Reads a day's ranges ("07:30-12:00", "13:00-17:30"; or the single word "closed") into times sorted by start.
    /// Each error is the rest of a sentence that begins with the setting's name.
    /// </summary>
    public static bool TryParse(IEnumerable<string?> texts, out IReadOnlyList<(TimeOnly Start, TimeOnly End)> ranges, out IReadOnlyList<string> errors)
    {
        var parsed = new List<(TimeOnly Start, TimeOnly End, string Text)>();
        var problems = new List<string>();
        var entries = texts.Select(t => t?.Trim() ?? "").ToList();
        if (entries.Count == 1 && string.Equals(entries[0], Closed, StringComparison.OrdinalIgnoreCase))
        {
            entries.Clear();
        }
        foreach (var text in entries)
        {
            var parts = text.Split('-');
            if (parts.Length != 2 || parts[0].Trim() == "24:00" || !TryTime(parts[0], out var start) || !TryTime(parts[1], out var end))
            {
                problems.Add($"'{text}' is not a time range like 07:30-17:30.");
                continue;
            }
            if (EndOf(end) <= start.ToTimeSpan())
            {
                problems.Add($"'{text}' ends before it starts (a range cannot cross midnight).");
                continue;
            }
            parsed.Add((start, end, text));
        }
        parsed.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < parsed.Count; i++)
        {
            if (parsed[i].Start.ToTimeSpan() < EndOf(parsed[i - 1].End))
            {
                problems.Add($"'{parsed[i - 1].Text}' overlaps '{parsed[i].Text}'.");
            }
        }
        ranges = parsed.Select(p => (p.Start, p.End)).ToList();
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>How long after the day's start a range's end is: an end of 00:00 is midnight at the end of the day.</summary>
    public static TimeSpan EndOf(TimeOnly end) => end == TimeOnly.MinValue ? TimeSpan.FromDays(1) : end.ToTimeSpan();

    /// <summary>A range's end as people write it: "24:00" for midnight at the end of the day.</summary>
    public static string FormatEnd(TimeOnly end) =>
        end == TimeOnly.MinValue ? "24:00" : end.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static bool TryTime(string text, out TimeOnly time)
    {
        text = text.Trim();
        if (text == "24:00")
        {
            time = TimeOnly.MinValue;
            return true;
        }
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static readonly DayOfWeek[] WeekFromMonday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];
}
