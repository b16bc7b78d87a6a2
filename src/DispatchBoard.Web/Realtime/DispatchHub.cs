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

    /// <summary>What the hub sends, and each event's payload (its schema is in the OpenAPI document under the type's name).</summary>
    public static readonly IReadOnlyList<(string Method, Type Payload, string When)> Events =
    [
        (TicketChangedMethod, typeof(Tickets.TicketDto), "A ticket changed (reported, claimed, moved, edited, merged…); to every client. The payload is the ticket's whole state; apply it when its version is newer than yours."),
        (StaffChangedMethod, typeof(Staff.StaffDto), "A staff member's duty changed (on or off duty, by hand, by the roster or by claiming a job); to every client."),
        (NotificationMethod, typeof(Notifications.NotificationDto), "An alert for the signed-in person (assigned a job, a reminder, a decision…); to that person's connections only."),
    ];

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
