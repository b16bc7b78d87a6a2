using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace DispatchBoard.Web.Realtime;

/// <summary>Feeds the SignalR hub from the notifier, in publish order, without blocking publishers.</summary>
public sealed class HubBridge(DispatchNotifier notifier, IHubContext<DispatchHub> hub, ILogger<HubBridge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = Channel.CreateUnbounded<BoardEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = notifier.Subscribe(e => queue.Writer.TryWrite(e));
        await foreach (var boardEvent in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var send = boardEvent switch
                {
                    TicketChanged t => hub.Clients.All.SendAsync(DispatchHub.TicketChangedMethod, t.Ticket, stoppingToken),
                    StaffChanged s => hub.Clients.All.SendAsync(DispatchHub.StaffChangedMethod, s.Staff, stoppingToken),
                    NotificationAdded n => hub.Clients.User(n.UserId).SendAsync(DispatchHub.NotificationMethod, n.Notification, stoppingToken),
                    _ => Task.CompletedTask,
                };
                await send;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not send {Event} to hub clients", boardEvent.GetType().Name);
            }
        }
    }
}
