using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DispatchBoard.Web.Data;

/// <summary>
/// Every SQLite connection waits for a busy writer instead of failing at once, enforces foreign keys, and gets a page
/// cache large enough for the reports.
/// (WAL mode is a property of the file and is set once at start.)
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    // A 32 MB page cache and in-memory temp tables keep report queries (GROUP BY, window sums) off the disk.
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
