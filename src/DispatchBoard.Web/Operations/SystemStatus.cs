using System.Globalization;
using System.Reflection;
using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Reminders;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Operations.OperationsText;

namespace DispatchBoard.Web.Operations;

public enum JobOutcome
{
    NotRunYet,
    Succeeded,
    Failed,
    Running,
    Waiting,
}

public sealed record JobStatus(string Id, string Schedule, DateTimeOffset? LastRunAt, JobOutcome Outcome, string? Problem, DateTimeOffset? NextRunAt);

public sealed record DatabaseStatus(string Provider, long? Bytes, bool Ready);

public sealed record EmailStatus(bool Enabled, string? Server, bool Failing, DateTimeOffset? LastOkAt, DateTimeOffset? LastSentAt,
    DateTimeOffset? LastFailedAt, string? LastProblem);

public sealed record PushStatus(bool Failing, long Delivered, long Failed, DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailedAt, string? LastError);

public sealed record BackupStatusView(bool Applies, bool Failing, DateTimeOffset? NewestAt, string? NewestFile, DateTimeOffset? LastRunAt,
    string? LastProblem);

public sealed record ConnectedNow(int Boards, int Tvs, int Phones, int TrackingPages, int Circuits, int HubConnections);

/// <summary>Something an admin must look at; <see cref="Text"/> says what and what to do, in the reader's language.</summary>
public sealed record Attention(string Key, string Text);

public sealed record SystemSnapshot(
    string Version,
    string? Commit,
    DateTimeOffset StartedAt,
    TimeSpan Uptime,
    string Instance,
    DatabaseStatus Database,
    bool JobsEnabled,
    int JobServers,
    IReadOnlyList<JobStatus> Jobs,
    BackupStatusView Backup,
    EmailStatus Email,
    PushStatus Push,
    ConnectedNow Connected,
    string TimeZone,
    string Culture,
    Semester? Semester,
    IReadOnlyList<Attention> Attention);

