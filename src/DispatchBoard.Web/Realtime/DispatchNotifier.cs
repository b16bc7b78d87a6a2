using System.Collections.Immutable;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// The fan-out of board events: Blazor components, the SignalR bridge and later features subscribe here.
/// Handlers run on the publisher's thread (or the transport's) and must only hand the event on (InvokeAsync, a channel
/// write). Without a transport, what is published here is delivered here; with one (Redis, see
/// <see cref="RedisBoardTransport"/>), it goes to every instance and each delivers it to its own listeners. Services
/// publish and components subscribe the same way either way.
/// </summary>
public sealed class DispatchNotifier
{
    private readonly ILogger<DispatchNotifier> _logger;
    private readonly IBoardEventTransport? _transport;
    private ImmutableArray<Action<BoardEvent>> _handlers = [];
    private ImmutableArray<Action<BoardEvent>> _publishedHere = [];

    public DispatchNotifier(ILogger<DispatchNotifier> logger, IBoardEventTransport? transport = null)
    {
        _logger = logger;
        _transport = transport;
        transport?.Start(Deliver);
    }

    /// <summary>How many listeners are subscribed (tests: a closed screen leaves none behind).</summary>
    internal int ListenerCount => _handlers.Length;

    /// <summary>Every event of the board, whichever instance published it.</summary>
    public IDisposable Subscribe(Action<BoardEvent> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Add(h), handler);
        return new Subscription(() => ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Remove(h), handler));
    }

    /// <summary>
    /// Only the events published on this instance, as they are published: for a listener that reaches every instance
    /// itself (the hub's Redis backplane), so that across instances it sends each event once.
    /// </summary>
    public IDisposable SubscribePublishedHere(Action<BoardEvent> handler)
    {
        ImmutableInterlocked.Update(ref _publishedHere, (list, h) => list.Add(h), handler);
        return new Subscription(() => ImmutableInterlocked.Update(ref _publishedHere, (list, h) => list.Remove(h), handler));
    }

    public void Publish(BoardEvent boardEvent)
    {
        Invoke(_publishedHere, boardEvent);
        if (_transport is null || !_transport.TrySend(boardEvent))
        {
            Deliver(boardEvent);
        }
    }

    private void Deliver(BoardEvent boardEvent) => Invoke(_handlers, boardEvent);

    private void Invoke(ImmutableArray<Action<BoardEvent>> handlers, BoardEvent boardEvent)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(boardEvent);
            }
            catch (Exception ex)
            {
                // One broken listener (a closed circuit, say) must not keep the event from the others.
                _logger.BoardListenerFailed(ex, boardEvent.GetType().Name);
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
