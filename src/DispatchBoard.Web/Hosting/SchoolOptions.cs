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

    /// <summary>The address people reach the app at; QR posters point to {PublicBaseUrl}/r/{areaCode}.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// The logistics office's phone number, shown to a reporter who cannot report online right now (rate-limited, photos
    /// refused); empty when the school has none to publish.
    /// </summary>
    [StringLength(40)]
    public string? OfficePhone { get; set; }

    /// <summary>
    /// The language of people who chose none and whose browser asks for none the app has: <c>en</c> or
    /// <c>zh-Hans</c>, or any language a translation is shipped for.
    /// </summary>
    [Required]
    public string DefaultCulture { get; set; } = Languages.AppLanguages.English;

    public Uri ReportLink(string areaCode) => new(new Uri(PublicBaseUrl.TrimEnd('/') + "/"), $"r/{Uri.EscapeDataString(areaCode)}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(baseUrl.Query))
        {
            yield return new ValidationResult($"School:PublicBaseUrl '{PublicBaseUrl}' must be an absolute http(s) address such as https://dispatch.school.example.", [nameof(PublicBaseUrl)]);
        }
        if (Languages.AppLanguages.Find(DefaultCulture) is null)
        {
            yield return new ValidationResult($"School:DefaultCulture '{DefaultCulture}' is not a language of this app; use one of {Languages.AppLanguages.Names}.", [nameof(DefaultCulture)]);
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"School:TimeZone '{TimeZone}' is not a time zone this machine knows (try an IANA id such as Asia/Shanghai).", [nameof(TimeZone)]);
        }
    }
}
