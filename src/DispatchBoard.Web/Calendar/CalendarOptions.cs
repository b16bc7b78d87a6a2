using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Calendar;

/// <summary>The school's calendar as configured: its semesters, and its holidays and make-up days.</summary>
public sealed class CalendarOptions : IValidatableObject
{
    public const string Section = "Calendar";

    /// <summary>Semesters to add on start when their name is new (then edited on /planning).</summary>
    public List<SemesterSettings> Semesters { get; set; } = [];

    /// <summary>Holidays, closures, skeleton days and make-up days to add on start when new (same name and first day).</summary>
    public List<CalendarPeriodSettings> Days { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var semester in Semesters)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(semester, new ValidationContext(semester), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Calendar:Semesters '{semester.Name}': {result.ErrorMessage}");
            }
            if (semester.EndsOn <= semester.StartsOn)
            {
                yield return new ValidationResult($"Calendar:Semesters '{semester.Name}' ends ({semester.EndsOn}) before it starts ({semester.StartsOn}).");
            }
        }
        foreach (var day in Days)
        {
            foreach (var problem in CalendarPeriods.Problems(day.Name, day.Kind, day.From, day.To ?? day.From))
            {
                yield return new ValidationResult($"Calendar:Days '{day.Name}': {problem}");
            }
        }
    }
}

public sealed class SemesterSettings
{
    [Required, StringLength(Semester.NameMaxLength, MinimumLength = 1)]
    public string Name { get; set; } = "";

    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
}

public sealed class CalendarPeriodSettings
{
    public string Name { get; set; } = "";
    public CalendarDayKind Kind { get; set; } = CalendarDayKind.Closure;
    public DateOnly From { get; set; }

    /// <summary>The last day, inclusive; a single day when left out.</summary>
    public DateOnly? To { get; set; }
}
