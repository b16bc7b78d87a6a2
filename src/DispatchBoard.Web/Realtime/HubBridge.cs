using System.Threading.Channels;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// Feeds the SignalR hub from the notifier, in publish order, without blocking publishers. It forwards only the events
/// published on this instance: with Realtime:Redis set, the hub's Redis backplane takes each send to the hub clients of
/// every instance, so a client gets every event once however many instances there are (were each instance to forward
/// every event it hears, a client would get one copy per instance).
/// </summary>
public sealed class HubBridge(DispatchNotifier notifier, IHubContext<DispatchHub> hub, ILogger<HubBridge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = Channel.CreateUnbounded<BoardEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = notifier.SubscribePublishedHere(e => queue.Writer.TryWrite(e));
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
                logger.CouldNotSendToHub(ex, boardEvent.GetType().Name);
            }
        }
    }
}
