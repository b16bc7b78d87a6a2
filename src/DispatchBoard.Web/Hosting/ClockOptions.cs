using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Hosting;

public sealed class InspectionOptions : IValidatableObject
{
    public const string Section = "Inspections";

    /// <summary>When the week's safety rounds are created (cron, school time); rounds are due by the end of that day.</summary>
    public string Schedule { get; set; } = "30 7 * * MON";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Inspections:Schedule '{Schedule}' is not a cron expression (e.g. \"30 7 * * MON\").");
        }
    }
}

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

public sealed class SemesterSettings
{
    [Required, StringLength(100, MinimumLength = 1)]
    public string Name { get; set; } = "";

    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
}

public sealed class MeetingOptions : IValidatableObject
{
    public const string Section = "Meetings";

    /// <summary>Recurring meetings; added to the database on start when their key is new, then edited by the admin.</summary>
    public List<SeriesSettings> Series { get; set; } = [];

    /// <summary>Semesters to add on start when their name is new (then edited on /planning).</summary>
    public List<SemesterSettings> Semesters { get; set; } = [];

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
        foreach (var semester in Semesters.Where(s => s.EndsOn <= s.StartsOn))
        {
            yield return new ValidationResult($"Meetings:Semesters '{semester.Name}' ends ({semester.EndsOn}) before it starts ({semester.StartsOn}).");
        }
        if (!Cron.IsValid(SchedulerSchedule))
        {
            yield return new ValidationResult($"Meetings:SchedulerSchedule '{SchedulerSchedule}' is not a cron expression.");
        }
    }
}

public sealed class ReminderOptions : IValidatableObject
{
    public const string Section = "Reminders";

    private static readonly TimeSpan[] DefaultOffsets = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    /// <summary>How long before a meeting each reminder goes out; empty means 1 day and 1 hour.</summary>
    /// <remarks>Empty by default because the configuration binder adds to a list rather than replacing it.</remarks>
    public List<TimeSpan> MeetingOffsets { get; set; } = [];

    public IReadOnlyList<TimeSpan> Offsets => MeetingOffsets.Count == 0 ? DefaultOffsets : MeetingOffsets.Distinct().OrderDescending().ToList();

    /// <summary>School time on an inspection day when the person doing the round is reminded.</summary>
    public TimeOnly InspectionMorning { get; set; } = new(8, 0);

    /// <summary>When the reminder sweep runs (cron, school time).</summary>
    public string Schedule { get; set; } = "* * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MeetingOffsets.Any(o => o <= TimeSpan.Zero || o > TimeSpan.FromDays(30)))
        {
            yield return new ValidationResult("Reminders:MeetingOffsets must list one or more times between 0 and 30 days (e.g. \"1.00:00:00\", \"01:00:00\").");
        }
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Reminders:Schedule '{Schedule}' is not a cron expression.");
        }
    }
}

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The sender, e.g. "DispatchBoard &lt;dispatch@school.example&gt;".</summary>
    public string From { get; set; } = "DispatchBoard <dispatch@localhost>";

    /// <summary>E-mail is off until an SMTP host is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Email:From '{From}' is not an address (e.g. \"DispatchBoard <dispatch@school.example>\").");
        }
        if (Enabled && Smtp.Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"Email:Smtp:Port {Smtp.Port} is not a port.");
        }
    }
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? Username { get; set; }
    public string? Password { get; set; }
}
