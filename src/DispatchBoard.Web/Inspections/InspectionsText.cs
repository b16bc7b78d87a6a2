using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Inspections;

/// <summary>The texts of the safety inspection rounds.</summary>
public sealed class InspectionsText
{
    public static readonly Texts L = new(typeof(InspectionsText));
}
