using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace DispatchBoard.E2E;

/// <summary>
/// Records Content-Security-Policy violations on every page of a browser context: the securitypolicyviolation events
/// (an init script records them before any page script runs) and the console's reports of them.
/// </summary>
public static class CspWatch
{
    private const string Listener = """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
            window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    /// <summary>Starts watching the context; the queue collects what the console reports.</summary>
    public static async Task<ConcurrentQueue<string>> StartAsync(IBrowserContext context)
    {
        var console = new ConcurrentQueue<string>();
        await context.AddInitScriptAsync(Listener);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                console.Enqueue($"console: {message.Text}");
            }
        };
        return console;
    }

    /// <summary>
    /// The violation events of the page so far. The event fires asynchronously after a blocked load (or a late onerror):
    /// a round trip through the page's task queue lets it land first.
    /// </summary>
    public static Task<string[]> EventsAsync(IPage page) =>
        page.EvaluateAsync<string[]>("() => new Promise(r => setTimeout(() => r(window.__cspViolations ?? []), 50))");
}
