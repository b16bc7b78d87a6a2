using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Calendar;

/// <summary>
/// The bell schedule as configured (Calendar:Bells): per weekday the lesson periods as "HH:mm-HH:mm" in school time,
/// read like <see cref="WorkingHoursOptions"/>. A weekday left out keeps its default (Monday–Friday a Chinese school
/// day: four lessons in the morning with the big break for exercises after the second, three in the afternoon; no
/// lessons at the weekend); an empty list or ["closed"] means no lessons that day.
/// </summary>
/// <remarks>Nullable lists for the same reason as <see cref="WorkingHoursOptions"/>: the binder appends to a list it finds.</remarks>
public sealed class BellOptions : IValidatableObject
{
    public const string Section = "Calendar:Bells";

    public static readonly string[] SchoolDayDefault =
        ["08:00-08:45", "08:55-09:40", "10:00-10:45", "10:55-11:40", "14:00-14:45", "14:55-15:40", "15:50-16:35"];

    public string[]? Monday { get; set; }
    public string[]? Tuesday { get; set; }
    public string[]? Wednesday { get; set; }
    public string[]? Thursday { get; set; }
    public string[]? Friday { get; set; }
    public string[]? Saturday { get; set; }
    public string[]? Sunday { get; set; }

    /// <summary>The configured or default lesson periods of a weekday.</summary>
    public string[] PeriodsOf(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday ?? SchoolDayDefault,
        DayOfWeek.Tuesday => Tuesday ?? SchoolDayDefault,
        DayOfWeek.Wednesday => Wednesday ?? SchoolDayDefault,
        DayOfWeek.Thursday => Thursday ?? SchoolDayDefault,
        DayOfWeek.Friday => Friday ?? SchoolDayDefault,
        DayOfWeek.Saturday => Saturday ?? [],
        _ => Sunday ?? [],
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            WorkingHoursOptions.TryParse(PeriodsOf(day), out _, out var errors);
            foreach (var error in errors)
            {
                yield return new ValidationResult($"{Section}:{day} {error}", [day.ToString()]);
            }
        }
    }
}
