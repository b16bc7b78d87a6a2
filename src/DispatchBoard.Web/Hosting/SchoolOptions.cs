using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Hosting;

public sealed class SchoolOptions : IValidatableObject
{
    public const string Section = "School";

    [Required, StringLength(100, MinimumLength = 1)]
    public string Name { get; set; } = "Riverside School";

    /// <summary>IANA or Windows time zone id; every time is shown in it and days start at its midnight.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"School:TimeZone '{TimeZone}' is not a time zone this machine knows (try an IANA id such as Asia/Shanghai).", [nameof(TimeZone)]);
        }
    }
}
