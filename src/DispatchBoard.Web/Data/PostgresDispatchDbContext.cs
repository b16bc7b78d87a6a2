using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DispatchBoard.Web.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that its migrations (Data/Migrations/Postgres) are kept apart
/// from SQLite's, the way EF documents "Migrations with Multiple Providers"; the factory hands it out as a
/// <see cref="DispatchDbContext"/>.
/// </summary>
public sealed class PostgresDispatchDbContext(DbContextOptions<PostgresDispatchDbContext> options) : DispatchDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The same checks with quoted names: PostgreSQL folds unquoted names to lower case (SQLite's migrations keep theirs).
        builder.Entity<Ticket>().ToTable(t => t.HasCheckConstraint("CK_Tickets_Rating", "\"Rating\" IS NULL OR (\"Rating\" BETWEEN 1 AND 5)"));
        builder.Entity<RosterSlot>().ToTable(t =>
        {
            t.HasCheckConstraint("CK_RosterSlots_Start", "\"StartMinute\" >= 0 AND \"StartMinute\" < 1440");
            t.HasCheckConstraint("CK_RosterSlots_End", "\"EndMinute\" > 0 AND \"EndMinute\" <= 1440");
        });
    }
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresDispatchDbContext</c>: a model needs no server.</summary>
public sealed class PostgresDispatchDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresDispatchDbContext>
{
    public PostgresDispatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDispatchDbContext>().UseNpgsql("Host=localhost;Database=dispatch_design").Options);
}
