using System.Text.Json;
using Microsoft.Playwright;

namespace DispatchBoard.E2E;

/// <summary>A notification the service worker shows, as <c>registration.getNotifications()</c> reports it.</summary>
public sealed record ShownNotification
{
    // Settable properties: Playwright builds evaluation results with a parameterless constructor.
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string Tag { get; init; } = "";
    public string? Url { get; init; }
    public string[] Actions { get; init; } = [];
}

public static class ServiceWorkers
{
    /// <summary>Waits until the page is controlled by the service worker (it claims open pages when it activates).</summary>
    public static Task WaitForControlAsync(IPage page) =>
        page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
}

/// <summary>
/// Drives the app's service worker in Chromium without a push service: delivers pushes through the DevTools protocol,
/// reads the notifications it shows from a page of the site, and clicks them from inside the worker.
/// </summary>
/// <remarks>
/// Chromium quirk: <c>getNotifications()</c> drops from its store any notification the platform does not show yet, so
/// a read while a notification is still being shown can make that one vanish (seen about once in 15 fresh profiles,
/// on the first notification). The probe therefore reads only after the worker's <c>showNotification</c> has settled,
/// which it learns by counting those calls inside the worker.
/// </remarks>
public sealed class PushProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ICDPSession _cdp;
    private readonly string _origin;
    private readonly IWorker _worker;
    private readonly IPage _page;

    private PushProbe(ICDPSession cdp, string origin, string registrationId, IWorker worker, IPage page)
    {
        _cdp = cdp;
        _origin = origin;
        RegistrationId = registrationId;
        _worker = worker;
        _page = page;
    }

    /// <summary>The id DevTools knows the site's service worker registration by.</summary>
    public string RegistrationId { get; }

    /// <summary>Attaches to the worker that controls <paramref name="page"/> (wait for control first).</summary>
    public static async Task<PushProbe> AttachAsync(IBrowserContext context, IPage page, Uri origin)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        var registrationId = await RegistrationIdAsync(cdp, new Uri(origin, "/").ToString());
        var worker = await WorkerAsync(context);
        await worker.EvaluateAsync<int>("""
            () => {
                if (self.__probeShown === undefined) {
                    self.__probeShown = 0;
                    const show = self.registration.showNotification.bind(self.registration);
                    self.registration.showNotification = (...args) => show(...args).finally(() => { self.__probeShown++; });
                }
                return self.__probeShown;
            }
            """);
        return new PushProbe(cdp, origin.GetLeftPart(UriPartial.Authority), registrationId, worker, page);
    }

    /// <summary>
    /// Hands <paramref name="payload"/> (serialized camelCase) to the worker's push event as if the push service had
    /// delivered it, waits until the worker has shown its notification, and returns what is shown then.
    /// </summary>
    public Task<ShownNotification[]> PushAsync(object payload) => AfterNextShownAsync(() =>
        _cdp.SendAsync("ServiceWorker.deliverPushMessage", new Dictionary<string, object>
        {
            // Chromium hands the data to the push event as it is: no encryption involved.
            ["origin"] = _origin,
            ["registrationId"] = RegistrationId,
            ["data"] = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
        }));

    /// <summary>
    /// Clicks the shown notification with this tag, or one of its actions, as the browser would (a notificationclick
    /// event on the worker). Fails when no such notification is shown.
    /// </summary>
    public async Task ClickAsync(string tag, string action = "")
    {
        var clicked = await _worker.EvaluateAsync<bool>("""
            async ({ tag, action }) => {
                const [notification] = await self.registration.getNotifications({ tag });
                if (!notification) return false;
                self.dispatchEvent(new NotificationEvent("notificationclick", { notification, action }));
                return true;
            }
            """, new { tag, action });
        Assert.True(clicked, $"No notification tagged {tag} was shown to click.");
    }

    /// <summary>Clicks an action whose answer is a new notification; returns what is shown then.</summary>
    public Task<ShownNotification[]> ClickForAnswerAsync(string tag, string action) => AfterNextShownAsync(() => ClickAsync(tag, action));

    /// <summary>The notifications shown now, read from the page with <c>registration.getNotifications()</c>.</summary>
    public Task<ShownNotification[]> NotificationsAsync() => _page.EvaluateAsync<ShownNotification[]>("""
        async () => (await (await navigator.serviceWorker.ready).getNotifications()).map(n => ({
            title: n.title, body: n.body, tag: n.tag, url: n.data?.url ?? null, actions: (n.actions ?? []).map(a => a.action) }))
        """);

    /// <summary>Waits until no notification with this tag is shown (e.g. after a click closed it).</summary>
    public async Task WaitUntilGoneAsync(string tag)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        ShownNotification[] shown;
        while ((shown = await NotificationsAsync()).Any(n => n.Tag == tag))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"The notification {tag} is still shown: {JsonSerializer.Serialize(shown)}");
            }
            await Task.Delay(50);
        }
    }

    private async Task<ShownNotification[]> AfterNextShownAsync(Func<Task> act)
    {
        var before = await ShownCountAsync();
        await act();
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (await ShownCountAsync() <= before)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail("The service worker never showed a notification.");
            }
            await Task.Delay(50);
        }
        return await NotificationsAsync();
    }

    private Task<int> ShownCountAsync() => _worker.EvaluateAsync<int>("() => self.__probeShown");

    /// <summary>
    /// ServiceWorker.enable reports every registration at once in ServiceWorker.workerRegistrationUpdated, so the
    /// handler is attached before enabling (or the event is missed).
    /// </summary>
    private static async Task<string> RegistrationIdAsync(ICDPSession cdp, string scope)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRegistrations(object? sender, JsonElement? e)
        {
            foreach (var registration in e?.GetProperty("registrations").EnumerateArray() ?? default)
            {
                if (registration.GetProperty("scopeURL").GetString() == scope && !registration.GetProperty("isDeleted").GetBoolean())
                {
                    found.TrySetResult(registration.GetProperty("registrationId").GetString()!);
                }
            }
        }
        var updates = cdp.Event("ServiceWorker.workerRegistrationUpdated");
        updates.OnEvent += OnRegistrations;
        try
        {
            await cdp.SendAsync("ServiceWorker.enable");
            return await found.Task.WaitAsync(Patience);
        }
        finally
        {
            updates.OnEvent -= OnRegistrations;
        }
    }

    /// <summary>
    /// The running service worker, to evaluate inside it. Playwright's .NET interface leaves out Chromium's
    /// BrowserContext.ServiceWorkers; its implementation has the property.
    /// </summary>
    private static async Task<IWorker> WorkerAsync(IBrowserContext context)
    {
        var property = context.GetType().GetProperty("ServiceWorkers")
            ?? throw new InvalidOperationException("This Playwright's BrowserContext has no ServiceWorkers property any more.");
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var workers = (IEnumerable<IWorker>)property.GetValue(context)!;
            if (workers.FirstOrDefault(w => w.Url.EndsWith("/sw.js", StringComparison.Ordinal)) is { } worker)
            {
                return worker;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("Playwright never saw the service worker /sw.js.");
            }
            await Task.Delay(50);
        }
    }
}
