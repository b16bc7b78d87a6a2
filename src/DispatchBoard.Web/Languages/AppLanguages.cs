using System.Globalization;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// The languages the app can be read in: English, the language of the code, and every language a translation is shipped
/// for (a satellite folder of this app, e.g. <c>zh-Hans/DispatchBoard.Web.resources.dll</c>). Adding a language is adding
/// its <c>.resx</c> files; nothing here names one.
/// </summary>
public static class AppLanguages
{
    public const string English = "en";

    public static IReadOnlyList<CultureInfo> Supported { get; } = Discover();

    /// <summary>
    /// Reads and formats in <paramref name="culture"/> until disposed (then back to what it was): for text written for
    /// someone other than whoever is asking, such as an alert for its recipient. Keep the scope free of awaits.
    /// </summary>
    public static Scope Use(CultureInfo culture) => new(culture);

    public readonly struct Scope : IDisposable
    {
        private readonly CultureInfo _culture;
        private readonly CultureInfo _uiCulture;

        internal Scope(CultureInfo culture)
        {
            _culture = CultureInfo.CurrentCulture;
            _uiCulture = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
        }

        public void Dispose()
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _uiCulture;
        }
    }

    /// <summary>The supported language <paramref name="name"/> names, matched case-insensitively; null when it is none of them.</summary>
    public static CultureInfo? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Supported.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>"en, zh-Hans": for messages naming what is accepted.</summary>
    public static string Names => string.Join(", ", Supported.Select(c => c.Name));

    /// <summary>What a language calls itself ("English", "中文(简体)"): a language switch lists each in its own words.</summary>
    public static string OwnName(CultureInfo culture) => culture.Name == English ? "English" : culture.NativeName;

    private static List<CultureInfo> Discover()
    {
        var satellite = typeof(AppLanguages).Assembly.GetName().Name + ".resources.dll";
        var found = new List<CultureInfo> { CultureInfo.GetCultureInfo(English) };
        foreach (var folder in Directory.EnumerateDirectories(AppContext.BaseDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, satellite)) && TryCulture(Path.GetFileName(folder)) is { } culture && culture.Name != English)
            {
                found.Add(culture);
            }
        }
        return found;
    }

    private static CultureInfo? TryCulture(string name)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
