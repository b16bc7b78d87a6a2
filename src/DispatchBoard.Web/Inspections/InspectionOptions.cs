using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Inspections;

public sealed class InspectionOptions : IValidatableObject
{
    public const string Section = "Inspections";

    /// <summary>When the week's safety rounds are created (cron, school time); rounds are due by the end of that day.</summary>
    public string Schedule { get; set; } = "30 7 * * MON";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Inspections:Schedule '{Schedule}' is not a cron expression (e.g. \"30 7 * * MON\").");
        }
    }
}
