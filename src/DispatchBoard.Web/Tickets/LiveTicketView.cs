using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Components;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// A live view of the tickets on the board (the office's columns, a staff member's phone): the board's snapshot, every
/// newer version applied, the fresh and taken marks running out with the clock.
/// </summary>
public abstract class LiveTicketView : LiveComponent
{
    [Inject] protected TicketQueries Queries { get; set; } = default!;
    [Inject] protected SchoolClock Clock { get; set; } = default!;
    [Inject] private ResponseClocks ResponseClocks { get; set; } = default!;
    [Inject] private Calendar.LessonBells LessonBells { get; set; } = default!;

    /// <summary>The school's time rules for the cards' countdowns, read again with every snapshot (a reconnect, a gap).</summary>
    protected ResponseClock ResponseClock { get; private set; } = default!;

    /// <summary>The bell schedule for the cards' lesson lines, read with the snapshot like <see cref="ResponseClock"/>.</summary>
    protected Calendar.BellSchedule? Bells { get; private set; }

    protected LiveTicketSet TicketSet { get; } = new();

    /// <summary>
    /// The ticket a link asked for (<c>/my?ticket=12</c>, the address a pushed alert opens): its details open once the
    /// view has loaded, whichever column it is in.
    /// </summary>
    /// (Read as text: a mistyped link, <c>?ticket=abc</c>, must not break the page.)
    [SupplyParameterFromQuery(Name = "ticket")] public string? RequestedTicket { get; set; }

    private int? _requestShown;

    /// <summary>The time the cards' ages and countdowns are shown at.</summary>
    protected DateTimeOffset Now { get; private set; }

    protected override void OnInitialized() => Now = Clock.UtcNow;

    protected override bool Listens(BoardEvent boardEvent) => boardEvent is TicketChanged;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        ResponseClock = await ResponseClocks.NowAsync(ct);
        Bells = await LessonBells.ScheduleAsync(ct);
        TicketSet.Load(await Queries.BoardAsync(ct), Clock.UtcNow);
        Now = Clock.UtcNow;
    }

    protected override LiveReaction React(BoardEvent boardEvent)
    {
        if (boardEvent is not TicketChanged { Ticket: var ticket })
        {
            return LiveReaction.Ignored;
        }
        Now = Clock.UtcNow;
        var applied = TicketSet.Apply(ticket, Now);
        if (applied == TicketApplied.Arrived)
        {
            OnArrived(ticket);
        }
        return applied == TicketApplied.Stale ? LiveReaction.Ignored : LiveReaction.Applied;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Loaded && int.TryParse(RequestedTicket, System.Globalization.CultureInfo.InvariantCulture, out var id) && _requestShown != id)
        {
            _requestShown = id;
            var title = TicketSet.All.FirstOrDefault(t => t.Id == id)?.AreaName ?? "Ticket";
            await ShowDetailsAsync(id, title);
        }
    }

    /// <summary>Opens a ticket's details (a card tapped, or the ticket a link asked for).</summary>
    protected virtual Task ShowDetailsAsync(int ticketId, string title) => Task.CompletedTask;

    /// <summary>A report this view had never seen came in (it is marked fresh).</summary>
    protected virtual void OnArrived(TicketDto ticket)
    {
    }

    protected override void OnTick()
    {
        Now = Clock.UtcNow;
        // A holiday declared since the snapshot: the countdowns follow it from the next tick.
        ResponseClock = ResponseClocks.Current ?? ResponseClock;
        Bells = LessonBells.Current ?? Bells;
        TicketSet.Expire(Now, Clock.StartOfToday());
    }

    /// <summary>Shows the state one's own change committed at once; its event, arriving after, is then no newer.</summary>
    protected void ShowNow(TicketDto committed) => TicketSet.Apply(committed, Clock.UtcNow);
}
