using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Inspections;

public sealed class InspectionOptions : IValidatableObject
{
    public const string Section = "Inspections";

    /// <summary>When the week's safety rounds are created (cron, school time); rounds are due by the end of that day.</summary>
    public string Schedule { get; set; } = "30 7 * * MON";

    /// <summary>
    /// When rounds already created are checked against the school calendar (cron, school time; also at every start): a
    /// round not yet started whose day has become a holiday moves to the next school day of its week, or is removed.
    /// </summary>
    public string CalendarCheckSchedule { get; set; } = "20 2 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Cron.IsValid(CalendarCheckSchedule))
        {
            yield return new ValidationResult($"Inspections:CalendarCheckSchedule '{CalendarCheckSchedule}' is not a cron expression (e.g. \"20 2 * * *\").");
        }
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Inspections:Schedule '{Schedule}' is not a cron expression (e.g. \"30 7 * * MON\").");
        }
    }
}
