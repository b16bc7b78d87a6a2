using System.Globalization;
using System.Text.RegularExpressions;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Backups;

public enum BackupStatus
{
    Written,
    NotDue,
    AlreadyRunning,
    NotSqlite,
    Failed,
}

public sealed record BackupOutcome(BackupStatus Status, string? File = null, long Bytes = 0, TimeSpan Took = default, string? Error = null);

/// <summary>A finished backup: its file, and the moment it was taken (its name is the school's local date and time).</summary>
public sealed record BackupFile(string Path, DateTimeOffset TakenAt);

/// <summary>
/// Writes a consistent copy of the live SQLite database into Backup:Folder and keeps the newest Backup:Keep copies.
/// An idempotent sweep like the others: a copy is due when the schedule has fired since the newest one was taken, so a
/// second run (at once, a minute later, or after a restart) writes nothing, and a night the server was off is caught up
/// at start. A copy is written under a hidden temporary name and renamed only once it is complete and checked, so a
/// crash never leaves a file that looks like a good backup.
/// </summary>
public sealed class DatabaseBackupJob(
    IDbContextFactory<DispatchDbContext> dbFactory,
    IOptions<BackupOptions> options,
    IHostEnvironment environment,
    SchoolClock clock,
    TimeProvider time,
    AuditLog audit,
    ILogger<DatabaseBackupJob> logger,
    BackupHealth health,
    DispatchMetrics metrics)
{
    public const string StampFormat = "yyyy-MM-dd-HHmmss";
    public const string PartialSuffix = ".partial";
    private const string LockFileName = ".backup.lock";
    private const string Actor = "Nightly backup";

    public async Task<BackupOutcome> RunAsync(CancellationToken ct)
    {
        var outcome = await RunOnceAsync(ct);
        health.Record(outcome, time.GetUtcNow());
        if (outcome.Status is BackupStatus.Written or BackupStatus.Failed)
        {
            metrics.Backup(outcome.Status == BackupStatus.Written);
        }
        return outcome;
    }

    /// <summary>The newest finished backup of the app's SQLite database, if any (null on PostgreSQL).</summary>
    public async Task<BackupFile?> NewestAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var database = db.Database.IsSqlite() ? new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null;
        if (string.IsNullOrEmpty(database) || database == ":memory:" || !Directory.Exists(Folder(database)))
        {
            return null;
        }
        return List(Folder(database), Path.GetFileNameWithoutExtension(database)).FirstOrDefault();
    }

    private async Task<BackupOutcome> RunOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite())
        {
            logger.BackupSkippedNotSqlite(db.Database.ProviderName);
            return new BackupOutcome(BackupStatus.NotSqlite);
        }
        var database = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(database) || database == ":memory:")
        {
            logger.BackupSkippedInMemory();
            return new BackupOutcome(BackupStatus.NotSqlite);
        }
        var folder = Folder(database);
        var stem = Path.GetFileNameWithoutExtension(database);

        FileStream? held;
        try
        {
            CreatePrivateFolder(folder);
            held = TryLock(folder);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await FailedAsync(folder, ex);
        }
        if (held is null)
        {
            logger.BackupSkippedAlreadyRunning(folder);
            return new BackupOutcome(BackupStatus.AlreadyRunning);
        }

        await using (held)
        {
            try
            {
                RemoveUnfinished(folder, stem);
                var backups = List(folder, stem);
                if (!IsDue(backups))
                {
                    Prune(backups);
                    return new BackupOutcome(BackupStatus.NotDue, backups[0].Path);
                }
                var written = await WriteAsync(db, folder, stem, ct);
                var kept = Prune(List(folder, stem));
                logger.BackupWritten(Path.GetFileName(written.File), written.Bytes, (int)written.Took.TotalMilliseconds, kept, folder);
                await audit.TryRecordAsync(new AuditEvent(AuditKind.BackupMade, null, Actor, Path.GetFileName(written.File),
                    $"{Size(written.Bytes)} in {(int)written.Took.TotalMilliseconds} ms, into {folder}; {kept} kept.", null), CancellationToken.None);
                return written;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await FailedAsync(folder, ex);
            }
        }
    }

    /// <summary>Where the backups go: Backup:Folder (relative to the content root), else "backups" beside the database.</summary>
    public string Folder(string databaseFile)
    {
        var configured = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databaseFile)) ?? environment.ContentRootPath, "backups");
        }
        return Path.GetFullPath(Path.IsPathRooted(configured) ? configured : Path.Combine(environment.ContentRootPath, configured));
    }

    /// <summary>The finished backups of the database named <paramref name="stem"/> in <paramref name="folder"/>, newest first.</summary>
    public IReadOnlyList<BackupFile> List(string folder, string stem)
    {
        var pattern = new Regex("^" + Regex.Escape(stem) + @"-(\d{4}-\d{2}-\d{2}-\d{6})\.db$", RegexOptions.CultureInvariant);
        var found = new List<BackupFile>();
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var match = pattern.Match(Path.GetFileName(path));
            if (match.Success && DateTime.TryParseExact(match.Groups[1].Value, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                found.Add(new BackupFile(path, clock.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local))));
            }
        }
        return found.OrderByDescending(b => b.TakenAt).ThenByDescending(b => b.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Due when there is none yet, or the schedule has fired since the newest was taken (or the clock went back past it).</summary>
    private bool IsDue(IReadOnlyList<BackupFile> backups)
    {
        if (backups.Count == 0)
        {
            return true;
        }
        var now = clock.UtcNow;
        var newest = backups[0].TakenAt;
        return newest > now || clock.Occurrences(options.Value.Schedule, newest, now).Any();
    }

    private async Task<BackupOutcome> WriteAsync(DispatchDbContext db, string folder, string stem, CancellationToken ct)
    {
        var name = $"{stem}-{clock.ToLocal(clock.UtcNow).ToString(StampFormat, CultureInfo.InvariantCulture)}.db";
        var final = Path.Combine(folder, name);
        var partial = Path.Combine(folder, "." + name + PartialSuffix);
        var started = time.GetTimestamp();
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            var source = (SqliteConnection)db.Database.GetDbConnection();
            // Owner-only from the first byte: a backup holds everything the database does (password hashes, contacts).
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            File.Open(partial, create).Dispose();
            var target = new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
            await using (var copy = new SqliteConnection(target.ToString()))
            {
                await copy.OpenAsync(ct);
                // SQLite's backup API in one step (Microsoft.Data.Sqlite steps with -1): every page is copied inside one
                // read transaction, so the copy is the database as of one commit, and in WAL mode writers carry on meanwhile.
                source.BackupDatabase(copy);
                await using var command = copy.CreateCommand();
                // One self-contained file (the copy inherits WAL mode from the live database's header).
                command.CommandText = "PRAGMA journal_mode = DELETE;";
                await command.ExecuteNonQueryAsync(ct);
                command.CommandText = "PRAGMA quick_check;";
                var check = Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                if (check != "ok")
                {
                    throw new InvalidDataException($"The copy failed SQLite's check: {check}");
                }
            }
            File.Move(partial, final);
        }
        catch
        {
            DeleteQuietly(partial);
            throw;
        }
        return new BackupOutcome(BackupStatus.Written, final, new FileInfo(final).Length, time.GetElapsedTime(started));
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>A folder the job makes is the app user's only; one the administrator made keeps its permissions.</summary>
    private static void CreatePrivateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnly);
        }
    }

    /// <summary>Deletes all but the newest Backup:Keep backups; returns how many are kept.</summary>
    private int Prune(IReadOnlyList<BackupFile> backups)
    {
        foreach (var old in backups.Skip(options.Value.Keep))
        {
            File.Delete(old.Path);
            logger.OldBackupDeleted(Path.GetFileName(old.Path));
        }
        return Math.Min(backups.Count, options.Value.Keep);
    }

    /// <summary>What a run that died mid-copy left (it never has a backup's name); only called while holding the lock.</summary>
    private void RemoveUnfinished(string folder, string stem)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "." + stem + "-*"))
        {
            if (Path.GetFileName(path).Contains(PartialSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
                logger.UnfinishedBackupRemoved(Path.GetFileName(path));
            }
        }
    }

    /// <summary>
    /// An exclusive lock on a file in the folder (an advisory lock on Linux, held by this process until disposed), or
    /// null when another run holds it: two runs at once, in this process or another, never write side by side.
    /// </summary>
    private static FileStream? TryLock(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            return null;
        }
    }

    // EWOULDBLOCK from flock on Unix and ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows.
    private static bool IsSharingViolation(IOException ex) => (ex.HResult & 0xFFFF) is 11 or 32 or 33 || ex.HResult == 11;

    private async Task<BackupOutcome> FailedAsync(string folder, Exception ex)
    {
        var whatToDo = $"Check that {folder} exists, that the app's user may write there and that the disk has room. "
                       + "The earlier backups are kept; the next attempt is at the next scheduled time or the next start.";
        logger.BackupFailed(ex, ex.Message, whatToDo);
        await audit.TryRecordAsync(new AuditEvent(AuditKind.BackupFailed, null, Actor, folder, $"{ex.Message} {whatToDo}", null), CancellationToken.None);
        return new BackupOutcome(BackupStatus.Failed, Error: $"{ex.Message} {whatToDo}");
    }

    private static void DeleteQuietly(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";
}
