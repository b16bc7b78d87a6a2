using System.Globalization;
using System.Resources;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// A feature's texts in the reader's language. English is the text written in the code, which is also the key; each
/// other language is a <c>.resx</c> next to the feature's marker class (<c>Tickets/TicketsText.zh-Hans.resx</c>), and
/// the marker's neutral <c>.resx</c> stays empty. The language is the current UI culture: the request's (a page, an API
/// call, a circuit). A text not translated shows in English.
/// </summary>
/// <remarks>
/// Each feature exposes one instance as <c>L</c> (<c>public static readonly Texts L = new(typeof(TicketsText))</c>),
/// brought in with <c>using static</c> in its <c>.cs</c> files and its folder's <c>_Imports.razor</c>:
/// <c>L["Report a problem"]</c>, <c>L["There is no area with the code '{0}'.", code]</c>. Keep the text a literal at the
/// call: <c>TranslationTests</c> reads every <c>L["…"]</c> in the code and checks each language has exactly those keys.
/// </remarks>
public sealed class Texts(Type marker)
{
    private readonly ResourceManager _resources = new(marker);

    public string this[string english] =>
        _resources.GetString(english, CultureInfo.CurrentUICulture) is { Length: > 0 } translated ? translated : english;

    /// <summary>A text with places (<c>{0}</c>, <c>{1:N0}</c>) filled in the current culture's format.</summary>
    public string this[string english, params object?[] args] => string.Format(CultureInfo.CurrentCulture, this[english], args);
}
