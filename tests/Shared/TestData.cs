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
/// The app's own services over a real SQLite file in a temp folder, migrated and seeded with the demo school,
/// on a fake clock. What the service, job and component tests stand on.
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
    public static async Task<TestData> CreateAsync(
        DateTimeOffset? now = null,
        string timeZone = "Asia/Shanghai",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dispatch"] = $"Data Source={Path.Combine(directory, "dispatch.db")}",
            ["School:TimeZone"] = timeZone,
            ["School:Name"] = "Test School",
            ["Demo:Seed"] = "true",
            ["Demo:Password"] = Password,
            ["Intake:PermitLimit"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

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

        await ActivatorUtilities.CreateInstance<DatabaseInitializer>(provider).StartAsync(CancellationToken.None);
        return new TestData(directory, provider, time);
    }

    /// <summary>The signed-in person as the services see them, by demo e-mail (e.g. "staff1").</summary>
    public async Task<Actor> ActorAsync(string who)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync($"{who}@{DemoSeed.Domain}") ?? throw new ArgumentException($"No demo user {who}");
        var roles = await users.GetRolesAsync(user);
        return new Actor(user.Id, user.DisplayName, roles.Contains(Roles.Dispatcher) || roles.Contains(Roles.Admin));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
