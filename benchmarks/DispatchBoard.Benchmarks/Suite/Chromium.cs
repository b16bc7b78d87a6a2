using Microsoft.Playwright;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>
/// Debian's headless Chromium through Playwright (Playwright's own browser download cannot work here), and the page
/// script that stamps the wall clock when a card arrives.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly string[] Flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // Many pages of one browser are all "in front" (a board on its own screen), never throttled as background tabs.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"];

    /// <summary>
    /// Runs in every page before its own scripts: a MutationObserver that, for every node added to the document, finds
    /// the benchmark's markers (<c>bench#12#</c>) in its text and stamps the first time each appeared (wall clock, ms).
    /// Text changed in place is watched too (a framework may reuse a node).
    /// </summary>
    public const string StampScript = """
        (() => {
          const seen = window.__benchSeen = {};
          const marker = /bench#(\d+)#/g;
          const stamp = (text, at) => {
            if (!text || text.indexOf('bench#') < 0) return;
            for (const m of text.matchAll(marker)) { if (!(m[1] in seen)) seen[m[1]] = at; }
          };
          const observer = new MutationObserver(mutations => {
            const at = performance.timeOrigin + performance.now();
            for (const m of mutations) {
              if (m.type === 'characterData') { stamp(m.target.data, at); continue; }
              for (const n of m.addedNodes) stamp(n.textContent, at);
            }
          });
          const start = () => observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
          if (document.documentElement) start(); else document.addEventListener('readystatechange', start, { once: true });
        })();
        """;

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Chromium is not at {path}: install Debian's chromium (the test command does) or set CHROMIUM_PATH.");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = Flags });
        return new Chromium(playwright, browser);
    }

    /// <summary>The stamps a page has made: marker number → wall-clock milliseconds.</summary>
    public static async Task<Dictionary<int, double>> SeenAsync(IPage page)
    {
        var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__benchSeen || {}");
        return seen.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
    }

    /// <summary>The wall clock as the pages stamp it (Unix milliseconds, sub-millisecond).</summary>
    public static double WallClockMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
