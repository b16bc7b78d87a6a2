using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DispatchBoard.Web.Languages;

namespace DispatchBoard.Tests.Languages;

/// <summary>
/// Every text the code shows (<c>L["…"]</c>) is translated in every language the app ships, and every translation is
/// one the code still shows: read from the source, so a text added without its translation, or a translation left
/// behind by a text changed, fails here with its file and words.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string Web = Path.Combine(Repository(), "src", "DispatchBoard.Web");

    [Fact]
    public void TheAppShipsEnglishAndSimplifiedChinese_FoundFromItsTranslations()
    {
        Assert.Equal(["en", "zh-Hans"], AppLanguages.Supported.Select(c => c.Name));
        Assert.Equal("zh-Hans", AppLanguages.Find("ZH-HANS")!.Name);
        Assert.Null(AppLanguages.Find("fr"));
        Assert.Null(AppLanguages.Find(""));
    }

    [Fact]
    public void EveryTextInTheCode_IsInEveryTranslation_AndEveryTranslatedTextIsInTheCode()
    {
        var used = TextsInTheCode();
        Assert.Contains("TicketsText", used.Keys);
        var problems = new List<string>();
        foreach (var (marker, texts) in used)
        {
            // A .resx's names are case-insensitive: "Planned" and "planned" are one name, and the build refuses the second.
            problems.AddRange(texts.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"{marker}: the texts {string.Join(" and ", g.Select(k => $"\"{k}\""))} differ only in case; a .resx cannot hold both"));
            var folder = MarkerFolder(marker);
            var neutral = Entries(Path.Combine(folder, marker + ".resx"));
            if (neutral.Count > 0)
            {
                problems.Add($"{marker}.resx must stay empty (English is the text in the code): it has {string.Join(", ", neutral.Keys)}");
            }
            foreach (var culture in AppLanguages.Supported.Where(c => c.Name != AppLanguages.English))
            {
                var file = Path.Combine(folder, $"{marker}.{culture.Name}.resx");
                var translated = Entries(file);
                problems.AddRange(texts.Keys.Where(k => !translated.ContainsKey(k))
                    .Select(k => $"{Path.GetFileName(file)} has no translation of \"{k}\" (used in {texts[k]})"));
                problems.AddRange(translated.Keys.Where(k => !texts.ContainsKey(k))
                    .Select(k => $"{Path.GetFileName(file)} translates \"{k}\", which the code no longer shows"));
                problems.AddRange(translated.Where(t => texts.ContainsKey(t.Key) && !SamePlaces(t.Key, t.Value))
                    .Select(t => $"{Path.GetFileName(file)}: \"{t.Value}\" does not have the places of \"{t.Key}\""));
                problems.AddRange(translated.Where(t => texts.ContainsKey(t.Key) && !FormatsWithItsPlaces(t.Key, t.Value))
                    .Select(t => $"{Path.GetFileName(file)}: \"{t.Value}\" cannot be filled in (a brace without its pair?)"));
                problems.AddRange(translated.Where(t => string.IsNullOrWhiteSpace(t.Value))
                    .Select(t => $"{Path.GetFileName(file)}: \"{t.Key}\" is translated as nothing"));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void MudBlazorsOwnWords_AreTranslatedUnderKeysMudBlazorHas_WithTheirPlaces()
    {
        // MudBlazor's English, from its own resources: the source of the keys and of the places each must keep.
        var english = new System.Resources.ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudButton).Assembly);
        var folder = MarkerFolder(nameof(MudComponentsText));
        Assert.Empty(Entries(Path.Combine(folder, "MudComponentsText.resx")));
        var problems = new List<string>();
        foreach (var culture in AppLanguages.Supported.Where(c => c.Name != AppLanguages.English))
        {
            var translated = Entries(Path.Combine(folder, $"MudComponentsText.{culture.Name}.resx"));
            Assert.Contains("MudDialog_Close", translated.Keys);
            foreach (var (key, value) in translated)
            {
                var original = english.GetString(key, CultureInfo.InvariantCulture);
                if (original is null)
                {
                    problems.Add($"MudComponentsText.{culture.Name}.resx: MudBlazor has no text \"{key}\"");
                }
                else if (!SamePlaces(original, value) || string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"MudComponentsText.{culture.Name}.resx: \"{value}\" does not have the places of \"{original}\" ({key})");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void MudBlazor_AsksForItsWords_InTheReadersLanguage_AndFallsBackToItsEnglish()
    {
        var localizer = new MudComponentsText();
        using (Culture("zh-Hans"))
        {
            Assert.Equal("关闭对话框", localizer["MudDialog_Close"].Value);
            Assert.False(localizer["MudDialog_Close"].ResourceNotFound);
            Assert.True(localizer["MudDataGrid_Columns"].ResourceNotFound);
        }
        using (Culture("en"))
        {
            Assert.True(localizer["MudDialog_Close"].ResourceNotFound);
        }
    }

    [Fact]
    public void EveryTextIsALiteralAtItsCall_SoThisTestCanReadIt()
    {
        var problems = new List<string>();
        foreach (var file in SourceFiles())
        {
            foreach (Match call in NotALiteral().Matches(Code(file)))
            {
                problems.Add($"{Relative(file)}: {call.Value}… (write the English text itself: L[\"…\"])");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void AText_ReadsInTheCurrentUiLanguage_FillsItsPlacesInThatCulture_AndFallsBackToEnglish()
    {
        var texts = new Texts(typeof(DispatchBoard.Web.Tickets.TicketsText));
        using (Culture("zh-Hans"))
        {
            Assert.Equal("我要报修", texts["Report a problem"]);
            Assert.Equal("没有编号为“Z9”的地点。", texts["There is no area with the code '{0}'.", "Z9"]);
            Assert.Equal("A text no one translated", texts["A text no one translated"]);
        }
        using (Culture("zh-CN"))
        {
            // A browser's zh-CN reads the zh-Hans translation (its parent culture).
            Assert.Equal("我要报修", texts["Report a problem"]);
        }
        using (Culture("en"))
        {
            Assert.Equal("Report a problem", texts["Report a problem"]);
            Assert.Equal("There is no area with the code 'Z9'.", texts["There is no area with the code '{0}'.", "Z9"]);
        }
    }

    /// <summary>The texts each marker's <c>L</c> is called with, and a file that calls it with each.</summary>
    private static Dictionary<string, Dictionary<string, string>> TextsInTheCode()
    {
        var used = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            var calls = TextCall().Matches(Code(file));
            if (calls.Count == 0)
            {
                continue;
            }
            var marker = MarkerOf(file) ?? throw new InvalidOperationException(
                $"{Relative(file)} calls L[…] without a 'using static DispatchBoard.Web.….…Text' in it or in its folder's _Imports.razor.");
            var texts = used.TryGetValue(marker, out var known) ? known : used[marker] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match call in calls)
            {
                texts.TryAdd(Regex.Unescape(call.Groups["text"].Value), Relative(file));
            }
        }
        return used;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "_Imports.razor");

    /// <summary>A file's code without its comments (a comment may show how to call <c>L</c>).</summary>
    private static string Code(string file)
    {
        var text = File.ReadAllText(file);
        text = RazorComment().Replace(text, "");
        return string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
    }

    private static string? MarkerOf(string file)
    {
        if (UsingMarker().Match(File.ReadAllText(file)) is { Success: true } own)
        {
            return own.Groups["marker"].Value;
        }
        if (!file.EndsWith(".razor", StringComparison.Ordinal))
        {
            return null;
        }
        for (var folder = Path.GetDirectoryName(file); folder is not null && folder.StartsWith(Web, StringComparison.Ordinal); folder = Path.GetDirectoryName(folder))
        {
            var imports = Path.Combine(folder, "_Imports.razor");
            if (File.Exists(imports) && UsingMarker().Match(File.ReadAllText(imports)) is { Success: true } inherited)
            {
                return inherited.Groups["marker"].Value;
            }
        }
        return null;
    }

    private static string MarkerFolder(string marker) =>
        Path.GetDirectoryName(Directory.EnumerateFiles(Web, marker + ".cs", SearchOption.AllDirectories).Single())!;

    private static Dictionary<string, string> Entries(string resx) =>
        File.Exists(resx)
            ? XDocument.Load(resx).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal)
            : throw new FileNotFoundException($"Missing translation file {resx}");

    private static bool SamePlaces(string english, string translated) =>
        Places().Matches(english).Select(m => m.Value).Order().SequenceEqual(Places().Matches(translated).Select(m => m.Value).Order());

    /// <summary>A text with places is filled in with string.Format: its translation must format with as many values.</summary>
    private static bool FormatsWithItsPlaces(string english, string translated)
    {
        var places = Places().Matches(english).Select(m => int.Parse(m.Value[1..].TakeWhile(char.IsDigit).ToArray(), CultureInfo.InvariantCulture)).ToList();
        if (places.Count == 0)
        {
            return true;
        }
        try
        {
            _ = string.Format(CultureInfo.InvariantCulture, translated, Enumerable.Repeat<object?>(1, places.Max() + 1).ToArray());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(Web, file);

    private static string Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DispatchBoard.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository (DispatchBoard.sln) is not above the test's folder.");
    }

    private static CultureSwitch Culture(string name) => new(CultureInfo.GetCultureInfo(name));

    private sealed class CultureSwitch : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        public CultureSwitch(CultureInfo culture) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;

        public void Dispose()
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _uiCulture;
        }
    }

    [GeneratedRegex("""\bL\[\s*"(?<text>(?:[^"\\]|\\.)*)"\s*[,\]]""")]
    private static partial Regex TextCall();

    [GeneratedRegex("""\bL\[\s*(?!")[^\]]{0,30}""")]
    private static partial Regex NotALiteral();

    [GeneratedRegex(@"using static DispatchBoard\.Web\.[\w.]+\.(?<marker>\w+Text);?\s*$", RegexOptions.Multiline)]
    private static partial Regex UsingMarker();

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Places();
}
