using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// Redis answers a PING within a second. Registered (Realtime:Redis set) as <em>degraded</em> on failure, not unhealthy:
/// an instance without Redis still takes reports and keeps its own screens live, so a load balancer must not take every
/// instance out of service because Redis is down; the check still names the outage for whoever watches it.
/// </summary>
public sealed class RedisHealthCheck(RealtimeRedis redis) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            if (!redis.IsConnected)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis not connected");
            }
            await redis.Multiplexer.GetDatabase().PingAsync().WaitAsync(Timeout, ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis unavailable", ex);
        }
    }
}