/// <summary>
/// Everything the admin's system page shows, read fresh on each call: the build, the database, every scheduled job's
/// last and next run (from Hangfire's storage, shared by all instances), the last backup, e-mail and push health, the
/// live screens on this instance, and what needs attention (the red banner on admin pages).
/// </summary>
public sealed class SystemStatus(
    IDbContextFactory<DispatchDbContext> dbFactory,
    IServiceProvider services,
    StartupState startup,
    SmtpHealth smtp,
    PushHealth push,
    BackupHealth backup,
    LiveScreens screens,
    SemesterService semesters,
    SchoolClock clock,
    IOptions<EmailOptions> email,
    IOptions<SchoolOptions> school,
    IOptions<JobsOptions> jobs,
    ProcessStart started)
{
    /// <summary>A job whose next run is this far in the past is not being run: no job server is working.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    public async Task<SystemSnapshot> ReadAsync(CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var (servers, jobList) = ReadJobs();
        var database = await DatabaseAsync(ct);
        var backupView = await BackupAsync(database, ct);
        var emailView = new EmailStatus(email.Value.Enabled, email.Value.Enabled ? $"{email.Value.Smtp.Host}:{email.Value.Smtp.Port}" : null,
            smtp.Failing, smtp.LastOkAt, smtp.LastSentAt, smtp.LastFailedAt, smtp.LastProblem);
        var pushView = new PushStatus(push.Failing, push.Delivered, push.Failed, push.LastDeliveredAt, push.LastFailedAt, push.LastError);
        var connected = new ConnectedNow(screens.Count(LiveScreen.Board), screens.Count(LiveScreen.Tv), screens.Count(LiveScreen.Phone),
            screens.Count(LiveScreen.Tracking), screens.Circuits, services.GetRequiredService<HubSessions>().Count);
        var informational = typeof(SystemStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var attention = Attention(database, servers, jobList, backupView, emailView, pushView, now);
        return new SystemSnapshot(
            plus < 0 ? informational : informational[..plus],
            plus < 0 ? null : informational[(plus + 1)..],
            started.At,
            now - started.At,
            Environment.MachineName,
            database,
            jobs.Value.Enabled,
            servers,
            jobList,
            backupView,
            emailView,
            pushView,
            connected,
            school.Value.TimeZone,
            school.Value.DefaultCulture,
            await semesters.CurrentAsync(ct),
            attention);
    }

    /// <summary>Only what needs attention (the banner), without reading the database's size or the calendar.</summary>
    public async Task<IReadOnlyList<Attention>> AttentionAsync(CancellationToken ct = default)
    {
        var (servers, jobList) = ReadJobs();
        var database = new DatabaseStatus("", null, startup.DatabaseReady);
        var backupView = await BackupAsync(database, ct);
        return Attention(database, servers, jobList, backupView,
            new EmailStatus(email.Value.Enabled, $"{email.Value.Smtp.Host}:{email.Value.Smtp.Port}", smtp.Failing, null, null, smtp.LastFailedAt, smtp.LastProblem),
            new PushStatus(push.Failing, 0, 0, null, push.LastFailedAt, push.LastError), clock.UtcNow);
    }

    private IReadOnlyList<Attention> Attention(DatabaseStatus database, int servers, IReadOnlyList<JobStatus> jobList, BackupStatusView backupView,
        EmailStatus emailView, PushStatus pushView, DateTimeOffset now)
    {
        var list = new List<Attention>();
        if (!database.Ready)
        {
            list.Add(new("database", L["The database is not ready: the app is still migrating, or cannot reach it. See /health/ready and the log."]));
        }
        if (backupView.Failing)
        {
            list.Add(new("backup", L["The last backup failed: {0}", backupView.LastProblem ?? ""]));
        }
        if (emailView.Enabled && emailView.Failing)
        {
            list.Add(new("email", L["E-mail is failing: {0}", emailView.LastProblem ?? ""]));
        }
        if (pushView.Failing)
        {
            list.Add(new("push", L["Alerts to phones are failing (Web Push): {0}", pushView.LastError ?? ""]));
        }
        if (jobs.Value.Enabled && servers == 0)
        {
            list.Add(new("jobs", L["No job server is running: reminders, rounds, sweeps and backups do not run. Restart the app; check the log."]));
        }
        else if (jobList.Where(j => j.NextRunAt is { } next && now - next > LateAfter).Select(j => j.Id).ToList() is { Count: > 0 } late)
        {
            list.Add(new("jobs-late", L["Scheduled jobs are late ({0}): the job server is stuck or overloaded. Look at /hangfire.", string.Join(", ", late)]));
        }
        if (jobList.Where(j => j.Outcome == JobOutcome.Failed).Select(j => j.Id).ToList() is { Count: > 0 } failed)
        {
            list.Add(new("jobs-failed", L["The last run of {0} failed: see the job's error below and in /hangfire.", string.Join(", ", failed)]));
        }
        return list;
    }

    private (int Servers, IReadOnlyList<JobStatus> Jobs) ReadJobs()
    {
        var storage = services.GetRequiredService<JobStorage>();
        var servers = storage.GetMonitoringApi().Servers().Count;
        using var connection = storage.GetConnection();
        var list = connection.GetRecurringJobs().OrderBy(j => j.Id, StringComparer.Ordinal).Select(j =>
        {
            var outcome = j.LastJobState switch
            {
                null when j.LastExecution is null => JobOutcome.NotRunYet,
                "Succeeded" => JobOutcome.Succeeded,
                "Failed" => JobOutcome.Failed,
                "Processing" => JobOutcome.Running,
                _ => JobOutcome.Waiting,
            };
            string? problem = j.Error;
            if (outcome == JobOutcome.Failed && j.LastJobId is { } id)
            {
                var details = storage.GetMonitoringApi().JobDetails(id);
                problem ??= details?.History?.FirstOrDefault(h => h.StateName == "Failed")?.Data is { } data
                    && data.TryGetValue("ExceptionMessage", out var message) ? message : null;
            }
            return new JobStatus(j.Id, j.Cron, Utc(j.LastExecution), outcome, problem, Utc(j.NextExecution));
        }).ToList();
        return (servers, list);
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;

    private async Task<DatabaseStatus> DatabaseAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            long? bytes = string.IsNullOrEmpty(file) || file == ":memory:" ? null
                : new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
            return new DatabaseStatus("SQLite", bytes, startup.DatabaseReady);
        }
        long? size = null;
        if (startup.DatabaseReady)
        {
            size = await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").FirstAsync(ct);
        }
        return new DatabaseStatus("PostgreSQL", size, startup.DatabaseReady);
    }

    private async Task<BackupStatusView> BackupAsync(DatabaseStatus database, CancellationToken ct)
    {
        var job = services.GetRequiredService<DatabaseBackupJob>();
        var newest = database.Ready ? await job.NewestAsync(ct) : null;
        var last = backup.Last;
        var applies = last?.Outcome.Status != BackupStatus.NotSqlite && (database.Provider != "PostgreSQL");
        return new BackupStatusView(applies, backup.Failing, newest?.TakenAt, newest is null ? null : Path.GetFileName(newest.Path), last?.At,
            backup.Failing ? backup.LastFailure?.Outcome.Error : null);
    }
}

/// <summary>When this process started, for the uptime.</summary>
public sealed class ProcessStart(TimeProvider time)
{
    public DateTimeOffset At { get; } = time.GetUtcNow();
}

public static class OperationsFeature
{
    /// <summary>The admin's system page and the banner on admin pages.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<ProcessStart>();
        services.AddSingleton<SystemStatus>();
        return services;
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Format(CultureInfo.CurrentCulture, "{0} B", bytes),
        < 1024 * 1024 => string.Format(CultureInfo.CurrentCulture, "{0:0.#} KB", bytes / 1024.0),
        < 1024L * 1024 * 1024 => string.Format(CultureInfo.CurrentCulture, "{0:0.#} MB", bytes / 1024.0 / 1024),
        _ => string.Format(CultureInfo.CurrentCulture, "{0:0.##} GB", bytes / 1024.0 / 1024 / 1024),
    };
}
