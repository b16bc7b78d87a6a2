using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Components.Shared;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The dispatch board's ticket columns, for the office screen and the TV. Live through <see cref="LiveComponent"/> and
/// a <see cref="LiveTicketSet"/>; other features' panels (staff, rounds, the month's work) sit in its side column as
/// <see cref="ChildContent"/> and keep themselves live.
/// </summary>
public sealed partial class TicketBoard
{
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A column longer than this renders only what is in view. A school's day stays far below it, and every card of a
    /// shorter column is in the page (the live tests compare each card with the database; at 100 the scale-out step's
    /// burst of 300 virtualized the New column and its check found 124 stored reports "missing" from the page).
    /// </summary>
    private const int VirtualizeFrom = 500;

    private static readonly TicketStatus[] Columns =
        [TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated, TicketStatus.Resolved];

    private static string ColumnTitle(TicketStatus status) => status switch
    {
        TicketStatus.New => L["New"],
        TicketStatus.Claimed => L["Claimed"],
        TicketStatus.OnSite => L["On site"],
        TicketStatus.Escalated => L["Principal"],
        _ => L["Resolved today"],
    };

    private Actor? _actor;
    private int? _myStaffId;
    private bool _canDispatch;
    private bool _soundOn = true;
    private bool _soundBlocked;
    private bool _alertDue;

    [Parameter] public bool BigScreen { get; set; }

    protected override LiveScreen? Screen => BigScreen ? LiveScreen.Tv : LiveScreen.Board;

