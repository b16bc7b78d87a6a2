using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Meetings;

public sealed class SeriesSettings
{
    [Required, RegularExpression("^[a-z0-9-]{1,50}$", ErrorMessage = "Meetings:Series:Key must be 1–50 lower-case letters, digits or dashes.")]
    public string Key { get; set; } = "";

    [Required, StringLength(100, MinimumLength = 1)]
    public string Name { get; set; } = "";

    public string Cron { get; set; } = "";

    [Range(5, 600)]
    public int DurationMinutes { get; set; } = 60;

    public string? Place { get; set; }
    public string? Agenda { get; set; }
    public string AttendeeRoles { get; set; } = "Staff,Dispatcher";
}

public sealed class MeetingOptions : IValidatableObject
{
    public const string Section = "Meetings";

    /// <summary>Recurring meetings; added to the database on start when their key is new, then edited by the admin.</summary>
    public List<SeriesSettings> Series { get; set; } = [];

    [Range(0, 60)]
    public int PlanningBeforeStartDays { get; set; } = 7;

    [Range(0, 60)]
    public int PlanningAfterStartDays { get; set; } = 14;

    public TimeOnly PlanningTime { get; set; } = new(10, 0);

    [Range(15, 480)]
    public int PlanningDurationMinutes { get; set; } = 90;

    public string? PlanningPlace { get; set; } = "Conference Room";
    public string PlanningAttendeeRoles { get; set; } = "Staff,Dispatcher,Principal";

    /// <summary>How far ahead meetings are put in the calendar.</summary>
    [Range(7, 400)]
    public int HorizonDays { get; set; } = 60;

    /// <summary>
    /// What a recurring meeting that falls on a holiday (a closure or a skeleton day) does: "Move" to the next school day
    /// (within <see cref="MoveWithinDays"/>), or "Skip". Planning meetings always move to a school day.
    /// </summary>
    public string OnHoliday { get; set; } = nameof(Calendar.OnHoliday.Move);

    /// <summary>How many days a meeting on a holiday may move; with no school day that near (a break) it does not take place.</summary>
    [Range(1, 28, ErrorMessage = "Meetings:MoveWithinDays must be between 1 and 28 days.")]
    public int MoveWithinDays { get; set; } = 7;

    /// <summary><see cref="OnHoliday"/> as read; validated at start.</summary>
    public Calendar.OnHoliday HolidayPolicy => Enum.TryParse<Calendar.OnHoliday>(OnHoliday, ignoreCase: true, out var policy) ? policy : Calendar.OnHoliday.Move;

    /// <summary>When the meeting scheduler runs (cron, school time); it also runs at every start.</summary>
    public string SchedulerSchedule { get; set; } = "15 2 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var series in Series)
        {
            if (!Cron.IsValid(series.Cron))
            {
                yield return new ValidationResult($"Meetings:Series '{series.Key}': Cron '{series.Cron}' is not a cron expression (e.g. \"0 16 * * MON#1\").");
            }
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(series, new ValidationContext(series), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return result;
            }
        }
        if (!Enum.TryParse<Calendar.OnHoliday>(OnHoliday, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(OnHoliday, out _))
        {
            yield return new ValidationResult($"Meetings:OnHoliday '{OnHoliday}' must be Move (a meeting on a holiday moves to the next school day) or Skip (it does not take place).");
        }
        if (!Cron.IsValid(SchedulerSchedule))
        {
            yield return new ValidationResult($"Meetings:SchedulerSchedule '{SchedulerSchedule}' is not a cron expression.");
        }
    }
}
