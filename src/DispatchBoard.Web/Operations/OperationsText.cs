using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Operations;

/// <summary>The texts of the system page and the admin pages' attention banner.</summary>
public sealed class OperationsText
{
    public static readonly Texts L = new(typeof(OperationsText));
}
