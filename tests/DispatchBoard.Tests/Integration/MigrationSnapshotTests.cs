using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Integration;

/// <summary>Each database's migrations end in the model the code has: a model change without its two migrations fails here.</summary>
public sealed class MigrationSnapshotTests
{
    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = new DispatchDbContextDesignFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Add the SQLite migration (README, Migrations).");
    }

    [Fact]
    public void PostgresMigrations_MatchTheModel()
    {
        using var db = new PostgresDispatchDbContextDesignFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Add the PostgreSQL migration (README, Migrations).");
    }
}