    /// <summary>The side column: panels of other features, composed by the page.</summary>
    [Parameter] public RenderFragment? ChildContent { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [Inject] private TicketChanges Changes { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private Areas.AreaDirectory AreaDirectory { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<DispatchOptions> DispatchOptions { get; set; } = default!;

    private Areas.AreaDirectory.Snapshot? _areas;

    /// <summary>The card's "possible duplicate of #12", decided over the tickets the board holds (the office's board only).</summary>
    // Worked out again only when the tickets change, not on every render (each clock tick re-renders the board).
    private IReadOnlyDictionary<int, int?> DuplicatesOnBoard()
    {
        if (_areas is null || BigScreen)
        {
            return NoDuplicates;
        }
        if (_duplicates is not { } cached || cached.Revision != TicketSet.Revision)
        {
            _duplicates = cached = (TicketSet.Revision, PossibleDuplicates.EarlierOf(TicketSet.All, _areas, DispatchOptions.Value.DuplicateWindow)
                .ToDictionary(p => p.Key, p => (int?)p.Value));
        }
        return cached.Of;
    }

    private static readonly IReadOnlyDictionary<int, int?> NoDuplicates = new Dictionary<int, int?>();
    private (int Revision, IReadOnlyDictionary<int, int?> Of)? _duplicates;

    protected override async Task OnInitializedAsync()
    {
        _actor = AuthState is null ? null : Actor.From((await AuthState).User);
        _myStaffId = _actor?.StaffId;
        _canDispatch = _actor?.CanDispatch == true;
        _areas = await AreaDirectory.GetAsync();
        await GoLiveAsync();
        StartTicking(TickEvery);
    }

    /// <summary>What the board's live region says: the new report, or how many came and the latest (a burst is one line).</summary>
    private string? _announcement;
    private int _arrivedInBurst;

    // The page's language, as it was made: an event is applied on whatever thread published it.
    private readonly System.Globalization.CultureInfo _language = System.Globalization.CultureInfo.CurrentUICulture;

    // Set while the burst is applied, so the render that shows the cards says it too.
    protected override void OnArrived(TicketDto ticket)
    {
        using var _ = Languages.AppLanguages.Use(_language);
        _alertDue = true;
        _arrivedInBurst++;
        var what = ticket.Priority == TicketPriority.Urgent
            ? L["URGENT: {0} in {1}", ticket.Category.Label(), ticket.AreaName]
            : L["{0} in {1}", ticket.Category.Label(), ticket.AreaName];
        _announcement = _arrivedInBurst == 1 ? L["New report: {0}", what] : L["{0} new reports; the latest: {1}", _arrivedInBurst, what];
    }

    protected override async Task OnLiveChangedAsync()
    {
        _arrivedInBurst = 0;
        if (_alertDue)
        {
            _alertDue = false;
            await AlertAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        if (firstRender && !BigScreen)
        {
            _soundOn = await JS.InvokeAsync<bool>("dispatchBoard.soundEnabled");
            StateHasChanged();
        }
    }

    // The columns, sorted, kept until the tickets change (or the day does): a clock tick re-renders the board, not the sort.
    private (int Revision, DateTimeOffset Since, List<TicketDto>[] Cards)? _columns;

    private List<TicketDto>[] ColumnCards()
    {
        var since = Clock.StartOfToday();
        if (_columns is { } cached && cached.Revision == TicketSet.Revision && cached.Since == since)
        {
            return cached.Cards;
        }
        var cards = Columns.Select(status => Column(status, since)).ToArray();
        _columns = (TicketSet.Revision, since, cards);
        return cards;
    }

    private List<TicketDto> Column(TicketStatus status, DateTimeOffset since)
    {
        if (status == TicketStatus.Resolved)
        {
            return TicketSet.All
                .Where(t => t.Status is TicketStatus.Resolved or TicketStatus.Closed && t.ResolvedAt >= since)
                .OrderByDescending(t => t.ResolvedAt).ToList();
        }
        var cards = TicketSet.All.Where(t => t.Status == status);
        return status == TicketStatus.New
            ? cards.OrderBy(t => t.Priority).ThenBy(t => t.ReportedAt).ToList()
            : cards.OrderBy(t => t.ReportedAt).ToList();
    }

    private static string EmptyText(TicketStatus status) => status switch
    {
        TicketStatus.New => L["Nothing waiting. New reports appear here at once."],
        TicketStatus.Claimed => L["No one is on the way to a job."],
        TicketStatus.OnSite => L["No one is working on site."],
        TicketStatus.Escalated => L["Nothing waiting for the principal."],
        _ => L["Nothing fixed yet today."],
    };

    private async Task AlertAsync()
    {
        if (!BigScreen && !_soundOn)
        {
            return;
        }
        // A browser that does not answer (a tab in the background, the sound still loading) costs a moment, never the board.
        // The TV has no mute switch: it plays once its start overlay was tapped (before that the browser refuses).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            _soundBlocked = !await JS.InvokeAsync<bool>("dispatchBoard.playAlert", timeout.Token, new { force = BigScreen });
            StateHasChanged();
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or OperationCanceledException)
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

    private Task ClaimAsync(TicketDto ticket) =>
        ShowAsync(Changes.ClaimAsync(ticket.Id, _actor!), _ => L["You claimed {0}.", ticket.AreaName]);

    /// <summary>A card's "Assign": the board's one staff dialog asks whom, then the job goes to them.</summary>
    private async Task PickAssigneeAsync(TicketDto ticket)
    {
        var parameters = new DialogParameters<Staff.StaffPickDialog> { { d => d.CurrentId, ticket.ClaimedById } };
        var dialog = await Dialogs.ShowAsync<Staff.StaffPickDialog>(L["Give {0} (#{1}) to…", ticket.AreaName, ticket.Id], parameters,
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false, Data: int staffId })
        {
            await ShowAsync(Changes.AssignAsync(ticket.Id, staffId, _actor!), t => L["{0} is now with {1}.", ticket.AreaName, t.ClaimedBy]);
        }
    }

    /// <summary>Shows the outcome, and the new state at once.</summary>
    private async Task ShowAsync(Task<ServiceResult<TicketDto>> change, Func<TicketDto, string> success)
    {
        var result = await change;
        if (Snackbar.Report(result, success))
        {
            ShowNow(result.Value!);
        }
    }

    private async Task OpenPhoneReportAsync()
    {
        var parameters = new DialogParameters<PhoneReportDialog> { { d => d.ReportedBy, _actor } };
        var dialog = await Dialogs.ShowAsync<PhoneReportDialog>(L["Phone report"], parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false, Data: ReportedTicket reported })
        {
            Snackbar.Add(L["Reported. Tracking code {0}: read it to the caller.", TrackingCode.Display(reported.TrackingCode)]
                + (reported.PhotosNotKept is { } notKept ? " " + L["The photos were not kept: {0}", notKept] : ""),
                reported.PhotosNotKept is null ? Severity.Success : Severity.Warning,
                o => o.VisibleStateDuration = 15000);
        }
    }

    private Task OpenDetailsAsync(TicketDto ticket) => ShowDetailsAsync(ticket.Id, ticket.AreaName);

    protected override async Task ShowDetailsAsync(int ticketId, string title)
    {
        if (BigScreen)
        {
            return;
        }
        var parameters = new DialogParameters<TicketDetailsDialog>
        {
            { d => d.TicketId, ticketId },
            { d => d.Actor, _actor },
            { d => d.MyStaffId, _myStaffId },
        };
        await Dialogs.ShowAsync<TicketDetailsDialog>(title, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
    }
}
