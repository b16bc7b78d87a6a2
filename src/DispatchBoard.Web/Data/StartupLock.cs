using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DispatchBoard.Web.Data;

/// <summary>
/// PostgreSQL's session advisory lock, held by one context's open connection for as long as the start-up work runs; the
/// lock ends with the connection, so a process that dies while holding it does not keep the others waiting. Nothing on SQLite.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The lock's key: any 64-bit number the app's own database uses for nothing else.</summary>
    public const long Key = 0x44_69_73_70_61_74_63_68; // "Dispatch"

    private readonly DispatchDbContext? _db;

    private StartupLock(DispatchDbContext? db) => _db = db;

    public static async Task<StartupLock> TakeAsync(IDbContextFactory<DispatchDbContext> dbFactory, ILogger logger, CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsNpgsql())
        {
            await db.DisposeAsync();
            return new StartupLock(null);
        }
        try
        {
            // The lock lives in the database, so it must exist first (as Migrate would make it); two makers race harmlessly.
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(ct))
            {
                try
                {
                    await creator.CreateAsync(ct);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                }
            }
            await db.Database.OpenConnectionAsync(ct);
            // The wait is unbounded on purpose: another instance's migration takes what it takes.
            db.Database.SetCommandTimeout(TimeSpan.Zero);
            if (!await db.Database.SqlQueryRaw<bool>("SELECT pg_try_advisory_lock({0}) AS \"Value\"", Key).SingleAsync(ct))
            {
                logger.WaitingForOtherInstanceStartup();
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [Key], ct);
            }
            return new StartupLock(db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is null)
        {
            return;
        }
        try
        {
            await _db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", Key);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
            await _db.DisposeAsync();
        }
    }

    /// <summary>
    /// The key Hangfire's schema install takes turns on. Not <see cref="Key"/>: the job storage is made when the host
    /// builds its hosted services, before the initializer runs, and may be made while the initializer holds that lock.
    /// </summary>
    public const long JobsKey = Key + 1;

    /// <summary>
    /// Makes something (the PostgreSQL job storage, which installs its schema as it is made) while holding a session
    /// advisory lock, so instances starting at once do it one after another. Creates the database first if it is missing,
    /// as the initializer would.
    /// </summary>
    public static T WhileHolding<T>(string connectionString, long key, Func<T> make)
    {
        EnsureDatabase(connectionString);
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 })
        {
            take.Parameters.AddWithValue("key", key);
            take.ExecuteNonQuery();
        }
        try
        {
            return make();
        }
        finally
        {
            using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", key);
            release.ExecuteNonQuery();
        }
    }

    private static void EnsureDatabase(string connectionString)
    {
        try
        {
            using var probe = new NpgsqlConnection(connectionString);
            probe.Open();
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        server.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", server);
        try
        {
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}
