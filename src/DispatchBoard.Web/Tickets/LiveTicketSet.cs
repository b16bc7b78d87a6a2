namespace DispatchBoard.Web.Tickets;

/// <summary>What applying one event did to a <see cref="LiveTicketSet"/>.</summary>
public enum TicketApplied
{
    /// <summary>No newer than the version held (or than the version it had when it left): nothing changed.</summary>
    Stale,

    /// <summary>A newer version of a ticket the set holds, or one it did not hold that is not a new report.</summary>
    Changed,

    /// <summary>A report the set had never seen: it is marked fresh (the board highlights it and sounds an alert).</summary>
    Arrived,
}

/// <summary>
/// The open tickets a live screen shows (the board, a staff member's phone), kept from a <see cref="TicketSnapshot"/>
/// plus every newer <see cref="TicketDto"/> version. The DTO is a ticket's whole state, so holding the newest version is
/// right even if an event in between was missed. It also remembers the versions of tickets that left (closed, cancelled,
/// resolved before today), so that an older event arriving late cannot bring one back; which reports arrived a moment
/// ago (fresh); and which were taken from the queue a moment ago, so a phone can keep the card under a thumb for a few
/// seconds saying who has it.
/// </summary>
public sealed class LiveTicketSet
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan TakenShownFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan RememberLeftFor = TimeSpan.FromHours(1);

    private readonly Dictionary<int, TicketDto> _tickets = [];
    private readonly Dictionary<int, (int Version, DateTimeOffset At)> _left = [];
    private readonly Dictionary<int, DateTimeOffset> _fresh = [];
    private readonly Dictionary<int, DateTimeOffset> _taken = [];

    /// <summary>The tickets held, newest version of each; screens filter and order them.</summary>
    public IEnumerable<TicketDto> All => _tickets.Values;

    /// <summary>Changes whenever the tickets held change, so a view can keep what it worked out from them until then.</summary>
    public int Revision { get; private set; }

    public int Count => _tickets.Count;

    public bool IsFresh(int ticketId) => _fresh.ContainsKey(ticketId);

    /// <summary>Taken from the queue (it was new, now someone has it) within the last <see cref="TakenShownFor"/>.</summary>
    public bool WasJustTaken(int ticketId) => _taken.ContainsKey(ticketId);

    /// <summary>
    /// Takes a snapshot. On a reload the versions already held win where they are newer (a change applied while the
    /// snapshot was being read), and the fresh and taken marks of tickets still shown are kept.
    /// </summary>
    public void Load(TicketSnapshot snapshot, DateTimeOffset now)
    {
        Revision++;
        var held = new Dictionary<int, TicketDto>(_tickets);
        _tickets.Clear();
        foreach (var ticket in snapshot.Tickets)
        {
            _tickets[ticket.Id] = held.TryGetValue(ticket.Id, out var mine) && mine.Version > ticket.Version ? mine : ticket;
            _left.Remove(ticket.Id);
        }
        foreach (var (id, version) in snapshot.LeftVersions)
        {
            _left[id] = (Math.Max(version, _left.GetValueOrDefault(id).Version), now);
        }
        foreach (var id in _fresh.Keys.Where(id => !_tickets.ContainsKey(id)).ToList())
        {
            _fresh.Remove(id);
        }
        foreach (var id in _taken.Keys.Where(id => !_tickets.ContainsKey(id)).ToList())
        {
            _taken.Remove(id);
        }
    }

    /// <summary>Applies a ticket's new state if it is newer than what is held (or than the version it left with).</summary>
    public TicketApplied Apply(TicketDto incoming, DateTimeOffset now)
    {
        var known = _tickets.TryGetValue(incoming.Id, out var held);
        var heldVersion = known ? held!.Version : _left.TryGetValue(incoming.Id, out var left) ? left.Version : 0;
        if (incoming.Version <= heldVersion)
        {
            return TicketApplied.Stale;
        }
        Revision++;
        if (Leaves(incoming))
        {
            _tickets.Remove(incoming.Id);
            _left[incoming.Id] = (incoming.Version, now);
            _fresh.Remove(incoming.Id);
            _taken.Remove(incoming.Id);
            return TicketApplied.Changed;
        }
        _tickets[incoming.Id] = incoming;
        if (incoming.Status != TicketStatus.New)
        {
            _fresh.Remove(incoming.Id);
        }
        if (held?.Status == TicketStatus.New && incoming.Status != TicketStatus.New)
        {
            _taken[incoming.Id] = now;
        }
        else if (incoming.Status == TicketStatus.New)
        {
            _taken.Remove(incoming.Id);
        }
        if (!known && incoming.Status == TicketStatus.New)
        {
            _fresh[incoming.Id] = now;
            return TicketApplied.Arrived;
        }
        return TicketApplied.Changed;
    }

    /// <summary>
    /// Lets the fresh and taken marks run out, and lets tickets resolved before <paramref name="startOfToday"/> leave.
    /// True when something a screen shows changed.
    /// </summary>
    public bool Expire(DateTimeOffset now, DateTimeOffset startOfToday)
    {
        var changed = false;
        foreach (var (id, since) in _fresh.Where(f => now - f.Value >= FreshFor).ToList())
        {
            changed |= _fresh.Remove(id);
        }
        foreach (var (id, since) in _taken.Where(t => now - t.Value >= TakenShownFor).ToList())
        {
            changed |= _taken.Remove(id);
        }
        foreach (var done in _tickets.Values.Where(t => t.Status is TicketStatus.Resolved or TicketStatus.Closed && t.ResolvedAt < startOfToday).ToList())
        {
            _tickets.Remove(done.Id);
            _left[done.Id] = (done.Version, now);
            changed = true;
            Revision++;
        }
        foreach (var (id, left) in _left.Where(l => now - l.Value.At >= RememberLeftFor).ToList())
        {
            _left.Remove(id);
        }
        return changed;
    }

    /// <summary>Closed without a fix (rejected), or cancelled: no screen shows it again.</summary>
    private static bool Leaves(TicketDto ticket) =>
        ticket.Status == TicketStatus.Cancelled || (ticket.Status == TicketStatus.Closed && ticket.ResolvedAt is null);
}
