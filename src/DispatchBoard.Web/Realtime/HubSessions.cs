using System.Collections.Concurrent;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.SignalR;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// Open hub connections by user, so a deactivated account's live feeds are cut at once. A role change closes them too:
/// the hub's policy is checked when a client connects, so a client reconnects under its new roles (or is refused).
/// </summary>
public sealed class HubSessions
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public HubSessions(AccessGuard guard)
    {
        guard.Revoked += AbortUser;
        guard.RolesChanged += AbortUser;
    }

    /// <summary>How many connections are open here (tests: a client counts once the server has finished connecting it).</summary>
    internal int Count => _connections.Count;

    public void Add(HubCallerContext context) => _connections[context.ConnectionId] = context;

    public void Remove(HubCallerContext context) => _connections.TryRemove(context.ConnectionId, out _);

    private void AbortUser(string userId)
    {
        foreach (var connection in _connections.Values.Where(c => c.UserIdentifier == userId))
        {
            connection.Abort();
        }
    }
}
