using System.Net.Http.Json;
using DispatchBoard.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DispatchBoard.Tests.Integration;

/// <summary>The whole app over a real SQLite file in a temp folder, seeded with the demo school. One per test class.</summary>
public class DispatchBoardFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", Guid.NewGuid().ToString("N"));

    protected virtual int IntakePermitLimit => 10_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Dispatch", $"Data Source={Path.Combine(_directory, "dispatch.db")}");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Password", TestData.Password);
        builder.UseSetting("Intake:PermitLimit", IntakePermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Intake:WindowSeconds", "3600");
        builder.UseSetting("School:Name", "Test School");
    }

    /// <summary>A client with its own cookie jar, signed in as a demo user ("staff1", "dispatcher", …).</summary>
    public async Task<HttpClient> SignedInAsync(string who)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = TestData.Password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
