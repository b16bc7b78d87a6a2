using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// The app's core over a fresh SQLite file in <c>directory</c> (or, with <c>Database:Provider</c> = Postgres in
/// <c>settings</c>, the database named there), migrated and seeded with the demo school.
/// </summary>
public static class BenchHost
{
    public static async Task<IHost> StartAsync(string directory, IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dispatch"] = $"Data Source={Path.Combine(directory, "dispatch.db")}",
            ["School:TimeZone"] = "Asia/Shanghai",
            ["Demo:Seed"] = "true",
            ["Demo:Password"] = "Bench-Password-1",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddDispatchOptions(isProduction: false);
        builder.Services.AddDispatchData();
        builder.Services.AddDispatchCore();
        builder.Services.AddDispatchIdentity();
        var host = builder.Build();
        await ActivatorUtilities.CreateInstance<DatabaseInitializer>(host.Services).StartAsync(CancellationToken.None);
        return host;
    }
}
