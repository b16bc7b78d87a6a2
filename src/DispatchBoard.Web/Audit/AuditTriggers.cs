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

    /// <summary>The same refusal on PostgreSQL: a row trigger for UPDATE and DELETE, a statement trigger for TRUNCATE.</summary>
    public static void CreatePostgres(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""
            CREATE FUNCTION "AuditEntries_Refuse"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{Refusal}' USING ERRCODE = 'insufficient_privilege'; END $$;
            CREATE TRIGGER "{NoUpdate}" BEFORE UPDATE ON "AuditEntries" FOR EACH ROW EXECUTE FUNCTION "AuditEntries_Refuse"();
            CREATE TRIGGER "{NoDelete}" BEFORE DELETE ON "AuditEntries" FOR EACH ROW EXECUTE FUNCTION "AuditEntries_Refuse"();
            CREATE TRIGGER "AuditEntries_NoTruncate" BEFORE TRUNCATE ON "AuditEntries" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntries_Refuse"();
            """);
    }

    public static void DropPostgres(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP FUNCTION IF EXISTS \"AuditEntries_Refuse\"() CASCADE;");

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{NoUpdate}\";");
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{NoDelete}\";");
    }
}
