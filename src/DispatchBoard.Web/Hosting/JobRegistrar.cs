using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Reminders;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Hangfire;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// Hangfire's storage forgets everything on restart, so every start registers the recurring jobs again from
/// configuration and triggers each once: the sweeps compute what is due from the database and catch up what was missed.
/// </summary>
public sealed class JobRegistrar(
    IRecurringJobManager jobs,
    IOptions<DispatchOptions> dispatch,
    IOptions<InspectionOptions> inspections,
    IOptions<MeetingOptions> meetings,
    IOptions<ReminderOptions> reminders,
    IOptions<RosterOptions> roster,
    IOptions<BackupOptions> backup,
    SchoolClock clock) : IHostedService
{
    public const string UnclaimedSweep = "unclaimed-ticket-sweep";
    public const string AutoClose = "auto-close-sweep";
    public const string WeeklyInspections = "weekly-inspection-rounds";
    public const string RoundsFollowCalendar = "rounds-follow-calendar";
    public const string MeetingScheduler = "meeting-scheduler";
    public const string Reminders = "reminder-sweep";
    public const string PlannedRepairs = "planned-repair-reminders";
    public const string RosterSwitch = "roster-sweep";
    public const string ReporterMails = "reporter-mail-sweep";
    public const string DatabaseBackup = "database-backup";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new RecurringJobOptions { TimeZone = clock.Zone };
        jobs.AddOrUpdate<UnclaimedTicketSweep>(UnclaimedSweep, s => s.RunAsync(CancellationToken.None), dispatch.Value.UnclaimedSweepSchedule, options);
        jobs.AddOrUpdate<AutoCloseSweep>(AutoClose, s => s.RunAsync(CancellationToken.None), dispatch.Value.AutoCloseSchedule, options);
        jobs.AddOrUpdate<WeeklyInspectionJob>(WeeklyInspections, j => j.RunAsync(CancellationToken.None), inspections.Value.Schedule, options);
        jobs.AddOrUpdate<WeeklyInspectionJob>(RoundsFollowCalendar, j => j.FollowCalendarAsync(CancellationToken.None), inspections.Value.CalendarCheckSchedule, options);
        jobs.AddOrUpdate<MeetingSchedulerJob>(MeetingScheduler, j => j.RunAsync(CancellationToken.None), meetings.Value.SchedulerSchedule, options);
        jobs.AddOrUpdate<ReminderSweep>(Reminders, s => s.RunAsync(CancellationToken.None), reminders.Value.Schedule, options);
        jobs.AddOrUpdate<PlannedRepairReminderSweep>(PlannedRepairs, s => s.RunAsync(CancellationToken.None), PlannedRepairReminderSweep.Schedule, options);
        jobs.AddOrUpdate<RosterSweep>(RosterSwitch, s => s.RunAsync(CancellationToken.None), roster.Value.Schedule, options);
        jobs.AddOrUpdate<ReporterMail.ReporterMailSweep>(ReporterMails, s => s.RunAsync(CancellationToken.None), ReporterMail.ReporterMailSweep.Schedule, options);
        jobs.AddOrUpdate<DatabaseBackupJob>(DatabaseBackup, j => j.RunAsync(CancellationToken.None), backup.Value.Schedule, options);
        foreach (var id in new[] { UnclaimedSweep, AutoClose, WeeklyInspections, MeetingScheduler, Reminders, PlannedRepairs, RosterSwitch, DatabaseBackup })
        {
            jobs.Trigger(id);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
