using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Backups;

/// <summary>The nightly online backup of the embedded SQLite database.</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string Section = "Backup";

    /// <summary>
    /// Where the copies go; a relative path is relative to the app's content root, like the database's. Empty: the
    /// <c>backups</c> folder beside the database (<c>data/backups</c> with the default database).
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>How many copies to keep: after each new one the oldest beyond this count are deleted.</summary>
    public int Keep { get; set; } = 14;

    /// <summary>When the backup runs (cron, school time). Also at start, when the latest scheduled one is missing.</summary>
    public string Schedule { get; set; } = "30 3 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Keep < 1)
        {
            yield return new ValidationResult($"Backup:Keep is {Keep}: keep at least 1 backup.", [nameof(Keep)]);
        }
        if (!Cron.IsValid(Schedule))
        {
            yield return new ValidationResult($"Backup:Schedule '{Schedule}' is not a cron expression.", [nameof(Schedule)]);
        }
    }
}
