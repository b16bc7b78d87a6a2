using System.Net.Http.Json;
using DispatchBoard.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The whole app over a real SQLite file in a temp folder holding the demo school (or its own PostgreSQL database, see
/// <see cref="TestDatabase"/>). One per test class; the school is
/// seeded once per test process, by the real clock at its first use, and copied for each (see <see cref="SeedTemplates"/>).
/// </summary>
public class DispatchBoardFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The settings the seed sees, and so the key of its template.</summary>
    private static readonly Dictionary<string, string?> SeedSettings = new()
    {
        ["Demo:Seed"] = "true",
        ["Demo:Password"] = TestData.Password,
        ["School:Name"] = "Test School",
        // No Hangfire server and no recurring jobs: the tests call the job classes themselves when they need one.
        ["Jobs:Enabled"] = "false",
        // The tests' own push services: one on loopback, and a name that is never called.
        ["Push:AllowedHosts:0"] = "127.0.0.1",
        ["Push:AllowedHosts:1"] = "push.example.com",
    };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));

    protected virtual int IntakePermitLimit => 10_000;

    /// <summary>
    /// Before the class's first test (xunit awaits it for a class fixture): copying here rather than in the synchronous
    /// host setup keeps xunit's few test threads from blocking on a template that another test is still building.
    /// </summary>
    public Task InitializeAsync() =>
        SeedTemplates.CopyToAsync(_directory, SeedTemplates.Key(nameof(DispatchBoardFactory), SeedSettings), SeedAsync);

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // xunit then calls Dispose, below

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Configure(builder, _directory);
        builder.UseSetting("Intake:PermitLimit", IntakePermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Intake:WindowSeconds", "3600");
        // The suites send thousands of anonymous requests (the hostile-input corpus above all): no shared ceiling or
        // tracking limit may turn their cases into 429s. The tests of those limits set their own.
        builder.UseSetting("Intake:OverallPermitLimit", "1000000");
        builder.UseSetting("Intake:TrackingMissLimit", "100000");
    }

    private static void Configure(IWebHostBuilder builder, string directory)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in TestHours.AlwaysOpen().Concat(SeedSettings).Concat(TestDatabase.Settings(directory)))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the app once over an empty folder: its initializer migrates and seeds, as at a first start.</summary>
    private static async Task SeedAsync(string directory)
    {
        await using var host = new SeedHost(directory);
        _ = host.Services;
    }

    private sealed class SeedHost(string directory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => Configure(builder, directory);
    }

    /// <summary>The folder of this app's database (and of anything else it keeps in its data folder).</summary>
    public string DataDirectory => _directory;

    /// <summary>
    /// Another app instance on the same database file and settings (a second server behind the same address), with its
    /// own services and memory; <paramref name="configure"/> changes only this instance. The folder stays this factory's.
    /// </summary>
    public WebApplicationFactory<Program> AnotherInstance(Action<IWebHostBuilder>? configure = null) => new Instance(_directory, configure);

    private sealed class Instance(string directory, Action<IWebHostBuilder>? configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            Configure(builder, directory);
            configure?.Invoke(builder);
        }
    }

    /// <summary>A client with its own cookie jar, signed in as a demo user ("staff1", "dispatcher", …).</summary>
    public async Task<HttpClient> SignedInAsync(string who)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = TestData.Password });
        // Many tests of one class sign the same person in at once from one address: the sign-in throttle may ask them
        // to come back (429 with Retry-After, a second or two). Do as it says, twice at most, as a browser user would.
        for (var retry = 0; response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && retry < 2; retry++)
        {
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            await Task.Delay(wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(5));
            response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = TestData.Password });
        }
        if (!response.IsSuccessStatusCode)
        {
            // Say why (a throttled sign-in names its wait), so a rare failure can be told from another.
            throw new InvalidOperationException($"Sign-in as {who} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (TestDatabase.IsPostgres)
        {
            TestDatabase.Drop(_directory);
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The same app with a tight anonymous-intake limit, for the 429 test.</summary>
public sealed class TightIntakeFactory : DispatchBoardFactory
{
    public const int Limit = 3;
    protected override int IntakePermitLimit => Limit;
}
