using System.Collections.Concurrent;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// One instance of each ticket state for every screen of this server. Every open board and phone holds the tickets it
/// shows; read from the database each would hold its own copy (10,000 open tickets are about 6 MB a screen). A state
/// equal to one already held by some screen is handed out as that same instance, so screens share what they show and a
/// screen costs little more than its references. Held weakly: a state no screen holds any more is collected.
/// </summary>
public sealed class SharedTicketDtos
{
    private const int PruneEvery = 4096;
    private readonly ConcurrentDictionary<int, WeakReference<TicketDto>> _byId = new();
    private int _shared;

    /// <summary>The instance already held of this same state (every field equal), or this one, which is held from now.</summary>
    public TicketDto Share(TicketDto ticket)
    {
        if (_byId.TryGetValue(ticket.Id, out var weak) && weak.TryGetTarget(out var held) && Same(held, ticket))
        {
            return held;
        }
        _byId[ticket.Id] = new WeakReference<TicketDto>(ticket);
        if (Interlocked.Increment(ref _shared) % PruneEvery == 0)
        {
            Prune();
        }
        return ticket;
    }

    /// <summary>How many tickets have a state held by some screen (after the last prune).</summary>
    public int Count => _byId.Count;

    // Record equality compares the helpers list by reference; the list is compared item by item instead.
    private static bool Same(TicketDto held, TicketDto ticket) =>
        held.Version == ticket.Version && held.Helpers.SequenceEqual(ticket.Helpers) && held.Equals(ticket with { Helpers = held.Helpers });

    private void Prune()
    {
        foreach (var (id, weak) in _byId)
        {
            if (!weak.TryGetTarget(out _))
            {
                _byId.TryRemove(new KeyValuePair<int, WeakReference<TicketDto>>(id, weak));
            }
        }
    }
}
