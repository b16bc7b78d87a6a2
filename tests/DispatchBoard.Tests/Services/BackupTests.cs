using System.Collections.Concurrent;
using DispatchBoard.Testing;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Tests.Services;

// The nightly SQLite backup (its backup API, its files): PostgreSQL is backed up with pg_dump.
[Trait("Database", "Sqlite")]
public sealed class BackupTests : IAsyncLifetime
{
    private const int Keep = 3;
    private readonly LogCapture _logs = new();
    private TestData _data = default!;
    private string? _folder;

    private DatabaseBackupJob Job => _data.Get<DatabaseBackupJob>();

    /// <summary>Where the copies go by default: "backups" beside the database.</summary>
    private string Folder => _folder ?? Path.Combine(_data.Directory, "backups");

    private string Database => Path.Combine(_data.Directory, SeedTemplates.DatabaseFile);

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(configure: s =>
    {
        s.Configure<BackupOptions>(o =>
        {
            o.Keep = Keep;
            o.Folder = _folder;
        });
        s.AddSingleton<ILoggerProvider>(_logs);
    });

    public async Task DisposeAsync() => await _data.DisposeAsync();

    /// <param name="by">Who types it in (a signed-in person is not counted by the anonymous intake limit); anonymous if null.</param>
    private async Task<int> ReportAsync(string description, DispatchBoard.Web.Auth.Actor? by = null)
    {
        var result = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("A204", "Lighting", description, false, null, null),
            by is null ? TicketChannel.Web : TicketChannel.Phone, by);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    private static SqliteConnection OpenCopy(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string[] FilesInFolder() => Directory.GetFiles(Folder).Select(Path.GetFileName).Where(n => n != ".backup.lock").Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task RunAsync_WhileAnotherConnectionHoldsAnOpenWrite_CopiesEveryCommittedRowAndNothingUncommitted()
    {
        var committed = await ReportAsync("Committed before the backup");
        // Another connection is in the middle of writing (WAL mode): its transaction holds the write lock throughout.
        await using var writer = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        await using var transaction = await writer.Database.BeginTransactionAsync();
        _data.Get<AuditLog>().Stage(writer, new AuditEvent(AuditKind.SettingsChanged, null, "Writer", "uncommitted-during-backup", null, null));
        await writer.SaveChangesAsync();

        var run = Task.Run(() => Job.RunAsync(CancellationToken.None));
        await WaitUntilAsync(() => run.IsCompleted || (Directory.Exists(Folder) && Directory.GetFiles(Folder, "dispatch-*.db").Length == 1));
        // The copy is complete and named while the other write is still open: it neither waited for the writer nor stopped it.
        await transaction.CommitAsync();
        var outcome = await run; // (its audit line waits for the writer's commit, as any write does)

        Assert.Equal(BackupStatus.Written, outcome.Status);
        Assert.Equal("dispatch-2026-11-24-100000.db", Path.GetFileName(outcome.File)); // the school's local time (UTC+8)
        Assert.Equal(["dispatch-2026-11-24-100000.db"], FilesInFolder());
        using var copy = OpenCopy(outcome.File!);
        Assert.Equal("ok", Scalar<string>(copy, "PRAGMA integrity_check"));
        Assert.Equal("delete", Scalar<string>(copy, "PRAGMA journal_mode")); // one self-contained file
        Assert.Equal(await _data.QueryAsync(db => db.Tickets.CountAsync()), Scalar<int>(copy, "SELECT COUNT(*) FROM Tickets"));
        Assert.Equal(1, Scalar<int>(copy, $"SELECT COUNT(*) FROM Tickets WHERE Id = {committed}"));
        Assert.Equal(0, Scalar<int>(copy, "SELECT COUNT(*) FROM AuditEntries WHERE Subject = 'uncommitted-during-backup'"));
        Assert.Equal(1, await _data.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Subject == "uncommitted-during-backup")));
        Assert.Equal(outcome.Bytes, new FileInfo(outcome.File!).Length);
    }

    [Fact]
    public async Task RunAsync_WhileReportsKeepComing_CopiesAConsistentDatabase()
    {
        await ReportAsync("Before the writer starts");
        var dispatcher = await _data.ActorAsync("dispatcher");
        using var stop = new CancellationTokenSource();
        var written = 0;
        var firstWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await ReportAsync($"Report {written}", dispatcher);
                Interlocked.Increment(ref written);
                firstWrite.TrySetResult();
            }
        });
        await firstWrite.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var beforeBackup = await _data.QueryAsync(db => db.Tickets.CountAsync());
        var outcome = await Job.RunAsync(CancellationToken.None);
        var afterBackup = Volatile.Read(ref written);
        await WaitUntilAsync(() => Volatile.Read(ref written) > afterBackup || writing.IsCompleted); // the writer carried on after the copy too
        Assert.False(writing.IsCompleted, writing.Exception?.ToString());
        await stop.CancelAsync();
        await writing;

        Assert.Equal(BackupStatus.Written, outcome.Status);
        using var copy = OpenCopy(outcome.File!);
        Assert.Equal("ok", Scalar<string>(copy, "PRAGMA integrity_check"));
        var inCopy = Scalar<int>(copy, "SELECT COUNT(*) FROM Tickets");
        Assert.InRange(inCopy, beforeBackup, await _data.QueryAsync(db => db.Tickets.CountAsync()) - 1);
        // A ticket and its first event are one transaction: a torn copy would hold one without the other.
        Assert.Equal(0, Scalar<int>(copy, "SELECT COUNT(*) FROM Tickets t WHERE NOT EXISTS (SELECT 1 FROM TicketEvents e WHERE e.TicketId = t.Id)"));
    }

    [Fact]
    public async Task RunAsync_OnFiveNights_KeepsExactlyTheNewestThree_AndNothingElseInTheFolder()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "notes.txt"), "the admin's own file");
        await File.WriteAllTextAsync(Path.Combine(Folder, "dispatch-before-upgrade.db"), "a copy the admin made by hand");
        var names = new List<string>();
        for (var night = 0; night < 5; night++)
        {
            var outcome = await Job.RunAsync(CancellationToken.None);
            Assert.Equal(BackupStatus.Written, outcome.Status);
            names.Add(Path.GetFileName(outcome.File!));
            _data.Time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(names.TakeLast(Keep).Concat(["dispatch-before-upgrade.db", "notes.txt"]).Order(StringComparer.Ordinal), FilesInFolder());
        Assert.Equal(["dispatch-2026-11-28-100000.db", "dispatch-2026-11-27-100000.db", "dispatch-2026-11-26-100000.db"],
            Job.List(Folder, "dispatch").Select(b => Path.GetFileName(b.Path)));
    }

    [Fact]
    public async Task RunAsync_FourTimesAtOnce_WritesOneGoodCopy()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Job.RunAsync(CancellationToken.None))));

        var written = Assert.Single(runs, r => r.Status == BackupStatus.Written);
        Assert.All(runs.Where(r => r != written), r => Assert.Contains(r.Status, new[] { BackupStatus.AlreadyRunning, BackupStatus.NotDue }));
        Assert.Equal([Path.GetFileName(written.File!)], FilesInFolder());
        using var copy = OpenCopy(written.File!);
        Assert.Equal("ok", Scalar<string>(copy, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task RunAsync_AgainWithinTheMinute_WritesNothing_UntilTheScheduleFiresAgain()
    {
        var first = await Job.RunAsync(CancellationToken.None);
        _data.Time.Advance(TimeSpan.FromSeconds(40));
        var again = await Job.RunAsync(CancellationToken.None);
        _data.Time.Advance(TimeSpan.FromHours(12));
        var sameDay = await Job.RunAsync(CancellationToken.None); // Tuesday 22:00:40 at the school: the 03:30 schedule has not fired since
        _data.Time.Advance(TimeSpan.FromHours(6)); // Wednesday 04:00:40, past it
        var nextNight = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.Written, first.Status);
        Assert.Equal(BackupStatus.NotDue, again.Status);
        Assert.Equal(BackupStatus.NotDue, sameDay.Status);
        Assert.Equal(BackupStatus.Written, nextNight.Status);
        Assert.Equal(["dispatch-2026-11-24-100000.db", "dispatch-2026-11-25-040040.db"], FilesInFolder());
        Assert.Equal(2, await _data.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Kind == AuditKind.BackupMade)));
    }

    [Fact]
    public async Task RunAsync_AfterARunDiedMidCopy_TheUnfinishedFileNeverCountsAsABackup_AndIsRemoved()
    {
        Directory.CreateDirectory(Folder);
        // What a crash mid-copy leaves: the temporary name, half written.
        var unfinished = Path.Combine(Folder, ".dispatch-2026-11-24-033000.db" + DatabaseBackupJob.PartialSuffix);
        await File.WriteAllBytesAsync(unfinished, new byte[4096]);
        await File.WriteAllBytesAsync(unfinished + "-journal", new byte[512]);

        Assert.Empty(Job.List(Folder, "dispatch"));
        var outcome = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.Written, outcome.Status);
        Assert.Equal(["dispatch-2026-11-24-100000.db"], FilesInFolder());
    }

    [Fact]
    public async Task RunAsync_WhenTheCopyFailsSQLitesCheck_LeavesNothingNamedLikeABackup_AndSaysSo()
    {
        // A damaged page in the live file (the backup API copies pages as they are): the copy cannot pass its check.
        await _data.QueryAsync(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);"));
        var rootPage = await _data.QueryAsync(db => db.Database.SqlQueryRaw<int>("SELECT rootpage AS Value FROM sqlite_master WHERE name = 'Tickets'").SingleAsync());
        SqliteConnection.ClearAllPools();
        await using (var file = new FileStream(Database, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = (rootPage - 1) * 4096L;
            await file.WriteAsync(Enumerable.Repeat((byte)0xFF, 64).ToArray());
        }

        var outcome = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, outcome.Status);
        Assert.Contains("The copy failed SQLite's check", outcome.Error);
        Assert.Empty(FilesInFolder());
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("The copy failed SQLite's check"));
    }

    [Fact]
    public async Task RunAsync_WhenTheFolderCannotBeMade_LogsOnceWithWhatToDo_RecordsItInTheAuditLog_AndWritesNoFile()
    {
        await _data.DisposeAsync();
        _folder = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"), "not-a-folder", "backups");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetDirectoryName(_folder)!)!);
        await File.WriteAllTextAsync(Path.GetDirectoryName(_folder)!, "a file where the folder should be");
        await InitializeAsync();

        var outcome = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, outcome.Status);
        var error = Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Contains("The database backup failed", error.Message);
        Assert.Contains($"Check that {_folder} exists, that the app's user may write there and that the disk has room", error.Message);
        var line = await _data.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Kind == AuditKind.BackupFailed));
        Assert.Equal(_folder, line.Subject);
        Assert.Contains("Check that", line.Details);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task RunAsync_Written_RecordsTheFileAndItsSizeInTheAuditLog()
    {
        var outcome = await Job.RunAsync(CancellationToken.None);

        var line = await _data.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Kind == AuditKind.BackupMade));
        Assert.Equal(Path.GetFileName(outcome.File), line.Subject);
        Assert.Equal("Nightly backup", line.ActorName);
        Assert.Contains($"into {Folder}; 1 kept", line.Details);
        Assert.True(outcome.Bytes > 0);
        if (OperatingSystem.IsLinux())
        {
            // A backup holds password hashes and reporters' contacts: the app's user only.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outcome.File!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        }
    }

    [Fact]
    public async Task RunAsync_OnADatabaseThatIsNotSqlite_DoesNothing_AndSaysSo()
    {
        var notSqlite = new DbContextOptionsBuilder<DispatchDbContext>().UseInMemoryDatabase(Guid.NewGuid().ToString("N")).Options;
        var said = new ConcurrentQueue<(LogLevel Level, string Message)>();
        var job = ActivatorUtilities.CreateInstance<DatabaseBackupJob>(_data.Services,
            (IDbContextFactory<DispatchDbContext>)new OtherProvider(notSqlite), (ILogger<DatabaseBackupJob>)new LogCapture.Logger(said));

        var outcome = await job.RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.NotSqlite, outcome.Status);
        var (_, message) = Assert.Single(said);
        Assert.Contains("not the embedded SQLite. Back it up with its own tools (pg_dump for PostgreSQL)", message);
        Assert.False(Directory.Exists(Folder));
        Assert.Equal(0, await _data.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Kind == AuditKind.BackupMade || e.Kind == AuditKind.BackupFailed)));
    }

    private sealed class OtherProvider(DbContextOptions<DispatchDbContext> options) : IDbContextFactory<DispatchDbContext>
    {
        public DispatchDbContext CreateDbContext() => new(options);
    }

    [Fact]
    public async Task Folder_Relative_IsUnderTheContentRoot_AndByDefaultBesideTheDatabase()
    {
        Assert.Equal(Path.Combine(_data.Directory, "backups"), Job.Folder(Database));
        await _data.DisposeAsync();
        _folder = "nightly/copies";
        await InitializeAsync();

        Assert.Equal(Path.Combine(_data.Directory, "nightly", "copies"), Job.Folder(Database)); // the test host's content root is its folder
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out");
            await Task.Delay(5);
        }
    }

    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => categoryName == typeof(DatabaseBackupJob).FullName ? new Logger(Entries) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        public sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger<DatabaseBackupJob>
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
