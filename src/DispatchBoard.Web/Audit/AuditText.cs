using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Audit;

/// <summary>The texts of the audit log page.</summary>
public sealed class AuditText
{
    public static readonly Texts L = new(typeof(AuditText));
}
