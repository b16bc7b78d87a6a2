using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

// The checks run one after another, in the order of their names: the last ones stop Redis and kill instance A.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace DispatchBoard.ScaleOut;

/// <summary>
/// What scripts/scaleout.sh started: two instances (A and B) of the Release build on PostgreSQL and Redis, nginx in front
/// of both, and the way to reach each server's process (ids, the Redis restart, psql for reading the database). One
/// headless Chromium for the boards.
/// </summary>
public sealed class ScaleOutEnvironment : IAsyncLifetime
{
    public const string Password = "ScaleOut-Password-1";

    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;

    public Uri A { get; } = Required("SCALEOUT_URL_A");
    public Uri B { get; } = Required("SCALEOUT_URL_B");
    public Uri Nginx { get; } = Required("SCALEOUT_URL_NGINX");
    public int PidA { get; } = int.Parse(Setting("SCALEOUT_PID_A"));
    public int RedisPort { get; } = int.Parse(Setting("SCALEOUT_REDIS_PORT"));
    public string ResultsDirectory { get; } = Environment.GetEnvironmentVariable("SCALEOUT_RESULTS") ?? AppContext.BaseDirectory;
    public IBrowser Browser { get; private set; } = default!;

    public int RedisPid { get; private set; } = int.Parse(Setting("SCALEOUT_REDIS_PID"));

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    private static string Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: the scale-out checks run from scripts/scaleout.sh, which starts the servers they need.");

    private static Uri Required(string name) => new(Setting(name).TrimEnd('/') + "/");

    /// <summary>A browser context on one instance (or nginx), signed in as <paramref name="who"/> when given.</summary>
    public async Task<IBrowserContext> ScreenAsync(Uri instance, string? who = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = instance.ToString(),
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        if (who is not null)
        {
            var response = await context.APIRequest.PostAsync("/api/auth/login", new APIRequestContextOptions
            {
                DataObject = new { email = Email(who), password = Password },
            });
            if (!response.Ok)
            {
                throw new InvalidOperationException($"Sign-in as {who} on {instance} failed: {response.Status} {await response.TextAsync()}");
            }
        }
        return context;
    }

    public static string Email(string who) => who.Contains('@') ? who : $"{who}@demo.example";

    /// <summary>An HTTP client on one instance with its own cookie jar, signed in when <paramref name="who"/> is given.</summary>
    public async Task<SignedInClient> ClientAsync(Uri instance, string? who = null)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = instance };
        if (who is not null)
        {
            var login = await client.PostAsJsonAsync("/api/auth/login", new { email = Email(who), password = Password });
            if (!login.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Sign-in as {who} on {instance} failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
            }
        }
        return new SignedInClient(client, cookies, instance);
    }

    /// <summary>A hub client of one instance over WebSockets, with a signed-in client's cookie.</summary>
    public static HubConnection Hub(SignedInClient signedIn) => new HubConnectionBuilder()
        .WithUrl(new Uri(signedIn.Instance, DispatchHub.Path.TrimStart('/')), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Headers["Cookie"] = signedIn.Cookies.GetCookieHeader(signedIn.Instance);
        })
        .Build();

    /// <summary>Reads the shared database with psql (rows of tab-separated columns).</summary>
    public static async Task<List<string[]>> SqlAsync(string sql)
    {
        var start = new ProcessStartInfo(Setting("SCALEOUT_PSQL"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Setting("SCALEOUT_PSQL_CONNINFO"), "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql })
        {
            start.ArgumentList.Add(argument);
        }
        using var psql = Process.Start(start)!;
        var output = psql.StandardOutput.ReadToEndAsync();
        var error = psql.StandardError.ReadToEndAsync();
        await psql.WaitForExitAsync();
        if (psql.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed ({psql.ExitCode}) on {sql}: {await error}");
        }
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }

    public static async Task<long> CountAsync(string sql) => long.Parse((await SqlAsync(sql))[0][0]);

    /// <summary>The open tickets in the database, by the board's columns.</summary>
    public static async Task<Dictionary<string, int[]>> OpenTicketsAsync()
    {
        var rows = await SqlAsync("""SELECT "Id", "Status" FROM "Tickets" WHERE "Status" IN ('New', 'Claimed', 'OnSite', 'Escalated')""");
        return OpenColumns.ToDictionary(c => c, c => rows.Where(r => r[1] == c).Select(r => int.Parse(r[0])).Order().ToArray());
    }

    public static readonly string[] OpenColumns = ["New", "Claimed", "OnSite", "Escalated"];

    /// <summary>Stops Redis by its process id, as a crash would.</summary>
    public void StopRedis()
    {
        using var redis = Process.GetProcessById(RedisPid);
        redis.Kill();
        redis.WaitForExit(10_000);
    }

    /// <summary>Starts Redis again on the same port; its pid goes where scaleout.sh's trap finds it.</summary>
    public async Task StartRedisAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("SCALEOUT_REDIS_SERVER") ?? "redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }
        var redis = Process.Start(start)!;
        redis.OutputDataReceived += (_, _) => { };
        redis.ErrorDataReceived += (_, _) => { };
        redis.BeginOutputReadLine();
        redis.BeginErrorReadLine();
        RedisPid = redis.Id;
        await File.WriteAllTextAsync(Setting("SCALEOUT_REDIS_PIDFILE"), redis.Id.ToString());
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, RedisPort);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTimeOffset.UtcNow < deadline && !redis.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>kill -9 of instance A.</summary>
    public void KillA()
    {
        using var a = Process.GetProcessById(PidA);
        a.Kill(entireProcessTree: false);
        a.WaitForExit(10_000);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public void Record(string line)
    {
        Directory.CreateDirectory(ResultsDirectory);
        File.AppendAllText(Path.Combine(ResultsDirectory, "scaleout.txt"), line + Environment.NewLine);
    }
}

public sealed record SignedInClient(HttpClient Http, CookieContainer Cookies, Uri Instance) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutEnvironment>
{
    public const string Name = "scale-out";
}

/// <summary>Runs a class's checks in the order of their names (xunit's default order is not the declared one).</summary>
public sealed class ByNameOrderer : Xunit.Sdk.ITestCaseOrderer
{
    public const string TypeName = "DispatchBoard.ScaleOut.ByNameOrderer";
    public const string AssemblyName = "DispatchBoard.ScaleOut";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : Xunit.Abstractions.ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
