using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DispatchBoard.Testing;

/// <summary>
/// The app's own services over a real SQLite file in a temp folder holding the demo school (a copy of a database
/// seeded once per process, see <see cref="SeedTemplates"/>), on a fake clock; on PostgreSQL when
/// <see cref="TestDatabase"/> says so (a database per test folder, made from a seeded template). What the service, job and component
/// tests stand on.
/// </summary>
public sealed class TestData : IAsyncDisposable
{
    public const string Password = "Test-Password-1";

    private TestData(string directory, ServiceProvider services, FakeTimeProvider time)
    {
        Directory = directory;
        Services = services;
        Time = time;
    }

    public string Directory { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <param name="now">The fake clock's start; by default a Tuesday 10:00 at the school (Asia/Shanghai).</param>
    /// <param name="configure">Changes to the test's services; the seeded template they start from is built without them.</param>
    /// <param name="reuseDirectory">
    /// A restart: the database already in that folder (or, if there is none, one migrated and seeded in place) with
    /// fresh services and a fresh fake clock. Without it, a copy of this process's seeded template for the same
    /// clock start, zone and settings.
    /// </param>
    public static async Task<TestData> CreateAsync(
        DateTimeOffset? now = null,
        string timeZone = "Asia/Shanghai",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string? reuseDirectory = null)
    {
        var directory = reuseDirectory ?? Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["School:TimeZone"] = timeZone,
            ["School:Name"] = "Test School",
            ["Demo:Seed"] = "true",
            ["Demo:Password"] = Password,
            ["Intake:PermitLimit"] = "1000",
            ["Intake:OverallPermitLimit"] = "100000",
            ["Intake:TrackingMissLimit"] = "100000",
            // The tests' own push services: one on loopback, and names that are never called.
            ["Push:AllowedHosts:0"] = "127.0.0.1",
            ["Push:AllowedHosts:1"] = "push.example.com",
            ["Push:AllowedHosts:2"] = "push.example.net",
        };
        foreach (var (key, value) in TestHours.AlwaysOpen().Concat(settings ?? new Dictionary<string, string?>()))
        {
            values[key] = value;
        }
        var start = now ?? new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
        if (reuseDirectory is null)
        {
            await SeedTemplates.CopyToAsync(directory, SeedTemplates.Key(nameof(TestData), start, values), async template =>
            {
                await using var seeded = await StartAsync(template, values, new FakeTimeProvider(start), configure: null);
            });
        }

        var time = new FakeTimeProvider(start);
        return new TestData(directory, await StartAsync(directory, values, time, configure), time);
    }

    /// <summary>The app's services over the database in <paramref name="directory"/>, after its initializer ran.</summary>
    private static async Task<ServiceProvider> StartAsync(string directory, Dictionary<string, string?> settings, FakeTimeProvider time,
        Action<IServiceCollection>? configure)
    {
        var values = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in TestDatabase.Settings(directory))
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(directory));
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddDispatchOptions(isProduction: false);
        services.AddDispatchData();
        services.AddDispatchCore();
        services.AddDispatchIdentity();
        services.AddHttpContextAccessor();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        try
        {
            await ActivatorUtilities.CreateInstance<DatabaseInitializer>(provider).StartAsync(CancellationToken.None);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
        return provider;
    }

    /// <summary>The signed-in person as the services see them, by demo e-mail (e.g. "staff1").</summary>
    public async Task<Actor> ActorAsync(string who)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync($"{who}@{DemoSeed.Domain}") ?? throw new ArgumentException($"No demo user {who}");
        var roles = await users.GetRolesAsync(user);
        var staffId = await QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Staff.Where(m => m.UserId == user.Id && m.IsActive).Select(m => (int?)m.Id)));
        return new Actor(user.Id, user.DisplayName, roles.Contains(Roles.Dispatcher) || roles.Contains(Roles.Admin),
            roles.Contains(Roles.Principal), roles.Contains(Roles.Admin), staffId);
    }

    /// <summary>Runs a query on a fresh context of the test database.</summary>
    public async Task<T> QueryAsync<T>(Func<DispatchDbContext, Task<T>> query)
    {
        await using var db = await Get<Microsoft.EntityFrameworkCore.IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>
    /// Makes the database refuse every insert into <paramref name="table"/> with <paramref name="message"/> (as a full disk
    /// or a broken table would), in the dialect of the database under test, until <see cref="AllowInsertsAsync"/>.
    /// </summary>
    public Task RefuseInsertsAsync(string table, string trigger, string message) => QueryAsync(db =>
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, TestDatabase.IsPostgres
            ? $"""
              CREATE FUNCTION "{trigger}_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$;
              CREATE TRIGGER "{trigger}" BEFORE INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION "{trigger}_refuse"();
              """
            : $"CREATE TRIGGER \"{trigger}\" BEFORE INSERT ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{message}'); END;"));

    public Task AllowInsertsAsync(string trigger) => QueryAsync(db =>
        Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, TestDatabase.IsPostgres
            ? $"DROP FUNCTION \"{trigger}_refuse\"() CASCADE;"
            : $"DROP TRIGGER \"{trigger}\";"));

    public async Task SetDutyAsync(string who, bool onDuty)
    {
        var result = await Get<DispatchBoard.Web.Staff.StaffService>().SetDutyAsync(await ActorAsync(who), onDuty);
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.Describe());
        }
    }

    /// <summary>Sets the language on a demo user's account ("staff1" reads Chinese), as /account would.</summary>
    public Task SetLanguageAsync(string who, string? culture) => QueryAsync(db =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
            db.Users.Where(u => u.NormalizedEmail == $"{who}@{DemoSeed.Domain}".ToUpperInvariant()), s => s.SetProperty(u => u.Culture, culture)));

    /// <summary>The alerts stored for a demo user ("staff1", "dispatcher", …), oldest first.</summary>
    public async Task<List<DispatchBoard.Web.Notifications.Notification>> NotificationsForAsync(string who)
    {
        var actor = await ActorAsync(who);
        return await QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Notifications.Where(n => n.UserId == actor.UserId).OrderBy(n => n.Id)));
    }

    /// <summary>Stops these services without deleting the database, as a process exit would.</summary>
    public async Task StopAsync()
    {
        _keepFiles = true;
        await DisposeAsync();
    }

    private bool _keepFiles;

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_keepFiles)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (TestDatabase.IsPostgres)
        {
            await TestDatabase.DropAsync(Directory);
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection on another test; the OS temp cleaner gets it.
        }
    }

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "DispatchBoard.Web";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
