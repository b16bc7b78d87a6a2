using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Staff;

/// <summary>The texts of duty, rosters and the people pages.</summary>
public sealed class StaffText
{
    public static readonly Texts L = new(typeof(StaffText));
}
