using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Areas;

/// <summary>The texts of the school's areas, their import and their QR posters.</summary>
public sealed class AreasText
{
    public static readonly Texts L = new(typeof(AreasText));
}
