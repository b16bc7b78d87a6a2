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
        public bool FailNextLoad;
    }

    private sealed class NumberView : LiveComponent
    {
        private int _shown;

        [Parameter] public Source Source { get; set; } = default!;

        protected override Task OnInitializedAsync() => GoLiveAsync();

        protected override bool Listens(BoardEvent boardEvent) => boardEvent is RoundsChanged;

        protected override Task LoadAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref Source.Loads);
            if (Source.FailNextLoad)
            {
                Source.FailNextLoad = false;
                throw new InvalidOperationException("The database went away.");
            }
            _shown = Volatile.Read(ref Source.Value);
            return Task.CompletedTask;
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
    public void ABurstOfFiftyReloadEvents_CostsAFewReloads_NotFifty_AndEndsOnTheLastState()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));
        Assert.Equal("0", cut.Find("#shown").TextContent);

        for (var i = 1; i <= 50; i++)
        {
            Interlocked.Increment(ref source.Value);
            Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));
        }

        cut.WaitForAssertion(() => Assert.Equal("50", cut.Find("#shown").TextContent));
        // The first snapshot, then at most one reload for what was held and one more for what came during it.
        Assert.InRange(source.Loads, 2, 3);
    }

    [Fact]
    public void EventsItDoesNotListenTo_CostNothing()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));

        for (var i = 0; i < 20; i++)
        {
            Notifier.Publish(new PlansChanged(1));
        }
        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));

        cut.WaitForAssertion(() => Assert.Equal(2, source.Loads));
    }

    [Fact]
    public void Resync_ReloadsTheSnapshot()
    {
        var source = new Source();
        var cut = Render<NumberView>(p => p.Add(v => v.Source, source));
        source.Value = 7; // changed while this screen's events were lost

        Notifier.Publish(new Resync());

        cut.WaitForAssertion(() => Assert.Equal("7", cut.Find("#shown").TextContent));
    }

    [Fact]
    public async Task AReloadThatFails_ReachesTheRenderersErrorHandling_NotALostTask()
    {
        var source = new Source();
        Render<NumberView>(p => p.Add(v => v.Source, source));
        source.FailNextLoad = true;

        Notifier.Publish(new RoundsChanged(new DateOnly(2026, 11, 23)));

        var failure = await Renderer.UnhandledException.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("The database went away.", failure.Message);
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
