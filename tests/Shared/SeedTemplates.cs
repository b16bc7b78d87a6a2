using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DispatchBoard.Testing;

/// <summary>
/// Seeded databases built once per test process, one per seed configuration, and copied into each test's folder:
/// migrating and seeding the demo school (its users' password hashes above all) costs far more than a copy.
/// </summary>
/// <remarks>
/// The database is copied with SQLite's online backup, which reads a consistent snapshot whatever the WAL holds; every
/// other file the seed left in its folder (such as photos) is copied as it is; the key ring is in the database. The app's
/// <c>DatabaseInitializer</c> then runs on the copy as on any restart: nothing to migrate, and the demo seed skips a
/// database that is not empty.
/// </remarks>
public static class SeedTemplates
{
    public const string DatabaseFile = "dispatch.db";
    private const string SeededFolder = "seeded";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", "templates-" + Guid.NewGuid().ToString("N"));

    private static readonly ConcurrentBag<string> PostgresTemplates = [];

    static SeedTemplates() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        DeleteQuietly(Root);
        foreach (var template in PostgresTemplates)
        {
            try
            {
                TestDatabase.Drop(template);
            }
            catch (Npgsql.NpgsqlException)
            {
                // The test cluster is thrown away with its folder anyway.
            }
        }
    };

    /// <summary>
    /// Fills <paramref name="directory"/> with a copy of the template for <paramref name="key"/>, building the template
    /// first if this process has none yet: <paramref name="seed"/> gets an empty folder and must leave a seeded
    /// <see cref="DatabaseFile"/> in it, its services stopped.
    /// </summary>
    public static async Task CopyToAsync(string directory, string key, Func<string, Task> seed)
    {
        // Task.Run: the template may be built while a caller waits synchronously (a WebApplicationFactory's host setup).
        var template = await Templates.GetOrAdd(key, _ => new Lazy<Task<string>>(() => Task.Run(() => BuildAsync(seed)))).Value;
        Directory.CreateDirectory(directory);
        if (TestDatabase.IsPostgres)
        {
            await TestDatabase.CreateFromTemplateAsync(Path.Combine(template, SeededFolder), directory);
        }
        else
        {
            CopyDatabase(Path.Combine(template, DatabaseFile), Path.Combine(directory, DatabaseFile));
        }
        CopyOtherFiles(Path.Combine(template, SeededFolder), directory);
    }

    /// <summary>A key over everything a seed sees: the same key means the same seeded database.</summary>
    public static string Key(params object?[] parts) => string.Join("\u001f", parts.Select(p => p switch
    {
        IEnumerable<KeyValuePair<string, string?>> settings => string.Join("\u001e", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}")),
        DateTimeOffset instant => instant.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    }));

    /// <summary>
    /// Seeds a folder, then keeps its database as one file in rollback-journal mode: copies only read it, and a
    /// WAL-mode source makes concurrent readers race to recover its shared-memory index (SQLITE_BUSY_RECOVERY).
    /// </summary>
    private static async Task<string> BuildAsync(Func<string, Task> seed)
    {
        var template = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        var seeded = Path.Combine(template, SeededFolder);
        Directory.CreateDirectory(seeded);
        await seed(seeded);
        if (TestDatabase.IsPostgres)
        {
            // The seeded database itself is the template (PostgreSQL copies it per test); nobody may stay connected to it.
            PostgresTemplates.Add(seeded);
            TestDatabase.ReleaseConnections(seeded);
            await TestDatabase.DisconnectOthersAsync(seeded);
            return template;
        }
        // The pool would keep the seeded file open, its WAL unmerged, for as long as the process runs.
        SqliteConnection.ClearAllPools();
        CopyDatabase(Path.Combine(seeded, DatabaseFile), Path.Combine(template, DatabaseFile));
        using (var connection = Open(Path.Combine(template, DatabaseFile), SqliteOpenMode.ReadWrite))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = DELETE;";
            command.ExecuteNonQuery();
        }
        return template;
    }

    private static void CopyDatabase(string from, string to)
    {
        using var source = Open(from, SqliteOpenMode.ReadOnly);
        using var destination = Open(to, SqliteOpenMode.ReadWriteCreate);
        source.BackupDatabase(destination);
    }

    private static SqliteConnection Open(string file, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000;";
        command.ExecuteNonQuery();
        return connection;
    }

    private static void CopyOtherFiles(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(DatabaseFile, StringComparison.Ordinal))
            {
                continue; // the database, its WAL and shared memory: copied above
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The OS temp cleaner gets it.
        }
    }
}
