using System.Collections.Immutable;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// The in-process fan-out of board events: Blazor components, the SignalR bridge and later features subscribe here.
/// Handlers run on the publisher's thread and must only hand the event on (InvokeAsync, a channel write).
/// </summary>
public sealed class DispatchNotifier(ILogger<DispatchNotifier> logger)
{
    private ImmutableArray<Action<BoardEvent>> _handlers = [];

    /// <summary>How many listeners are subscribed (tests: a closed screen leaves none behind).</summary>
    internal int ListenerCount => _handlers.Length;

    public IDisposable Subscribe(Action<BoardEvent> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    public void Publish(BoardEvent boardEvent)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(boardEvent);
            }
            catch (Exception ex)
            {
                // One broken listener (a closed circuit, say) must not keep the event from the others.
                logger.LogWarning(ex, "A board event listener failed on {Event}", boardEvent.GetType().Name);
            }
        }
    }

    private void Unsubscribe(Action<BoardEvent> handler) =>
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Remove(h), handler);

    private sealed class Subscription(DispatchNotifier owner, Action<BoardEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
