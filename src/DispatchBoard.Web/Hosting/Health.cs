using System.Text.Json;
using DispatchBoard.Web.Data;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DispatchBoard.Web.Hosting;

/// <summary>Whether the database is migrated and seeded: the app is not ready before (<see cref="DatabaseInitializer"/> sets it).</summary>
public sealed class StartupState
{
    private volatile bool _databaseReady;

    public bool DatabaseReady => _databaseReady;

    public void MarkDatabaseReady() => _databaseReady = true;
}

/// <summary>
/// For a load balancer or an orchestrator: <c>/health/live</c> says the process answers (nothing else is asked, so a
/// database outage never gets a healthy instance restarted); <c>/health/ready</c> says it can serve: migrations done, the
/// database answers a query, Hangfire's storage answers. Anonymous, never cached, and the body names only the checks
/// and their states (no connection string, no exception text).
/// </summary>
public static class Health
{
    internal const string Ready = "ready";

    public static IServiceCollection AddDispatchHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MigrationsCheck>("migrations", tags: [Ready])
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<JobStorageCheck>("jobs", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapDispatchHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString() }),
        }, cancellationToken: http.RequestAborted);
    }

    private sealed class MigrationsCheck(StartupState state) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(state.DatabaseReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Migrating"));
    }

    private sealed class DatabaseCheck(IDbContextFactory<DispatchDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                // A real query on a migrated table: an empty or unreadable file fails here, not only a missing server.
                await db.Areas.AsNoTracking().Select(a => a.Id).FirstOrDefaultAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("Database unavailable", ex);
            }
        }
    }

    private sealed class JobStorageCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                storage.GetMonitoringApi().Servers();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("Job storage unavailable", ex));
            }
        }
    }
}
