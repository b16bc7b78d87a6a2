using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Staff;

public sealed class RosterOptions : IValidatableObject
{
    public const string Section = "Roster";

    /// <summary>When the roster sweep runs (cron, school time): it puts people on and off duty at the edges of their standby slots.</summary>
    public string Schedule { get; set; } = "* * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Roster:Schedule '{Schedule}' is not a cron expression.", [nameof(Schedule)]);
        }
    }
}
