using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace DispatchBoard.E2E;

/// <summary>
/// axe-core (WCAG 2.0–2.2 A and AA rules) in a page: the engine Deque.AxeCore.Playwright ships (its Commons assembly),
/// put into every page of a context before the page's own scripts (<see cref="AddToAsync"/>), and run with
/// <c>axe.run</c> directly: the package's <c>RunAxe</c> injects it again at each call and sends back every pass, 2 s a
/// call where the run itself takes 0.1 s.
/// </summary>
internal static class Axe
{
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not in Deque.AxeCore.Commons any more.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private const string Run = """
        async (tags) => {
          const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact ?? '', help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => ({
              target: n.target.join(' '), html: n.html.slice(0, 120), message: ([...n.any, ...n.all, ...n.none][0] ?? {}).message ?? '' })),
          }));
        }
        """;

    public static Task AddToAsync(IBrowserContext context) => context.AddInitScriptAsync(Source.Value);

    /// <summary>
    /// Whether the page's headings form an outline: one h1, and no level skipped on the way down (an h1 then an h3
    /// leaves a screen reader's list of headings with a hole). Empty when they do, else what is wrong and the outline.
    /// </summary>
    public static Task<string> OutlineProblemAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
          const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
            .filter(h => h.checkVisibility() && h.textContent.trim())
            .map(h => ({ level: Number(h.getAttribute('aria-level') ?? h.tagName.slice(1)), text: h.textContent.trim().slice(0, 40) }));
          const outline = headings.map(h => `h${h.level} ${h.text}`).join(' | ');
          const ones = headings.filter(h => h.level === 1).length;
          if (ones !== 1) return `${ones} h1: ${outline}`;
          for (let i = 1; i < headings.length; i++)
            if (headings[i].level > headings[i - 1].level + 1) return `h${headings[i - 1].level} then h${headings[i].level}: ${outline}`;
          return '';
        }
        """);

    /// <summary>The page's violations as it is now: whether each is serious or critical, and a line naming it.</summary>
    public static async Task<IReadOnlyList<(bool Serious, string Line)>> CheckAsync(IPage page, string where)
    {
        var found = new List<(bool, string)>();
        foreach (var violation in (await page.EvaluateAsync<JsonElement>(Run, Tags)).EnumerateArray())
        {
            var impact = violation.GetProperty("impact").GetString();
            var nodes = violation.GetProperty("nodes").EnumerateArray().Select(n =>
                $"{n.GetProperty("target").GetString()} {n.GetProperty("html").GetString()} {n.GetProperty("message").GetString()}");
            found.Add((impact is "serious" or "critical",
                $"{where} [{impact}] {violation.GetProperty("id").GetString()}: {violation.GetProperty("help").GetString()} — {string.Join(" | ", nodes)}"));
        }
        return found;
    }
}

/// <summary>Every page of the app, with who signs in to see it (null: nobody), and the two sizes each is checked at.</summary>
internal static class EveryPage
{
    public static readonly (string? Who, string Path)[] All =
    [
        (null, "/"), (null, "/login"), (null, "/report"), (null, "/r/A204"), (null, "/not-found"), (null, "/account/set-password"),
        ("staff1", "/my"), ("staff1", "/account"), ("staff1", "/notifications"), ("staff1", "/rounds"), ("staff1", "/suggestions"), ("staff1", "/meetings"),
        ("dispatcher", "/board"), ("dispatcher", "/board/tv"), ("dispatcher", "/reports"), ("dispatcher", "/reports/print"), ("dispatcher", "/planning"),
        ("principal", "/principal"),
        ("admin", "/admin/areas"), ("admin", "/admin/staff"), ("admin", "/admin/roster"), ("admin", "/admin/calendar"), ("admin", "/admin/checklists"),
        ("admin", "/admin/displays"), ("admin", "/admin/posters"), ("admin", "/admin/audit"), ("admin", "/admin/system"),
    ];

    /// <summary>The office screen and a phone: each page is checked at both sizes without loading it again.</summary>
    public static readonly (string Name, int Width, int Height)[] Sizes = [("office", 1920, 1080), ("phone", 375, 812)];

    /// <summary>
    /// Each page in <paramref name="locale"/>, signed in as its role (a browser context per role, with axe in it), loaded
    /// once: <paramref name="atSize"/> runs at each size, then <paramref name="after"/> at the office size (it may open
    /// dialogs). Returns how many page views <paramref name="atSize"/> saw.
    /// </summary>
    public static async Task<int> VisitAsync(AppFixture app, string locale, Func<IPage, string, string, Task> atSize, Func<IPage, string, Task>? after = null)
    {
        var views = 0;
        foreach (var group in All.GroupBy(p => p.Who))
        {
            await using var context = await app.OfficeScreenAsync(locale);
            await Axe.AddToAsync(context);
            if (group.Key is { } who)
            {
                await app.SignInAsync(context, who);
            }
            var page = await context.NewPageAsync();
            foreach (var (_, path) in group)
            {
                await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
                await page.GotoAsync(path);
                await Pages.WaitForCircuitAsync(page);
                foreach (var (size, width, height) in Sizes)
                {
                    await ResizeAsync(page, width, height);
                    await atSize(page, path, size);
                    views++;
                }
                if (after is not null)
                {
                    await ResizeAsync(page, Sizes[0].Width, Sizes[0].Height);
                    await after(page, path);
                }
            }
        }
        return views;
    }

    /// <summary>The layout at the page's new size, painted (two frames), before anything reads its colours and boxes.</summary>
    public static async Task ResizeAsync(IPage page, int width, int height)
    {
        await page.SetViewportSizeAsync(width, height);
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    }
}
