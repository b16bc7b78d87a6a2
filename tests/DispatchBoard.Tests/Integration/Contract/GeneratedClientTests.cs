using System.Diagnostics;
using System.Net.Http.Json;
using DispatchBoard.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DispatchBoard.Tests.Integration.Contract;

/// <summary>The app on a real loopback port (Kestrel), for a client in another process.</summary>
public sealed class KestrelFactory : DispatchBoardFactory
{
    public KestrelFactory() => UseKestrel(0);

    /// <summary>The app's address, once it listens (started at the first use, after the class fixture copied its database).</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}

/// <summary>
/// What an integrator does with the document: generate a client with Kiota (the local tool in dotnet-tools.json) from
/// the running app's /openapi/v1.json, build it (tests/GeneratedClient) and run it against the app: a reporter reports
/// and tracks, a caretaker signs in and claims, a second caretaker's claim comes back as the documented 409 problem.
/// </summary>
[Trait("Database", "Sqlite")]
public sealed class GeneratedClientTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    [Fact]
    public async Task AKiotaClient_GeneratedFromTheDocument_ReportsAndClaims()
    {
        var root = OpenApiContractTests.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("dispatchboard-client-");
        try
        {
            using (var admin = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = factory.Address })
            {
                (await admin.PostAsJsonAsync("/api/auth/login", new { email = "admin@demo.example", password = TestData.Password })).EnsureSuccessStatusCode();
                await File.WriteAllTextAsync(Path.Combine(work.FullName, "openapi.json"), await admin.GetStringAsync("/openapi/v1.json"));
            }
            foreach (var file in new[] { "Program.cs", "GeneratedClient.csproj" })
            {
                File.Copy(Path.Combine(root, "tests", "GeneratedClient", file), Path.Combine(work.FullName, file));
            }

            await RunAsync(root, "dotnet", ["tool", "run", "kiota", "generate", "-l", "CSharp", "-d", Path.Combine(work.FullName, "openapi.json"),
                "-c", "DispatchClient", "-n", "DispatchBoard.Client", "-o", Path.Combine(work.FullName, "Client"), "--log-level", "Error"]);
            await RunAsync(work.FullName, "dotnet", ["build", "-c", "Release", "-nologo", "-v", "quiet"]);
            var output = await RunAsync(work.FullName, "dotnet",
                [Path.Combine(work.FullName, "bin", "Release", "net10.0", "GeneratedClient.dll"), factory.Address.ToString().TrimEnd('/'), TestData.Password]);

            Assert.Matches(@"reported #\d+ [0-9A-Z]{10} New", output);
            Assert.Contains("tracked: New", output);
            Assert.Contains("signed in: Wang Lei [Staff]", output);
            Assert.Matches(@"claimed: #\d+ Claimed by Wang Lei v2", output);
            Assert.Contains("second claim refused: 409 ProblemDetails", output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program to its end (5 minutes at most, then it is killed by its own id) and returns what it wrote.</summary>
    private static async Task<string> RunAsync(string directory, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end in 5 minutes: {await stdout} {await stderr}");
        }
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} ended with {process.ExitCode}:\n{output}");
        return output;
    }
}
