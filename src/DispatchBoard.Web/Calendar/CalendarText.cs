using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Calendar;

/// <summary>The texts of the school calendar: semesters, holidays and their import.</summary>
public sealed class CalendarText
{
    public static readonly Texts L = new(typeof(CalendarText));
}
