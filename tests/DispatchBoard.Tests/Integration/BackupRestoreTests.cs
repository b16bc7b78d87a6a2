using System.Net;
using System.Net.Http.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>The README's restore, done: a backup copied over an empty folder's dispatch.db, and the app started on it.</summary>
// The nightly SQLite backup (its backup API, its files): PostgreSQL is backed up with pg_dump.
[Trait("Database", "Sqlite")]
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ABackupRestoredIntoAFreshFolder_StartsTheApp_WithNothingToMigrate_AndServesTheTicketsThatWereInIt()
    {
        Directory.CreateDirectory(_scratch);
        var kept = Path.Combine(_scratch, "kept-backup.db");
        int inBackup, afterBackup;
        await using (var school = await TestData.CreateAsync())
        {
            inBackup = await ReportAsync(school, "Reported before the backup");
            var outcome = await school.Get<DatabaseBackupJob>().RunAsync(CancellationToken.None);
            Assert.Equal(BackupStatus.Written, outcome.Status);
            afterBackup = await ReportAsync(school, "Reported after the backup");
            File.Copy(outcome.File!, kept);
        }

        // Restore: the backup copied over data/dispatch.db of a fresh folder (no -wal or -shm beside it), then start.
        var fresh = Path.Combine(_scratch, "restored");
        Directory.CreateDirectory(fresh);
        var database = Path.Combine(fresh, "dispatch.db");
        File.Copy(kept, database);
        var migrationsBefore = AppliedMigrations(database);

        await using var app = new RestoredApp(database);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = $"dispatcher@{DemoSeed.Domain}", password = TestData.Password });
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());

        var restored = await client.GetAsync($"/api/tickets/{inBackup}");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Contains("Reported before the backup", await restored.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/tickets/{afterBackup}")).StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations().Count(), migrationsBefore); // the start found nothing to migrate
        Assert.Equal(migrationsBefore, AppliedMigrations(database));
    }

    private static async Task<int> ReportAsync(TestData school, string description)
    {
        var result = await school.Get<TicketIntake>().ReportAsync(new ReportTicket("A204", "Lighting", description, false, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    private static int AppliedMigrations(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The app as a school runs it, on the restored database: no demo seed, no clock of its own.</summary>
    private sealed class RestoredApp(string database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Dispatch", $"Data Source={database}");
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Jobs:Enabled", "false");
        }
    }
}
