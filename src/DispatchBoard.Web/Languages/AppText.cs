namespace DispatchBoard.Web.Languages;

/// <summary>The texts of the app's shell (header, menu, language switch) and of the checks every feature shares.</summary>
public sealed class AppText
{
    public static readonly Texts L = new(typeof(AppText));
}
