namespace DispatchBoard.Web.Calendar;

/// <summary>
/// A stretch of the school calendar that differs from the usual week: a holiday or closure (no work), a skeleton day
/// (a holiday with the Calendar:WorkingHours:Holiday hours) or a make-up working day (a weekend day that is a school day).
/// Whole days, <see cref="From"/> to <see cref="To"/> inclusive, in the school's time zone.
/// </summary>
public sealed class CalendarPeriod
{
    public const int NameMaxLength = 100;

    /// <summary>The longest stretch one entry may cover (a summer break fits; a typo in the year does not).</summary>
    public const int MaxDays = 120;

    public int Id { get; set; }
    public required string Name { get; set; }
    public CalendarDayKind Kind { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }

    /// <summary>Each day of the entry, as the working calendar reads it.</summary>
    public IEnumerable<CalendarDay> Days()
    {
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            yield return new CalendarDay(day, Kind, Name);
        }
    }
}
