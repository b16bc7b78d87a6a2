using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Reminders;

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
