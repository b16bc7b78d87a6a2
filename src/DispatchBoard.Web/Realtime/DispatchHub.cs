using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// For clients outside Blazor (kiosks, scripts, integrations). They load GET /api/tickets?open=true, then apply
/// TicketChanged events whose version is newer than the one they hold; a gap means reload.
/// </summary>
[Authorize(Policy = Policies.Board)]
public sealed class DispatchHub(HubSessions sessions, AccessGuard guard) : Hub
{
    public const string Path = "/hubs/dispatch";
    public const string TicketChangedMethod = "TicketChanged";
    public const string StaffChangedMethod = "StaffChanged";
    public const string NotificationMethod = "Notification";

    public override async Task OnConnectedAsync()
    {
        if (!await guard.IsAllowedAsync(Context.UserIdentifier))
        {
            Context.Abort();
            return;
        }
        sessions.Add(Context);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}
