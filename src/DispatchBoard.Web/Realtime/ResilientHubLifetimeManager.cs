using System.Collections.Concurrent;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// The hub's lifetime manager with Realtime:Redis: the Redis backplane, so a send reaches the hub clients of every
/// instance, and beside it the in-process manager for while Redis is down. Then a send that cannot go through Redis goes
/// to this instance's own clients (as the board's own screens still get this instance's events), and a client may still
/// connect. When Redis is back (<see cref="Resync"/>) every hub connection of this instance is closed: a client that
/// connected meanwhile is not known to the backplane, and any client may have missed other instances' events. It
/// reconnects, reloads its snapshot (the hub's contract: a gap means reload) and is known everywhere again.
/// </summary>
public sealed class ResilientHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> _redis;
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public ResilientHubLifetimeManager(RedisHubLifetimeManager<THub> redis, DefaultHubLifetimeManager<THub> local, DispatchNotifier notifier,
        ILogger<ResilientHubLifetimeManager<THub>> logger)
    {
        _redis = redis;
        _local = local;
        _logger = logger;
        _subscription = notifier.Subscribe(e =>
        {
            if (e is Resync)
            {
                foreach (var connection in _connections.Values)
                {
                    connection.Abort();
                }
            }
        });
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        await _local.OnConnectedAsync(connection);
        try
        {
            await _redis.OnConnectedAsync(connection);
        }
        catch (Exception ex) when (IsRedisDown(ex))
        {
            _logger.HubConnectionServedLocally(ex, connection.ConnectionId);
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        await _local.OnDisconnectedAsync(connection);
        try
        {
            await _redis.OnDisconnectedAsync(connection);
        }
        catch (Exception ex) when (IsRedisDown(ex))
        {
            _logger.LogDebug(ex, "Redis did not hear that {Connection} left", connection.ConnectionId);
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUsersAsync(userIds, methodName, args, cancellationToken));

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await SendAsync(m => m == _local ? Task.CompletedTask : m.AddToGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await SendAsync(m => m == _local ? Task.CompletedTask : m.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => _redis.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _redis.TryGetReturnType(invocationId, out type);

    /// <summary>Through Redis to every instance; when Redis cannot take it, to this instance's own clients.</summary>
    private async Task SendAsync(Func<HubLifetimeManager<THub>, Task> send)
    {
        try
        {
            await send(_redis);
        }
        catch (Exception ex) when (IsRedisDown(ex))
        {
            _logger.LogDebug(ex, "Redis is down: sent to this instance's hub clients only");
            await send(_local);
        }
    }

    private static bool IsRedisDown(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    // The two managers are the container's to dispose.
    public void Dispose() => _subscription.Dispose();
}
