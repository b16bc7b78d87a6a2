using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// MudBlazor's own words (an alert's, a dialog's and a snackbar's close button, a pager's page names, a required field,
/// a number it cannot read) in the reader's language. MudBlazor asks this localizer for each by its key
/// (<c>MudDialog_Close</c>); the translations are <c>MudComponentsText.{culture}.resx</c> under MudBlazor's keys, and a
/// key not translated (and every key in English) falls back to MudBlazor's own English. <c>TranslationTests</c> checks
/// each translated key is one MudBlazor has, with its places.
/// </summary>
public sealed class MudComponentsText : MudLocalizer
{
    private static readonly ResourceManager Translations = new(typeof(MudComponentsText));

    public override LocalizedString this[string key] =>
        Translations.GetString(key, CultureInfo.CurrentUICulture) is { Length: > 0 } translated
            ? new LocalizedString(key, translated)
            : new LocalizedString(key, key, resourceNotFound: true);
}
