using DispatchBoard.Web.Realtime;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace DispatchBoard.Components.Tests;

/// <summary>The live helper itself, through the smallest live component: it shows a number read from a "database".</summary>
public sealed class LiveComponentTests : DispatchComponentTest
{
    /// <summary>Stands for the database: a change is committed here before its event is published.</summary>
    public sealed class Source
    {
        public int Value;
        public int Loads;
        public int FailingLoads;

        /// <summary>When set, the next load reads the value, then waits here before it shows it (a slow query).</summary>
        public TaskCompletionSource? HoldNextLoad;
    }

    private sealed class NumberView : LiveComponent
    {
        private int _shown;

        [Parameter] public Source Source { get; set; } = default!;

        /// <summary>What the view shows, like a route parameter: a new one means a new snapshot.</summary>
        [Parameter] public int Key { get; set; }

        protected override Task OnParametersSetAsync() => GoLiveAsync();

        protected override bool Listens(BoardEvent boardEvent) => boardEvent is RoundsChanged;

        protected override async Task LoadAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref Source.Loads);
            if (Source.FailingLoads > 0)
            {
                Source.FailingLoads--;
                throw new InvalidOperationException("The database went away.");
            }
            var read = Volatile.Read(ref Source.Value);
            if (Interlocked.Exchange(ref Source.HoldNextLoad, null) is { } hold)
            {
                await hold.Task;
            }
            _shown = read;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "id", "shown");
            builder.AddContent(2, Loaded ? _shown.ToString(System.Globalization.CultureInfo.InvariantCulture) : "loading");
            builder.CloseElement();
        }
    }

    private DispatchNotifier Notifier => Data.Get<DispatchNotifier>();

    [Fact]
    public async Task ABurstOfFiftyReloadEvents_CostsAFewReloads_NotFifty_AndEndsOnTheLastState()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));
        Assert.Equal("0", cut.Find("#shown").TextContent);

        for (var i = 1; i <= 50; i++)
        {
            Interlocked.Increment(ref source.Value);
            Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));
        }

        await AdvanceUntilAsync(() => cut.Find("#shown").TextContent == "50");
        // The first snapshot, then at most one reload for what was held and one more for what came during it.
        Assert.InRange(source.Loads, 2, 3);
    }

    [Fact]
    public async Task EventsItDoesNotListenTo_CostNothing()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));

        for (var i = 0; i < 20; i++)
        {
            Notifier.Publish(new PlansChanged(1));
        }
        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));

        await AdvanceUntilAsync(() => source.Loads == 2);
    }

    [Fact]
    public async Task Resync_ReloadsTheSnapshot()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));
        source.Value = 7; // changed while this screen's events were lost

        Notifier.Publish(new Resync());

        await AdvanceUntilAsync(() => cut.Find("#shown").TextContent == "7");
    }

    [Fact]
    public async Task AReloadThatFailsForAMoment_IsTriedAgain_AndTheScreenCatchesUp()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));
        source.Value = 3;
        source.FailingLoads = 2;

        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));
        await AdvanceUntilAsync(() => cut.Find("#shown").TextContent == "3");

        // The first snapshot, two failed reloads, the one that worked.
        Assert.Equal(4, source.Loads);
    }

    [Fact]
    public async Task AReloadThatKeepsFailing_ReachesTheRenderersErrorHandling_AndStopsListening()
    {
        var source = new Source();
        Render<NumberView>(p => p.Add(v => v.Source, source));
        var listeners = Notifier.ListenerCount;
        source.FailingLoads = int.MaxValue;

        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));
        var failure = Renderer.UnhandledException;
        await AdvanceUntilAsync(() => failure.IsCompleted);

        Assert.Equal("The database went away.", (await failure).Message);
        // The first snapshot, then a reload tried four times.
        Assert.Equal(5, source.Loads);
        Assert.Equal(listeners - 1, Notifier.ListenerCount);
    }

    [Fact]
    public async Task ANewParameterWhileAReloadIsReading_WaitsForIt_SoTheOlderReadCannotLandLast()
    {
        var source = new Source { Value = 1 };
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source).Add(v => v.Key, 1));
        var slow = new TaskCompletionSource();
        source.HoldNextLoad = slow;
        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));
        await AdvanceUntilAsync(() => source.Loads == 2); // the event's reload has read 1 and is still busy

        source.Value = 2;
        var navigated = cut.InvokeAsync(() => cut.Instance.SetParametersAsync(
            ParameterView.FromDictionary(new Dictionary<string, object?> { ["Source"] = source, ["Key"] = 2 })));
        slow.SetResult();
        await navigated;

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("#shown").TextContent));
        Assert.Equal(3, source.Loads);
    }

    [Fact]
    public void WhilePrerendering_ItShowsItsShell_AndLoadsNothing()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var source = new Source();

        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));

        Assert.Equal("loading", cut.Find("#shown").TextContent);
        Assert.Equal(0, source.Loads);
    }
}
