using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace DispatchBoard.Testing;

/// <summary>
/// Which database the tests run on: a SQLite file in each test's folder (the default), or, when
/// <c>DISPATCH_TEST_POSTGRES</c> holds an Npgsql connection string of a role that may create databases (scripts/test.sh
/// sets it for its second run), a PostgreSQL database per test folder, made from a seeded template
/// (<c>CREATE DATABASE … TEMPLATE …</c>) and dropped when the test ends.
/// </summary>
public static class TestDatabase
{
    public const string PostgresVariable = "DISPATCH_TEST_POSTGRES";

    /// <summary>The server's connection string, or null on SQLite.</summary>
    public static string? PostgresServer { get; } = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static bool IsPostgres => PostgresServer is not null;

    /// <summary>The settings that point the app at the database of <paramref name="directory"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string directory)
    {
        if (PostgresServer is null)
        {
            yield return new("ConnectionStrings:Dispatch", $"Data Source={Path.Combine(directory, SeedTemplates.DatabaseFile)}");
            yield break;
        }
        yield return new("Database:Provider", "Postgres");
        // The test's files (photos) stay in its own folder, as beside its SQLite file.
        yield return new("Database:DataFolder", directory);
        yield return new("ConnectionStrings:Dispatch", ConnectionString(directory));
    }

    /// <summary>The database of a test folder: one name per folder, so a restart on the same folder finds the same data.</summary>
    public static string NameOf(string directory) =>
        "test_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..24];

    public static string ConnectionString(string directory) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = NameOf(directory) }.ToString();

    /// <summary>A copy of <paramref name="templateDirectory"/>'s database for <paramref name="directory"/>.</summary>
    public static async Task CreateFromTemplateAsync(string templateDirectory, string directory)
    {
        // FILE_COPY copies the template's files at once (a checkpoint, cheap with fsync off) instead of logging every page.
        await ExecuteAsync($"CREATE DATABASE \"{NameOf(directory)}\" TEMPLATE \"{NameOf(templateDirectory)}\" STRATEGY FILE_COPY");
    }

    /// <summary>Lets the template's last connections go: PostgreSQL copies only a database nobody is connected to.</summary>
    public static void ReleaseConnections(string directory)
    {
        using var connection = new NpgsqlConnection(ConnectionString(directory));
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>Ends every other session on that database (a job storage's own pool, say), so it can serve as a template.</summary>
    public static Task DisconnectOthersAsync(string directory) =>
        ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{NameOf(directory)}' AND pid <> pg_backend_pid()");

    public static async Task DropAsync(string directory)
    {
        ReleaseConnections(directory);
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{NameOf(directory)}\" WITH (FORCE)");
    }

    public static void Drop(string directory)
    {
        ReleaseConnections(directory);
        using var connection = new NpgsqlConnection(PostgresServer);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{NameOf(directory)}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>A connection of its own to the database of <paramref name="directory"/>, outside the app (no pool).</summary>
    public static System.Data.Common.DbConnection Open(string directory)
    {
        System.Data.Common.DbConnection connection = IsPostgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(directory)) { Pooling = false }.ToString())
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, SeedTemplates.DatabaseFile)};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Runs one statement on the database of <paramref name="directory"/> (before or beside the app); the rows it touched.</summary>
    public static async Task<int> ExecuteAsync(string directory, string sql)
    {
        await using var connection = Open(directory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }
}
