using System.Security.Claims;
using DispatchBoard.Testing;
using Bunit.TestDoubles;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace DispatchBoard.Components.Tests;

/// <summary>
/// The one shared bUnit base: MudBlazor services, loose JS interop (sound, clipboard), and the app's real services over
/// a seeded SQLite file (<see cref="TestData"/>) as the fallback provider.
/// </summary>
public abstract class DispatchComponentTest : BunitContext, IAsyncLifetime
{
    protected TestData Data { get; private set; } = default!;

    protected DispatchComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        _auth = AddAuthorization();
    }

    private readonly BunitAuthorizationContext _auth;

    /// <summary>Extra services for the app's provider (e.g. a database interceptor), before it is built.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Settings over the test defaults (which keep the school open around the clock).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        Data = await TestData.CreateAsync(settings: Settings, configure: ConfigureServices);
        Services.AddFallbackServiceProvider(Data.Services);
        // MudBlazor registers the system clock; the components must tick on the test's fake one, as the services do.
        Services.AddSingleton<TimeProvider>(Data.Time);
        // As on a circuit; a test of prerendering sets its own. (This builds the renderer: every service is in by now.)
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Signs in a demo user for the components (AuthorizeView, cascading state).</summary>
    protected async Task<Actor> SignInAsync(string who, params string[] roles)
    {
        var actor = await Data.ActorAsync(who);
        _auth
            .SetAuthorized(actor.Name)
            .SetRoles(roles)
            .SetClaims([new Claim(ClaimTypes.NameIdentifier, actor.UserId), new Claim(Actor.DisplayNameClaim, actor.Name),
                .. actor.StaffId is { } staffId ? [new Claim(Actor.StaffIdClaim, staffId.ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<Claim>()]);
        return actor;
    }

    /// <summary>
    /// Moves the app's (fake) clock on, a second at a time, until <paramref name="done"/>: live components hold reloads
    /// back (the throttle, a retry) on that clock. Polls with a deadline.
    /// </summary>
    protected async Task AdvanceUntilAsync(Func<bool> done)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The live component did not get there in time.");
            Data.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    protected IRenderedComponent<MudPopoverProvider> RenderProviders()
    {
        Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        return Render<MudPopoverProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor has services that only dispose asynchronously; xunit 2 would call the synchronous Dispose.
        await base.DisposeAsync();
        await Data.DisposeAsync();
    }
}
