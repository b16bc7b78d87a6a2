using System.Net;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// What only a shared server has: instances starting at once against one empty database, and one Hangfire storage for
/// all of them. Run by scripts/test.sh in its PostgreSQL run (DISPATCH_TEST_POSTGRES), left out of the SQLite run.
/// </summary>
[Trait("Database", "Postgres")]
public sealed class PostgresTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Assert.True(TestDatabase.IsPostgres, $"These tests need {TestDatabase.PostgresVariable} (scripts/test.sh sets it for its PostgreSQL run).");
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await TestDatabase.DropAsync(_directory);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task TwoInstancesStartingAtOnce_OnAnEmptyDatabase_MigrateAndSeedItOnce_AndBothAreReady()
    {
        await using var a = new Instance(_directory, jobs: false);
        await using var b = new Instance(_directory, jobs: false);

        // Both hosts start on their own threads at the same moment: each migrates, creates roles and seeds at start.
        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));

        foreach (var instance in new[] { a, b })
        {
            var ready = await instance.CreateClient().GetAsync("/health/ready");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }
        await using var db = await a.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(Roles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == "ADMIN@DEMO.EXAMPLE"));
        Assert.Equal(await db.Areas.Select(a => a.Code).Distinct().CountAsync(), await db.Areas.CountAsync());
    }

    [Fact]
    public async Task TwoInstancesWithJobs_OnAMissingDatabase_ShareOneJobStorage_HoldingEachRecurringJobOnce_AndSeeBothServers()
    {
        // On a database that does not exist yet: the first makes it as it builds the job storage (which installs Hangfire's
        // schema under its own lock, StartupLock.JobsKey). Two real instances starting at the same moment: the scale-out step.
        await using var a = new Instance(_directory, jobs: true);
        _ = a.Services;
        await using var b = new Instance(_directory, jobs: true);
        _ = b.Services;

        using var fromA = a.Services.GetRequiredService<JobStorage>().GetConnection();
        using var fromB = b.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = fromA.GetRecurringJobs();
        Assert.Equal(recurring.Count, recurring.Select(j => j.Id).Distinct().Count());
        Assert.Contains(recurring, j => j.Id == JobRegistrar.WeeklyInspections);
        Assert.Equal(recurring.Select(j => j.Id).Order(), fromB.GetRecurringJobs().Select(j => j.Id).Order());
        // Each instance's Hangfire server announces itself in the shared storage: a recurring job fires once across them.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (a.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var servers = b.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers();
        Assert.True(servers.Count == 2, $"Servers in the shared job storage after 30 s: {string.Join(", ", servers.Select(s => s.Name))}");
    }

    [Fact]
    public async Task TheNightlyBackup_OnPostgres_WritesNoFile_AndSaysToUsePgDump()
    {
        await using var data = await TestData.CreateAsync(settings: new Dictionary<string, string?> { ["Backup:Folder"] = Path.Combine(_directory, "backups") });

        var outcome = await data.Get<DatabaseBackupJob>().RunAsync(CancellationToken.None);

        Assert.Equal(BackupStatus.NotSqlite, outcome.Status);
        Assert.False(Directory.Exists(Path.Combine(_directory, "backups")) && Directory.EnumerateFileSystemEntries(Path.Combine(_directory, "backups")).Any());
    }

    /// <summary>One app instance on the database of <paramref name="directory"/>, with or without its Hangfire server.</summary>
    private sealed class Instance(string directory, bool jobs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in TestHours.AlwaysOpen().Concat(TestDatabase.Settings(directory)))
            {
                builder.UseSetting(key, value);
            }
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Demo:Password", TestData.Password);
            builder.UseSetting("Jobs:Enabled", jobs ? "true" : "false");
        }
    }
}
