using System.Globalization;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// A text sent to someone (an alert's title or body): either as it is (a person's own words, a name) or written in its
/// reader's language at the moment it is stored (<see cref="Write"/>), not in the language of whoever caused it.
/// </summary>
public readonly struct ReaderText
{
    private readonly string? _text;
    private readonly Func<string?>? _write;

    private ReaderText(string? text, Func<string?>? write)
    {
        _text = text;
        _write = write;
    }

    public static implicit operator ReaderText(string? text) => new(text, null);

    /// <summary>Written by <paramref name="write"/> for each reader: its <c>L["…"]</c> and formats read their culture.</summary>
    public static ReaderText Write(Func<string?> write) => new(null, write);

    /// <summary>True when the text depends on who reads it.</summary>
    public bool ForReader => _write is not null;

    /// <summary>The text for a reader of <paramref name="culture"/>.</summary>
    public string? In(CultureInfo culture)
    {
        if (_write is null)
        {
            return _text;
        }
        using var _ = AppLanguages.Use(culture);
        return _write();
    }

    /// <summary>The text in the current culture (a test, a log line).</summary>
    public override string ToString() => In(CultureInfo.CurrentUICulture) ?? "";
}
