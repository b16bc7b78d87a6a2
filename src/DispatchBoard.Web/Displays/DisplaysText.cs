using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Displays;

/// <summary>The texts of the office screens and their pairing.</summary>
public sealed class DisplaysText
{
    public static readonly Texts L = new(typeof(DisplaysText));
}
