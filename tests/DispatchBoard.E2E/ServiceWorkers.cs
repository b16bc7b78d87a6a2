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

/// <summary>
/// Drives the app's service worker in Chromium: delivers a push without a push service (DevTools protocol), reads the
/// notifications it shows, and clicks them from inside the worker.
/// </summary>
public static class ServiceWorkers
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Waits until the page is controlled by the service worker (it claims pages when it activates).</summary>
    public static Task WaitForControlAsync(IPage page) =>
        page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });

    /// <summary>
    /// The id DevTools knows the site's registration by: ServiceWorker.enable reports every registration at once in
    /// ServiceWorker.workerRegistrationUpdated (the handler is attached before enabling, or the event is missed).
    /// </summary>
    public static async Task<string> RegistrationIdAsync(ICDPSession cdp, Uri origin)
    {
        var scope = new Uri(origin, "/").ToString();
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRegistrations(object? sender, JsonElement? e)
        {
            if (e is not { } args)
            {
                return;
            }
            foreach (var registration in args.GetProperty("registrations").EnumerateArray())
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
    /// Hands <paramref name="payload"/> to the worker's push event as if the push service had delivered it (Chromium
    /// passes the data through as it is: no encryption involved).
    /// </summary>
    public static Task DeliverPushAsync(ICDPSession cdp, Uri origin, string registrationId, object payload) =>
        cdp.SendAsync("ServiceWorker.deliverPushMessage", new Dictionary<string, object>
        {
            ["origin"] = origin.GetLeftPart(UriPartial.Authority),
            ["registrationId"] = registrationId,
            ["data"] = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
        });

    /// <summary>The notifications the worker shows now, read from a page of the site.</summary>
    public static Task<ShownNotification[]> NotificationsAsync(IPage page) => page.EvaluateAsync<ShownNotification[]>("""
        async () => (await (await navigator.serviceWorker.ready).getNotifications()).map(n => ({
            title: n.title, body: n.body, tag: n.tag, url: n.data?.url ?? null, actions: (n.actions ?? []).map(a => a.action) }))
        """);

    /// <summary>Polls the shown notifications until <paramref name="done"/> holds, or fails with what was shown last.</summary>
    public static async Task<ShownNotification[]> WaitForNotificationsAsync(IPage page, Func<ShownNotification[], bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var shown = await NotificationsAsync(page);
            if (done(shown))
            {
                return shown;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"The notifications never got there. Shown: {JsonSerializer.Serialize(shown)}");
            }
            await page.WaitForTimeoutAsync(100);
        }
    }

    /// <summary>
    /// The running service worker, to evaluate inside it. Playwright's .NET interface leaves out Chromium's
    /// BrowserContext.ServiceWorkers, but the implementation has it.
    /// </summary>
    public static async Task<IWorker> WorkerAsync(IBrowserContext context)
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
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Clicks the shown notification with this tag (or one of its actions) the way the browser would: a
    /// notificationclick event on the worker. Returns false when no such notification is shown.
    /// </summary>
    public static Task<bool> ClickNotificationAsync(IWorker worker, string tag, string action = "") => worker.EvaluateAsync<bool>("""
        async ({ tag, action }) => {
            const [notification] = await self.registration.getNotifications({ tag });
            if (!notification) return false;
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification, action }));
            return true;
        }
        """, new { tag, action });
}
