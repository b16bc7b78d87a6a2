using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DispatchBoard.Web.Data;

/// <summary>
/// On PostgreSQL, every transaction the app begins first takes one transaction-scoped advisory lock: writers take turns,
/// as SQLite's write transactions (BEGIN IMMEDIATE) do. So a rule checked and written inside one transaction (the last
/// active admin, a series edit replacing its meetings, alerts staged against a read) decides the same on both databases;
/// PostgreSQL's default READ COMMITTED would let two such transactions each pass the check. Reads outside a transaction
/// never wait, and the lock ends with the transaction, whatever way it ends.
/// </summary>
public sealed class PostgresWriteTurns : DbTransactionInterceptor
{
    /// <summary>The lock's key, distinct from <see cref="StartupLock.Key"/>.</summary>
    public const long Key = 0x44_69_73_70_57_72_69_74; // "DispWrit"

    private static readonly string Sql = $"SELECT pg_advisory_xact_lock({Key})";

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        using var command = Command(connection, result);
        command.ExecuteNonQuery();
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, result);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return result;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        return command;
    }
}
