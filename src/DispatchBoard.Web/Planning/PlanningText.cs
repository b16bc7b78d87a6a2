using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Planning;

/// <summary>The texts of the semester plan, planned work and suggestions.</summary>
public sealed class PlanningText
{
    public static readonly Texts L = new(typeof(PlanningText));
}
