using Microsoft.EntityFrameworkCore.Migrations;

namespace DispatchBoard.Web.Audit;

/// <summary>
/// The database itself refuses to change or remove an audit line, whatever code (or a stray SQL session of the app's
/// connection) asks: a line once written stays as written. Created by the migration that adds the table.
/// </summary>
public static class AuditTriggers
{
    public const string NoUpdate = "AuditEntries_NoUpdate";
    public const string NoDelete = "AuditEntries_NoDelete";
    public const string Refusal = "The audit log cannot be changed.";

    public static void Create(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""
            CREATE TRIGGER "{NoUpdate}" BEFORE UPDATE ON "AuditEntries"
            BEGIN SELECT RAISE(ABORT, '{Refusal}'); END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER "{NoDelete}" BEFORE DELETE ON "AuditEntries"
            BEGIN SELECT RAISE(ABORT, '{Refusal}'); END;
            """);
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{NoUpdate}\";");
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{NoDelete}\";");
    }
}
