using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Data;

/// <summary>The demo school's names and words in each language (Demo:Culture).</summary>
public sealed class DemoText
{
    public static readonly Texts L = new(typeof(DemoText));
}
