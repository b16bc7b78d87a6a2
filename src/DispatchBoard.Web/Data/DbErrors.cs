using Microsoft.Data.Sqlite;
using Npgsql;

namespace DispatchBoard.Web.Data;

/// <summary>What a failed write means, whichever database said it.</summary>
public static class DbErrors
{
    /// <summary>
    /// A unique index or primary key refused the row (someone stored the same key a moment ago): SQLite's
    /// SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, PostgreSQL's 23505.
    /// </summary>
    public static bool IsUniqueViolation(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 19 } sqlite when sqlite.SqliteExtendedErrorCode is 2067 or 1555:
                    return true;
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                    return true;
            }
        }
        return false;
    }
}
