using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Hosting;

/// <summary>
/// The hot paths' compiled queries (a report's tracking-code check, the staff on duty, a rival claim's look) run on
/// SQLite and on PostgreSQL: EF refuses a compiled query on a model other than its first, so each model gets its own.
/// </summary>
public sealed class CompiledPerModelTests
{
    private static Func<DispatchDbContext, int, CancellationToken, Task<bool>> Compile() =>
        EF.CompileAsyncQuery((DispatchDbContext db, int id, CancellationToken ct) => db.Tickets.Any(t => t.Id == id));

    private static DispatchDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<DispatchDbContext>().UseSqlite("Data Source=:memory:").Options);

    // Never opened: a compiled query's model check comes before any connection.
    private static PostgresDispatchDbContext Postgres() =>
        new(new DbContextOptionsBuilder<PostgresDispatchDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Database=none").Options);

    [Fact]
    public async Task OneCompiledQuery_IsRefusedOnTheOtherProvidersModel_SoEachModelGetsItsOwn()
    {
        await using var sqlite = Sqlite();
        await sqlite.Database.OpenConnectionAsync();
        await sqlite.Database.EnsureCreatedAsync();
        await using var postgres = Postgres();

        var once = Compile();
        Assert.False(await once(sqlite, 1, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => once(postgres, 1, CancellationToken.None));
        Assert.Contains("different model", refused.Message);

        var perModel = new CompiledPerModel<Func<DispatchDbContext, int, CancellationToken, Task<bool>>>(Compile);
        await using var another = Sqlite();
        Assert.Same(perModel.For(sqlite), perModel.For(another));
        Assert.NotSame(perModel.For(sqlite), perModel.For(postgres));
        Assert.False(await perModel.For(sqlite)(sqlite, 1, CancellationToken.None));
    }
}
