using System.Diagnostics;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>
/// Starts the two servers a measurement compares: DispatchBoard (its Release publish, as deployed: Production, SQLite in a
/// temp folder, the demo school) and the floor (benchmarks/DispatchBoard.Floor), each in its own process.
/// </summary>
public static class Servers
{
    public const string Password = "Bench-Password-1";
    private static string? _published;

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>A fresh folder under the temp directory for one run's files (databases, logs).</summary>
    public static string NewWorkFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dispatchboard-bench", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// DispatchBoard in its own process on a fresh SQLite database in <paramref name="folder"/>, seeded with the demo
    /// school; intake limits raised so the benchmark measures the intake, not its rate limit. Ready when /health/ready is.
    /// </summary>
    public static async Task<ServerProcess> StartOursAsync(string folder, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = await PublishedAppAsync();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Dispatch"] = $"Data Source={Path.Combine(folder, "dispatch.db")}",
            ["Demo__Seed"] = "true",
            ["Demo__Password"] = Password,
            ["Intake__PermitLimit"] = "100000",
            ["Intake__OverallPermitLimit"] = "1000000",
            ["Intake__WindowSeconds"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["School__TimeZone"] = "Asia/Shanghai",
        };
        // A school that is open whenever the benchmark runs (the E2E suite's calendar).
        foreach (var day in Enum.GetNames<DayOfWeek>())
        {
            environment[$"Calendar__WorkingHours__{day}__0"] = "00:00-24:00";
            environment[$"Calendar__Bells__{day}__0"] = "closed";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        // For experiments: OURS_X=1 in the runner's environment is X=1 in our server's (OURS_DOTNET_TieredPGO=0, …).
        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            if (entry.Key is string key && key.StartsWith("OURS_", StringComparison.Ordinal) && entry.Value is string value)
            {
                environment[key["OURS_".Length..]] = value;
            }
        }
        return await ServerProcess.StartAsync("dispatchboard", dll, environment, folder, "health/ready", TimeSpan.FromSeconds(120));
    }

    /// <summary>The floor in its own process; with <paramref name="database"/>, its intake endpoint writes there.</summary>
    public static Task<ServerProcess> StartFloorAsync(string folder, string? database = null)
    {
        var dll = Path.Combine(RepositoryRoot, "benchmarks", "DispatchBoard.Floor", "bin", Configuration, "net10.0", "DispatchBoard.Floor.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The floor is not built: {dll}. Build the solution (or benchmarks/DispatchBoard.Benchmarks) in {Configuration}.");
        }
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        if (database is not null)
        {
            environment["database"] = database;
        }
        return ServerProcess.StartAsync("floor", dll, environment, folder, "health", TimeSpan.FromSeconds(60));
    }

    /// <summary>Publishes the Release build once per run (outside Development only a publish serves the static assets).</summary>
    private static async Task<string> PublishedAppAsync()
    {
        if (_published is not null)
        {
            return _published;
        }
        var output = Path.Combine(Path.GetTempPath(), "dispatchboard-bench", "app-" + Guid.NewGuid().ToString("N")[..8]);
        var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(RepositoryRoot, "src", "DispatchBoard.Web"), "-c", Configuration, "--no-build", "--nologo", "-v", "quiet", "-o", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not publish the app (build the solution in {Configuration} first):\n{log}");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(output);
        return _published = Path.Combine(output, "DispatchBoard.Web.dll");
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DispatchBoard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmarks from the repository (DispatchBoard.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
