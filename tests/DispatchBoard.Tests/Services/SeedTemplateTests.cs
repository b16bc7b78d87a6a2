using DispatchBoard.Testing;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>The seeded template the tests copy holds what a first start seeds, once, and every copy is a test's own.</summary>
public sealed class SeedTemplateTests
{
    private static async Task<SortedDictionary<string, long>> RowCountsAsync(TestData data) => await data.QueryAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = TestDatabase.IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }
        return counts;
    });

    [Fact]
    public async Task ACopy_AfterTheInitializerRanOnIt_HoldsExactlyWhatASeedInPlaceHolds()
    {
        await using var copy = await TestData.CreateAsync();
        // Reusing an empty folder is a first start there: migrated and seeded in place, no template.
        await using var seededInPlace = await TestData.CreateAsync(reuseDirectory: Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N")));

        var expected = await RowCountsAsync(seededInPlace);
        Assert.True(expected["AspNetUsers"] > 0 && expected["Areas"] > 0 && expected["Tickets"] > 0, "the demo school was seeded");
        Assert.Equal(expected, await RowCountsAsync(copy));
    }

    [Fact]
    public async Task TwoCopies_OfTheSameTemplate_AreIndependent()
    {
        await using var first = await TestData.CreateAsync();
        await using var second = await TestData.CreateAsync();
        var before = await second.QueryAsync(db => db.Tickets.CountAsync());

        var reported = await first.Get<TicketIntake>().ReportAsync(
            new ReportTicket("A204", "Lighting", "The lights won't turn on", false, null, null, null), TicketChannel.Web, null);

        Assert.True(reported.IsOk, reported.Describe());
        Assert.NotEqual(first.Directory, second.Directory);
        Assert.Equal(before + 1, await first.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(before, await second.QueryAsync(db => db.Tickets.CountAsync()));
    }
}
