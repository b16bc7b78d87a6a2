using System.Threading.Channels;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Components;

namespace DispatchBoard.Web.Realtime;

/// <summary>What a live component did with one event.</summary>
public enum LiveReaction
{
    /// <summary>Not for this component, or no newer than what it holds.</summary>
    Ignored,

    /// <summary>Applied: the event carried the new state (and a version newer than the one held).</summary>
    Applied,

    /// <summary>The event says something changed, not what: load the snapshot again.</summary>
    Reload,
}

/// <summary>
/// The one way a component is live. Call <see cref="GoLiveAsync"/> from <c>OnInitializedAsync</c> (or
/// <c>OnParametersSetAsync</c> when a route parameter says what to show), once the component knows whose events it
/// wants. It then:
/// <list type="number">
/// <item>subscribes to the notifier <b>before</b> it loads its snapshot (<see cref="LoadAsync"/>), holding the events
/// that arrive meanwhile, so nothing published between the snapshot and the first render is lost;</item>
/// <item>hands every event, held or live, to <see cref="React"/> on the component's own context, in publish order and a
/// burst at a time, rendering once per burst: an event that carries a version applies only if it is newer than what the
/// snapshot holds; one without a version asks for a reload;</item>
/// <item>coalesces reloads: one runs at a time, those asked for meanwhile become one more, and a component reloads at
/// most once per <see cref="ReloadAtMostEvery"/> however many boards a burst of clicks reaches;</item>
/// <item>runs every load, whoever asks for it (an event, a new route parameter, <see cref="RefreshAsync"/> after the
/// user's own action), one at a time, so an older read can never land after a newer one;</item>
/// <item>reloads on <see cref="Resync"/> (the transport was down: events may be missing);</item>
/// <item>retries a reload that failed (the database busy for a moment) and only then reports the failure through
/// <c>DispatchExceptionAsync</c>; unsubscribes when it stops or is disposed.</item>
/// </list>
/// While prerendering it loads nothing: the page's shell is sent at once and the snapshot is loaded once, on the
/// circuit, after subscribing (a prerendered snapshot would be stale by then, and loading it twice buys nothing).
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private static readonly TimeSpan[] RetryAfter = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Channel<BoardEvent>? _events;
    private IDisposable? _subscription;
    private ITimer? _ticker;
    private long _lastLoad;
    private volatile bool _disposed;

    [Inject] private DispatchNotifier Notifier { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<LiveComponent> Logger { get; set; } = default!;
    [Inject] private LiveScreens Screens { get; set; } = default!;
    private IDisposable? _screen;

    /// <summary>What this page is, when it is one of the screens the system page and the metrics count.</summary>
    protected virtual LiveScreen? Screen => null;

    /// <summary>True once the snapshot is in: false while prerendering and during the first load.</summary>
    protected bool Loaded { get; private set; }

    /// <summary>The shortest time between two reloads of this component.</summary>
    protected virtual TimeSpan ReloadAtMostEvery => TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Which events this component wants, decided on the publisher's thread: look only at the event and at what the
    /// component fixed before <see cref="GoLiveAsync"/> (the signed-in user, a dialog's ticket). Keep it cheap: every
    /// event of the school passes here once per open screen.
    /// </summary>
    protected abstract bool Listens(BoardEvent boardEvent);

    /// <summary>Loads (or reloads) the snapshot the events are applied to. Never call it directly: see <see cref="RefreshAsync"/>.</summary>
    protected abstract Task LoadAsync(CancellationToken ct);

    /// <summary>Applies one event on the component's context. By default every event it listens to means "reload".</summary>
    protected virtual LiveReaction React(BoardEvent boardEvent) => LiveReaction.Reload;

    /// <summary>
    /// After a burst was applied or a reload done, once its render is on its way (e.g. to sound an alert). It runs beside
    /// the next events, not in their way; it handles its own failures (a browser that does not answer).
    /// </summary>
    protected virtual Task OnLiveChangedAsync() => Task.CompletedTask;

    /// <summary>Every <see cref="StartTicking"/> period, on the component's context; a render follows.</summary>
    protected virtual void OnTick()
    {
    }

    /// <summary>Subscribes, then loads the snapshot; later calls (a new route parameter) load it again.</summary>
    protected async Task GoLiveAsync()
    {
        if (_disposed || !RendererInfo.IsInteractive)
        {
            return;
        }
        if (_events is not null)
        {
            // Already listening: what it listens for changed, so the snapshot must be the new one's.
            await RefreshAsync();
            return;
        }
        if (Screen is { } screen)
        {
            _screen = Screens.Open(screen);
        }
        var events = Channel.CreateUnbounded<BoardEvent>(new UnboundedChannelOptions { SingleReader = true });
        _events = events;
        _subscription = Notifier.Subscribe(e =>
        {
            if (e is Resync || Listens(e))
            {
                events.Writer.TryWrite(e);
            }
        });
        try
        {
            await RefreshAsync();
        }
        catch
        {
            StopListening();
            throw;
        }
        Loaded = true;
        _ = PumpAsync(events.Reader);
    }

    /// <summary>
    /// Loads the snapshot again now, in turn with any other load (after the user's own change, say; its event then
    /// finds nothing newer). Call it on the component's context.
    /// </summary>
    protected async Task RefreshAsync()
    {
        await _loading.WaitAsync(_stop.Token);
        try
        {
            await LoadAsync(_stop.Token);
            _lastLoad = Time.GetTimestamp();
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Asks for a reload from the component itself (e.g. a tick found that a due time has passed).</summary>
    protected void ReloadSoon() => _events?.Writer.TryWrite(ReloadRequested.Instance);

    /// <summary>Calls <see cref="OnTick"/> every <paramref name="period"/> of the app's clock (countdowns, expiring marks).</summary>
    protected void StartTicking(TimeSpan period)
    {
        if (_disposed || _ticker is not null || !RendererInfo.IsInteractive)
        {
            return;
        }
        _ticker = Time.CreateTimer(_ => _ = OnContextAsync(() =>
        {
            OnTick();
            StateHasChanged();
            return Task.CompletedTask;
        }), null, period, period);
    }

    /// <summary>Runs work on the component's context from any thread; a failure goes to the component's error handling.</summary>
    protected async Task OnContextAsync(Func<Task> work)
    {
        try
        {
            await InvokeAsync(async () =>
            {
                if (!_disposed)
                {
                    await work();
                }
            });
        }
        catch (Exception ex) when (!_disposed)
        {
            await DispatchExceptionAsync(ex);
        }
        catch (Exception) when (_disposed)
        {
            // The circuit is gone; nobody is looking.
        }
    }

    private async Task PumpAsync(ChannelReader<BoardEvent> reader)
    {
        var token = _stop.Token;
        var reloadDue = false;
        var failures = 0;
        try
        {
            while (true)
            {
                if (reloadDue)
                {
                    var wait = failures > 0
                        ? RetryAfter[Math.Min(failures, RetryAfter.Length) - 1]
                        : ReloadAtMostEvery - Time.GetElapsedTime(_lastLoad);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, Time, token).ConfigureAwait(false);
                    }
                }
                else if (!await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    return;
                }
                var batch = new List<BoardEvent>();
                while (reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
                await InvokeAsync(async () =>
                {
                    if (_disposed)
                    {
                        return;
                    }
                    var changed = false;
                    foreach (var boardEvent in batch)
                    {
                        switch (boardEvent is Resync or ReloadRequested ? LiveReaction.Reload : React(boardEvent))
                        {
                            case LiveReaction.Applied:
                                changed = true;
                                break;
                            case LiveReaction.Reload:
                                reloadDue = true;
                                break;
                        }
                    }
                    if (reloadDue && (failures > 0 || Time.GetElapsedTime(_lastLoad) >= ReloadAtMostEvery))
                    {
                        // Everything published before this line was committed before the snapshot is read: it holds it.
                        try
                        {
                            await RefreshAsync();
                            reloadDue = false;
                            failures = 0;
                            changed = true;
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException && ++failures <= RetryAfter.Length)
                        {
                            Logger.ComponentReloadFailed(ex, GetType().Name, failures);
                        }
                    }
                    if (changed)
                    {
                        // Render first; a side effect (a sound is a round trip to the browser) must not hold anything back.
                        StateHasChanged();
                        _ = ObserveAsync(OnLiveChangedAsync());
                    }
                }).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_disposed || token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            StopListening();
            await DispatchExceptionAsync(ex).ConfigureAwait(false);
        }
    }

    private async Task ObserveAsync(Task sideEffect)
    {
        try
        {
            await sideEffect;
        }
        catch (Exception ex) when (!_disposed)
        {
            await DispatchExceptionAsync(ex);
        }
        catch (Exception) when (_disposed)
        {
        }
    }

    private void StopListening()
    {
        _subscription?.Dispose();
        _events?.Writer.TryComplete();
    }

    private sealed record ReloadRequested : BoardEvent
    {
        public static readonly ReloadRequested Instance = new();
    }

    /// <summary>For the component's own clean-up (timers of its own, JS references).</summary>
    protected virtual void OnDisposing()
    {
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _screen?.Dispose();
        StopListening();
        _ticker?.Dispose();
        _stop.Cancel();
        OnDisposing();
        GC.SuppressFinalize(this);
    }
}
