using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Escalations;

/// <summary>The texts of escalations to the principal and the principal's decisions.</summary>
public sealed class EscalationsText
{
    public static readonly Texts L = new(typeof(EscalationsText));
}
