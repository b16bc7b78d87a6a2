using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Reports;

/// <summary>The texts of the office's reports, their printed monthly report and their CSV files.</summary>
public sealed class ReportsText
{
    public static readonly Texts L = new(typeof(ReportsText));
}
