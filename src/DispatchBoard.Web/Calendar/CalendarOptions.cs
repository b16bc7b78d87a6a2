using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Calendar;

/// <summary>The school's working calendar as configured: for now its semesters.</summary>
public sealed class CalendarOptions : IValidatableObject
{
    public const string Section = "Calendar";

    /// <summary>Semesters to add on start when their name is new (then edited on /planning).</summary>
    public List<SemesterSettings> Semesters { get; set; } = [];

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
    }
}

public sealed class SemesterSettings
{
    [Required, StringLength(Semester.NameMaxLength, MinimumLength = 1)]
    public string Name { get; set; } = "";

    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
}
