using DispatchBoard.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

// One browser scenario at a time: they measure latency and share the machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace DispatchBoard.E2E;

/// <summary>
/// The app on a free loopback port (Kestrel, a real SQLite file in a temp folder, the demo school) and one headless
/// Chromium (Debian's /usr/bin/chromium; Playwright's own browser download cannot work here).
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public const string Password = "E2E-Password-1";
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    // Every page stands for a device of its own (an office TV, a phone), always in front: the browser must not freeze or
    // throttle one because another context's window took the focus (a frozen TV page missed its alert and answered no
    // script for 30 s when the office's window was clicked).
    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dispatchboard-e2e", Guid.NewGuid().ToString("N"));
    private Factory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The app's services, for arranging what a scenario needs (never for checking what the browser shows).</summary>
    public IServiceProvider Services => _factory!.Services;
    public Uri BaseAddress { get; private set; } = default!;
    public string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable("E2E_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ChromiumPath}. Run the README's test command (it installs Debian's chromium) or set CHROMIUM_PATH.");
        }
        Directory.CreateDirectory(_directory);
        Directory.CreateDirectory(ScreenshotDirectory);
        _factory = new Factory(_directory, ConfigureApp);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Settings and services of a fixture's own app, over the defaults below (a subclass's scenario).</summary>
    protected virtual void ConfigureApp(IWebHostBuilder builder)
    {
    }

    /// <param name="locale">The browser's language (its Accept-Language), e.g. "zh-CN"; the browser's default when null.</param>
    public async Task<IBrowserContext> OfficeScreenAsync(string? locale = null) => BoundedClose.Wrap(await Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        Locale = locale,
    }));

    /// <param name="locale">The browser's language (its Accept-Language), e.g. "zh-CN"; the browser's default when null.</param>
    public async Task<IBrowserContext> PhoneAsync(string? locale = null) => BoundedClose.Wrap(await Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 375, Height = 812 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
        Locale = locale,
    }));

    /// <summary>
    /// A phone whose browser keeps a profile in <paramref name="userDataDirectory"/> (a browser of its own). Contexts from
    /// <see cref="PhoneAsync"/> are off the record, and Chromium will not install a web app from those ("in-incognito").
    /// </summary>
    public Task<IBrowserContext> PhoneWithProfileAsync(string userDataDirectory) =>
        _playwright!.Chromium.LaunchPersistentContextAsync(userDataDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 375, Height = 812 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });

    /// <summary>Signs the whole context in through the API (the cookie is shared with its pages).</summary>
    public async Task SignInAsync(IBrowserContext context, string who)
    {
        var response = await context.APIRequest.PostAsync("/api/auth/login", new APIRequestContextOptions
        {
            DataObject = new { email = $"{who}@demo.example", password = Password },
        });
        if (!response.Ok)
        {
            throw new InvalidOperationException($"Sign-in as {who} failed: {response.Status} {await response.TextAsync()}");
        }
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = false });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(string directory, Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Development: the static web assets (MudBlazor, blazor.web.js) are served from the build output.
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Dispatch", $"Data Source={Path.Combine(directory, "dispatch.db")}");
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Demo:Password", Password);
            builder.UseSetting("Intake:PermitLimit", "1000");
            builder.UseSetting("Intake:OverallPermitLimit", "100000");
            builder.UseSetting("Intake:TrackingMissLimit", "100000");
            builder.UseSetting("Push:AllowedHosts:0", "127.0.0.1"); // the test's push service
            builder.UseSetting("School:Name", "Riverside School");
            // Rounds for "this week" whatever day the tests run on.
            builder.UseSetting("Inspections:Schedule", "* * * * *");
            // The suite runs on the real clock: a school that never closes, and none of the demo's dated holidays
            // (appsettings.Development.json), so no test depends on the day or hour it runs.
            foreach (var (key, value) in TestHours.AlwaysOpen())
            {
                builder.UseSetting(key, value);
            }
            // The demo's semesters stay (the planning pages show their plan), as in appsettings.Development.json.
            builder.UseSetting("Calendar:Semesters:0:Name", "Autumn 2026");
            builder.UseSetting("Calendar:Semesters:0:StartsOn", "2026-09-01");
            builder.UseSetting("Calendar:Semesters:0:EndsOn", "2027-01-22");
            builder.UseSetting("Calendar:Semesters:1:Name", "Spring 2027");
            builder.UseSetting("Calendar:Semesters:1:StartsOn", "2027-02-22");
            builder.UseSetting("Calendar:Semesters:1:EndsOn", "2027-07-02");
            builder.ConfigureAppConfiguration((_, config) =>
            {
                foreach (var source in config.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>()
                    .Where(s => s.Path == "appsettings.Development.json").ToList())
                {
                    config.Sources.Remove(source);
                }
            });
            configure(builder);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>
/// The burst scenarios on an app of their own: their fifty reports stay out of the other scenarios' boards and
/// screenshots.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BurstCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "burst";
}
