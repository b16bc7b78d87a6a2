using System.Collections.Concurrent;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DispatchBoard.Web.Realtime;

/// <summary>What a live page is, for counting: the office board, the office TV, a caretaker's phone, a reporter's tracking page.</summary>
public enum LiveScreen
{
    Board,
    Tv,
    Phone,
    Tracking,
}

/// <summary>
/// The live pages open on this instance, by kind (a page counts from the moment it is interactive until its circuit
/// ends it), the Blazor circuits and the hub's connections: the gauges <c>dispatchboard.screens.live</c>,
/// <c>dispatchboard.circuits.live</c> and <c>dispatchboard.hub.connections</c>, and the system page's "connected now".
/// </summary>
public sealed class LiveScreens : CircuitHandler
{
    private readonly ConcurrentDictionary<LiveScreen, int> _open = new();
    private int _circuits;

    /// <remarks>The hub's sessions are read when a collector asks (made earlier, they would make the access guard, which
    /// listens to board events, as a side effect of the first live page).</remarks>
    public LiveScreens(DispatchMetrics metrics, IServiceProvider services)
    {
        metrics.Meter.CreateObservableUpDownCounter("dispatchboard.screens.live",
            () => Enum.GetValues<LiveScreen>().Select(s => new System.Diagnostics.Metrics.Measurement<int>(Count(s),
                new KeyValuePair<string, object?>("screen", s.ToString()))),
            "{screen}", "Live pages open: the office board, the office TV, phones (/my), reporters' tracking pages.");
        metrics.Meter.CreateObservableUpDownCounter("dispatchboard.circuits.live", () => Circuits, "{circuit}",
            "Blazor circuits open (every interactive page of a browser tab).");
        metrics.Meter.CreateObservableUpDownCounter("dispatchboard.hub.connections", () => services.GetRequiredService<HubSessions>().Count, "{connection}",
            "Connections to the SignalR hub /hubs/dispatch (API clients, phones' live feeds).");
    }

    public int Circuits => Volatile.Read(ref _circuits);

    public int Count(LiveScreen screen) => _open.GetValueOrDefault(screen);

    /// <summary>Counts a live page until the returned handle is disposed.</summary>
    public IDisposable Open(LiveScreen screen)
    {
        _open.AddOrUpdate(screen, 1, (_, n) => n + 1);
        return new Handle(this, screen);
    }

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _circuits);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _circuits);
        return Task.CompletedTask;
    }

    private sealed class Handle(LiveScreens screens, LiveScreen screen) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                screens._open.AddOrUpdate(screen, 0, (_, n) => n - 1);
            }
        }
    }
}
