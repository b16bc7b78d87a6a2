using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Shared;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The live dispatch board. Loads a snapshot, then applies notifier events newer than the version it holds; the card
/// DTO is the ticket's whole state, so applying the newest version is always correct even if one event was missed.
/// </summary>
public sealed partial class BoardView
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(15);

    private static readonly (TicketStatus Status, string Title)[] Columns =
        [(TicketStatus.New, "New"), (TicketStatus.Claimed, "Claimed"), (TicketStatus.OnSite, "On site"),
         (TicketStatus.Escalated, "Principal"), (TicketStatus.Resolved, "Resolved today")];

    private readonly Dictionary<int, TicketDto> _tickets = [];
    private readonly Dictionary<int, StaffDto> _staff = [];
    private readonly Dictionary<int, DateTimeOffset> _fresh = [];
    private IDisposable? _subscription;
    private ITimer? _ticker;
    private DateTimeOffset _now;
    private Actor? _actor;
    private int? _myStaffId;
    private bool _canDispatch;
    private bool _soundOn = true;
    private bool _soundBlocked;

    [Parameter] public bool BigScreen { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [Inject] private TicketService Tickets { get; set; } = default!;
    [Inject] private StaffService StaffService { get; set; } = default!;
    [Inject] private DispatchNotifier Notifier { get; set; } = default!;
    [Inject] private SchoolClock Clock { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private InspectionService Inspections { get; set; } = default!;
    [Inject] private PlanService Plans { get; set; } = default!;

    private MonthProgress? _month;

    private IReadOnlyList<RoundSummary> _rounds = [];
    private IReadOnlyList<RoundSummary> _overdueRounds = [];

    private IReadOnlyList<StaffDto> _staffList = [];

    protected override async Task OnInitializedAsync()
    {
        _actor = AuthState is null ? null : Actor.From((await AuthState).User);
        _canDispatch = _actor?.CanDispatch == true;
        _now = Clock.UtcNow;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var tickets = await Tickets.GetBoardAsync();
        var staff = await StaffService.GetActiveAsync();
        _tickets.Clear();
        foreach (var t in tickets)
        {
            _tickets[t.Id] = t;
        }
        _staff.Clear();
        foreach (var s in staff)
        {
            _staff[s.Id] = s;
        }
        _staffList = staff;
        _myStaffId = _actor is null ? null : (await StaffService.FindForUserAsync(_actor.UserId))?.Id;
        await LoadRoundsAsync();
    }

    private async Task LoadRoundsAsync()
    {
        _rounds = await Inspections.WeekAsync();
        _overdueRounds = await Inspections.OverdueAsync();
        _month = await Plans.ThisMonthAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        _subscription = Notifier.Subscribe(e => _ = InvokeAsync(() => Apply(e)));
        _ticker = Time.CreateTimer(_ => _ = InvokeAsync(Tick), null, TickEvery, TickEvery);
        if (!BigScreen)
        {
            _soundOn = await JS.InvokeAsync<bool>("dispatchBoard.soundEnabled");
            StateHasChanged();
        }
    }

    /// <summary>Applies one live event. Public for tests: the component's whole reaction to the notifier.</summary>
    internal async Task Apply(BoardEvent boardEvent)
    {
        switch (boardEvent)
        {
            case TicketChanged { Ticket: var incoming }:
                var known = _tickets.TryGetValue(incoming.Id, out var held);
                if (known && held!.Version >= incoming.Version)
                {
                    return;
                }
                // Cancelled tickets stay in the dictionary (no column shows them) so a late, older event cannot revive them.
                _tickets[incoming.Id] = incoming;
                if (!known && incoming.Status == TicketStatus.New)
                {
                    _fresh[incoming.Id] = Clock.UtcNow;
                    StateHasChanged();
                    await AlertAsync();
                }
                else if (incoming.Status != TicketStatus.New)
                {
                    _fresh.Remove(incoming.Id);
                }
                break;
            case RoundsChanged or PlansChanged:
                await LoadRoundsAsync();
                break;
            case StaffChanged { Staff: var person }:
                if (person.IsActive)
                {
                    _staff[person.Id] = person;
                }
                else
                {
                    _staff.Remove(person.Id);
                }
                _staffList = _staff.Values.OrderBy(s => s.Name).ToList();
                break;
        }
        StateHasChanged();
    }

    private async Task Tick()
    {
        var wasOverdue = _rounds.Count(r => r.IsOverdue(_now));
        _now = Clock.UtcNow;
        if (_rounds.Count(r => r.IsOverdue(_now)) != wasOverdue)
        {
            // A round just passed its due time: the overdue list changes without anyone touching a round.
            await LoadRoundsAsync();
        }
        foreach (var (id, since) in _fresh.ToList())
        {
            if (_now - since > FreshFor)
            {
                _fresh.Remove(id);
            }
        }
        StateHasChanged();
    }

    private List<TicketDto> Column(TicketStatus status)
    {
        if (status == TicketStatus.Resolved)
        {
            var since = Clock.StartOfToday();
            return _tickets.Values
                .Where(t => t.Status is TicketStatus.Resolved or TicketStatus.Closed && t.ResolvedAt >= since)
                .OrderByDescending(t => t.ResolvedAt).ToList();
        }
        var cards = _tickets.Values.Where(t => t.Status == status);
        return status == TicketStatus.New
            ? cards.OrderBy(t => t.Priority).ThenBy(t => t.ReportedAt).ToList()
            : cards.OrderBy(t => t.ReportedAt).ToList();
    }

    private IEnumerable<TicketDto> JobsOf(int staffId) =>
        _tickets.Values.Where(t => t.ClaimedById == staffId && t.Status is TicketStatus.Claimed or TicketStatus.OnSite);

    private DutyState StateOf(StaffDto s) => StaffService.StateOf(s.OnDuty, JobsOf(s.Id).Count());

    private static string EmptyText(TicketStatus status) => status switch
    {
        TicketStatus.New => "Nothing waiting. New reports appear here at once.",
        TicketStatus.Claimed => "No one is on the way to a job.",
        TicketStatus.OnSite => "No one is working on site.",
        TicketStatus.Escalated => "Nothing waiting for the principal.",
        _ => "Nothing fixed yet today.",
    };

    private async Task AlertAsync()
    {
        if (BigScreen || !_soundOn)
        {
            return;
        }
        try
        {
            _soundBlocked = !await JS.InvokeAsync<bool>("dispatchBoard.playAlert");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task ToggleSoundAsync()
    {
        if (_soundBlocked)
        {
            // This click is the user gesture the browser wanted; play once to unlock sound.
            _soundBlocked = !await JS.InvokeAsync<bool>("dispatchBoard.playAlert");
            return;
        }
        _soundOn = !_soundOn;
        await JS.InvokeVoidAsync("dispatchBoard.setSoundEnabled", _soundOn);
    }

    // The card moves when the notifier delivers the change, here as on every other screen.
    private async Task ClaimAsync(TicketDto ticket) =>
        Snackbar.Report(await Tickets.ClaimAsync(ticket.Id, _actor!), $"You claimed {ticket.AreaName}.");

    private async Task AssignAsync(TicketDto ticket, int staffId) =>
        Snackbar.Report(await Tickets.AssignAsync(ticket.Id, staffId, _actor!), t => $"{ticket.AreaName} is now with {t.ClaimedBy}.");

    private async Task OpenPhoneReportAsync()
    {
        var parameters = new DialogParameters<PhoneReportDialog> { { d => d.ReportedBy, _actor } };
        var dialog = await Dialogs.ShowAsync<PhoneReportDialog>("Phone report", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false, Data: ReportedTicket reported })
        {
            Snackbar.Add($"Reported. Tracking code {TrackingCode.Display(reported.TrackingCode)}: read it to the caller.", Severity.Success,
                o => o.VisibleStateDuration = 15000);
        }
    }

    private async Task OpenDetailsAsync(TicketDto ticket)
    {
        var parameters = new DialogParameters<TicketDetailsDialog>
        {
            { d => d.TicketId, ticket.Id },
            { d => d.Actor, _actor },
            { d => d.MyStaffId, _myStaffId },
        };
        await Dialogs.ShowAsync<TicketDetailsDialog>(ticket.AreaName, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _ticker?.Dispose();
    }
}
