using System.Globalization;
using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// The school's language (<c>School:DefaultCulture</c>): what is written into the database for everyone, such as a
/// ticket's history notes, is in it, whatever the language of the request that wrote it. A person's own words (a note,
/// a comment) stay as they were typed; only the app's words around them follow the school.
/// </summary>
public sealed class SchoolLanguage(IOptions<SchoolOptions> school)
{
    public CultureInfo Culture { get; } = Of(school.Value);

    /// <summary>The school's culture for <paramref name="school"/>: its default language, else English.</summary>
    public static CultureInfo Of(SchoolOptions school) =>
        AppLanguages.Find(school.DefaultCulture) ?? CultureInfo.GetCultureInfo(AppLanguages.English);

    /// <summary>Runs <paramref name="write"/> in the school's language: its <c>L["…"]</c> and formats read the school's culture.</summary>
    public string Write(Func<string> write) => Write(Culture, write);

    /// <inheritdoc cref="Write(Func{string})"/>
    public static string Write(CultureInfo culture, Func<string> write)
    {
        using var _ = AppLanguages.Use(culture);
        return write();
    }
}
