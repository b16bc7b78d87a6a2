using DispatchBoard.Web.Hosting;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DispatchBoard.Tests.Hosting;

public class JobsSettingTests
{
    private static IServiceCollection Registered(string? enabled)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (enabled is not null)
        {
            builder.Configuration["Jobs:Enabled"] = enabled;
        }
        builder.AddDispatchBoard();
        return builder.Services;
    }

    private static List<Type?> HostedServices(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(IHostedService))
            .Select(d => d.ImplementationType ?? d.ImplementationFactory?.Method.ReturnType).ToList();

    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    public void JobsEnabled_ByDefault_RegistersTheRecurringJobsAndTheHangfireServer(string? enabled)
    {
        var hosted = HostedServices(Registered(enabled));

        Assert.Contains(typeof(JobRegistrar), hosted);
        Assert.Contains(typeof(BackgroundJobServerHostedService), hosted);
    }

    [Fact]
    public void OnSqlite_TheJobStorageIsInMemory()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Jobs:Enabled"] = "false";
        builder.AddDispatchBoard();
        using var app = builder.Build();

        Assert.IsType<Hangfire.InMemory.InMemoryStorage>(app.Services.GetRequiredService<JobStorage>());
    }

    [Fact]
    public void AnUnknownDatabaseProvider_StopsTheAppAtStart_NamingTheSetting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Database:Provider"] = "MySql";
        builder.Configuration["Jobs:Enabled"] = "false";
        builder.AddDispatchBoard();
        using var app = builder.Build();

        var error = Assert.ThrowsAny<Exception>(() => app.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("Database:Provider", error.Message);
        Assert.Contains("MySql", error.Message);
    }

    [Fact]
    public void JobsDisabled_RegistersNeither_ButKeepsTheStorageTheDashboardReads()
    {
        var services = Registered("false");

        var hosted = HostedServices(services);
        Assert.DoesNotContain(typeof(JobRegistrar), hosted);
        Assert.DoesNotContain(typeof(BackgroundJobServerHostedService), hosted);
        Assert.Contains(services, d => d.ServiceType == typeof(JobStorage));
    }
}
