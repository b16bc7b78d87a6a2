using System.Net.Http.Json;
using DispatchBoard.Benchmarks.Suite;
using Microsoft.Playwright;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>boards</c>: N real Chromium pages on <c>/board</c>; reports posted at a fixed rate; the time from each POST to its
/// card in each page's DOM (stamped in the page by a MutationObserver), the server's CPU per event and resident memory per
/// open board, and cards that never came. The floor: a bare Blazor Server page with a list bound to the posted items
/// (benchmarks/DispatchBoard.Floor), the same N pages, the same posts. Runs alternate, ours then the floor.
/// </summary>
public static class BoardsBenchmark
{
    private static string? Trace;
    private static string? ChromeTrace;
    private static IReadOnlyDictionary<string, string> OursSettings = new Dictionary<string, string>();

    public static async Task<Report> RunAsync(Args args)
    {
        Trace = args.String("--trace");
        ChromeTrace = args.String("--chrome-trace");
        OursSettings = args.Settings();
        var boardCounts = args.Smoke ? [2] : args.Ints("--boards", 10, 30);
        var events = args.Int("--events", args.Smoke ? 5 : 40);
        var interval = TimeSpan.FromMilliseconds(args.Int("--interval-ms", 500));
        var runs = args.Int("--runs", args.Smoke ? 1 : 3);
        var report = new Report("boards", new Dictionary<string, object>
        {
            ["boards"] = boardCounts, ["events"] = events, ["intervalMs"] = interval.TotalMilliseconds, ["runs"] = runs,
        });
        await using var chromium = await Chromium.LaunchAsync();
        foreach (var boards in boardCounts)
        {
            var ours = new List<BoardsRun>();
            var floor = new List<BoardsRun>();
            for (var run = 1; run <= runs; run++)
            {
                ours.Add(await RunOnceAsync(chromium, ours: true, boards, events, interval));
                Console.WriteLine($"   {boards} boards, run {run}: ours  {ours[^1]}");
                floor.Add(await RunOnceAsync(chromium, ours: false, boards, events, interval));
                Console.WriteLine($"   {boards} boards, run {run}: floor {floor[^1]}");
            }
            var @case = $"{boards} boards";
            report.Compare("boards", @case, "report → card p50", "ms", Better.Lower, ours.Select(r => r.Latency.P50).ToList(), floor.Select(r => r.Latency.P50).ToList());
            report.Compare("boards", @case, "report → card p99", "ms", Better.Lower, ours.Select(r => r.Latency.P99).ToList(), floor.Select(r => r.Latency.P99).ToList(), ratioGoal: 1.25);
            report.Compare("boards", @case, "report → card max", "ms", Better.Lower, ours.Select(r => r.Latency.Max).ToList(), floor.Select(r => r.Latency.Max).ToList());
            report.Compare("boards", @case, "server CPU per event (net)", "ms", Better.Lower, ours.Select(r => r.CpuMsPerEvent).ToList(), floor.Select(r => r.CpuMsPerEvent).ToList());
            report.Compare("boards", @case, "browsers' CPU per event", "ms", Better.Lower, ours.Select(r => r.BrowserCpuMsPerEvent).ToList(), floor.Select(r => r.BrowserCpuMsPerEvent).ToList());
            report.Compare("boards", @case, "machine busy (all cores)", "%", Better.Lower, ours.Select(r => r.MachineBusyPercent).ToList(), floor.Select(r => r.MachineBusyPercent).ToList());
            report.Compare("boards", @case, "idle server CPU", "ms/s", Better.Lower, ours.Select(r => r.IdleCpuMsPerSecond).ToList(), floor.Select(r => r.IdleCpuMsPerSecond).ToList());
            report.Compare("boards", @case, "resident memory per board", "MB", Better.Lower, ours.Select(r => r.MbPerBoard).ToList(), floor.Select(r => r.MbPerBoard).ToList(),
                absoluteGoal: boards >= 30 ? 1 : null);
            report.Compare("boards", @case, "one page alone: tasks per report", "ms", Better.Lower, ours.Select(r => r.AlonePageMsPerEvent).ToList(), floor.Select(r => r.AlonePageMsPerEvent).ToList());
            report.Compare("boards", @case, "one page alone: per static copy of a card", "ms", Better.Lower, ours.Select(r => r.AlonePageMsPerCopy).ToList(), floor.Select(r => r.AlonePageMsPerCopy).ToList());
            report.Note($"{@case}: one page alone, ours per report / per static copy of its card: "
                + $"{Report.Median(ours.Select(r => r.AlonePageMsPerEvent).ToList()) / Report.Median(ours.Select(r => r.AlonePageMsPerCopy).ToList()):F2}x "
                + "(what the page's framework and our code add to what showing the card costs the browser).");
            report.Compare("boards", @case, "cards missing", "", Better.Lower, ours.Select(r => (double)r.Latency.Missing).ToList(), floor.Select(r => (double)r.Latency.Missing).ToList(), absoluteGoal: 0);
        }
        return report;
    }

    /// <param name="BrowserCpuMsPerEvent">The machine's CPU in the events' window less the server's and the runner's: the pages.</param>
    /// <param name="MachineBusyPercent">How busy all cores were in that window: near 100, every latency includes queueing for a core.</param>
    /// <param name="AlonePageMsPerEvent">One page left open on its own: its main-thread tasks per report (Chrome's TaskDuration).</param>
    /// <param name="AlonePageMsPerCopy">The same page: its tasks per static copy of its newest card inserted by a script (no server,
    /// no framework): what the browser spends on showing that card in that page, the floor of a report on it.</param>
    private sealed record BoardsRun(Latencies Latency, double CpuMsPerEvent, double MbPerBoard, double IdleCpuMsPerSecond, double BrowserCpuMsPerEvent,
        double MachineBusyPercent, double AlonePageMsPerEvent, double AlonePageMsPerCopy)
    {
        public override string ToString() =>
            $"p50 {Latency.P50:F0} ms, p99 {Latency.P99:F0} ms, max {Latency.Max:F0} ms, missing {Latency.Missing}, CPU {CpuMsPerEvent:F1} ms/event (idle {IdleCpuMsPerSecond:F0} ms/s), "
            + $"browsers {BrowserCpuMsPerEvent:F1} ms/event, machine {MachineBusyPercent:F0} % busy, {MbPerBoard:F2} MB/board; "
            + $"one page alone: {AlonePageMsPerEvent:F1} ms per report, {AlonePageMsPerCopy:F1} ms per static copy of a card";
    }

    private static async Task<BoardsRun> RunOnceAsync(Chromium chromium, bool ours, int boards, int events, TimeSpan interval)
    {
        var folder = Servers.NewWorkFolder(ours ? "boards-ours" : "boards-floor");
        var contexts = new List<IBrowserContext>();
        try
        {
            await using var server = ours ? await Servers.StartOursAsync(folder, OursSettings) : await Servers.StartFloorAsync(folder);
            using var http = new HttpClient { BaseAddress = server.Address };
            var before = 0L;
            // Warm-up: the first reports after a start compile their paths (measured by `fanout`, which includes the
            // first minute); this measures what an open board costs once the server runs.
            for (var k = 0; k < WarmUpReports; k++)
            {
                (await Post(http, ours, 10_000 + k, $"Warm-up report {k}")).EnsureSuccessStatusCode();
            }
            IReadOnlyList<Cookie>? signedIn = null;
            var pages = new List<IPage>();
            // One board opened and closed first: the first page after a start compiles its paths and fills the runtime's
            // caches, which is not what a board costs. Then the memory settles and the boards open.
            for (var i = -1; i < boards; i++)
            {
                var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = server.Address.ToString(),
                    ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
                });
                contexts.Add(context);
                await context.AddInitScriptAsync(Chromium.StampScript);
                if (ours)
                {
                    // One sign-in, its cookie shared by every screen (as many office screens of one dispatcher).
                    signedIn ??= await OurApi.BrowserCookiesAsync(context);
                    await context.AddCookiesAsync(signedIn);
                }
                var page = await context.NewPageAsync();
                await page.GotoAsync("board");
                await page.WaitForSelectorAsync("[data-loaded='true']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
                if (i < 0)
                {
                    await context.DisposeAsync();
                    contexts.Remove(context);
                    before = await server.SettledResidentBytesAsync(TimeSpan.FromSeconds(15));
                    continue;
                }
                pages.Add(page);
            }
            var after = await server.SettledResidentBytesAsync(TimeSpan.FromSeconds(20));

            // --trace FILE: a CPU sample trace of our server while the reports come in (dotnet-trace, when installed).
            using var trace = ours && Trace is { } tracePath ? await TraceCollector.StartAsync(server.Pid, tracePath) : null;
            // What the server burns with the boards open and nothing happening (timers, jobs), so the events' share is known.
            var idleFrom = server.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idlePerSecond = (server.CpuSeconds() - idleFrom) / 5;
            // Where one page's time goes (Chrome's own counters: script, style, layout, all its tasks), printed per event.
            var probe = await pages[0].Context.NewCDPSessionAsync(pages[0]);
            await probe.SendAsync("Performance.enable");
            var pageBefore = await PageMetricsAsync(probe);
            // --chrome-trace FILE: Chrome's own trace of the first page over the events (FILE.ours.json, FILE.floor.json),
            // to open in chrome://tracing or Perfetto: what the page's main thread did beyond script, style and layout.
            var chromeTracePath = ChromeTrace is { } t ? $"{t}.{(ours ? "ours" : "floor")}.json" : null;
            var traceEvents = new List<System.Text.Json.JsonElement>();
            var traceDone = new TaskCompletionSource();
            if (chromeTracePath is not null)
            {
                probe.Event("Tracing.dataCollected").OnEvent += (_, data) =>
                {
                    lock (traceEvents)
                    {
                        traceEvents.AddRange(data!.Value.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
                    }
                };
                probe.Event("Tracing.tracingComplete").OnEvent += (_, _) => traceDone.TrySetResult();
                await probe.SendAsync("Tracing.start", new Dictionary<string, object>
                {
                    ["transferMode"] = "ReportEvents",
                    ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink,cc,gpu,toplevel,viz,renderer.scheduler",
                });
            }
            var cpuBefore = server.CpuSeconds();
            var machineBefore = ServerProcess.MachineCpu().BusySeconds;
            var runnerBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var busyFrom = DateTime.UtcNow;
            var sent = new double[events];
            var posts = new List<Task<HttpResponseMessage>>();
            var start = DateTime.UtcNow;
            for (var k = 0; k < events; k++)
            {
                var due = start + interval * k;
                if (due > DateTime.UtcNow)
                {
                    await Task.Delay(due - DateTime.UtcNow);
                }
                sent[k] = Chromium.WallClockMs();
                posts.Add(Post(http, ours, k, $"Benchmark report bench#{k}#"));
            }
            foreach (var response in await Task.WhenAll(posts))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"A report was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }

            // Every card on every page, or 15 s after the last post: what has not come by then is missing.
            var latency = new Latencies();
            var seen = new Dictionary<int, double>[pages.Count];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            for (var i = 0; i < pages.Count; i++)
            {
                while (true)
                {
                    seen[i] = await Chromium.SeenAsync(pages[i]);
                    if (seen[i].Count >= events || DateTime.UtcNow > deadline)
                    {
                        break;
                    }
                    await Task.Delay(100);
                }
            }
            var serverSeconds = server.CpuSeconds() - cpuBefore;
            var cpuMs = (serverSeconds - idlePerSecond * (DateTime.UtcNow - busyFrom).TotalSeconds) * 1000;
            // The rest of the machine in the same window: the Chromium pages (and whatever else runs), not the server, not us.
            var (machineNow, cores) = ServerProcess.MachineCpu();
            var machineSeconds = machineNow - machineBefore;
            var browserMs = (machineSeconds - serverSeconds
                - (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - runnerBefore)) * 1000;
            var pageAfter = await PageMetricsAsync(probe);
            if (chromeTracePath is not null)
            {
                await probe.SendAsync("Tracing.end");
                await traceDone.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await File.WriteAllTextAsync(chromeTracePath, System.Text.Json.JsonSerializer.Serialize(new { traceEvents }));
                Console.WriteLine($"      Chrome trace of one page: {chromeTracePath}");
            }
            Console.WriteLine("      one page, per event: " + string.Join(", ", pageAfter.Keys.Select(k =>
                $"{k} {(pageAfter[k] - pageBefore.GetValueOrDefault(k)) * 1000 / events:F1} ms")));
            var busyShare = 100 * machineSeconds / (cores * (DateTime.UtcNow - busyFrom).TotalSeconds);
            trace?.Stop();
            foreach (var stamps in seen)
            {
                for (var k = 0; k < events; k++)
                {
                    if (stamps.TryGetValue(k, out var at))
                    {
                        latency.Add(at - sent[k]);
                    }
                    else
                    {
                        latency.Missing++;
                    }
                }
            }
            var (alonePerEvent, alonePerCopy) = await AloneProbeAsync(pages[0], probe, contexts, http, ours);
            return new BoardsRun(latency, cpuMs / events, (after - before) / (double)boards / (1024 * 1024), idlePerSecond * 1000,
                browserMs / events, busyShare, alonePerEvent, alonePerCopy);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }
            Servers.TryDelete(folder);
        }
    }

    private const int WarmUpReports = 10;
    private const int AloneEvents = 10;

    /// <summary>
    /// With every other board closed (no page waits for a core), one page's main-thread tasks per report, then per static copy
    /// of the page's newest card (ours: the first card of the first column; the floor: its first item) inserted at the top
    /// of its list by a script, 500 ms apart like the reports. The copy costs what the browser needs to show that card in
    /// that page (style, layout, paint of what it moves) without a server or a framework: the report's floor in the page.
    /// Run last: the copies are nodes the page's framework does not know.
    /// </summary>
    private static async Task<(double PerEvent, double PerCopy)> AloneProbeAsync(IPage page, ICDPSession probe, List<IBrowserContext> contexts, HttpClient http, bool ours)
    {
        foreach (var other in contexts.Where(c => c != page.Context).ToList())
        {
            await other.DisposeAsync();
            contexts.Remove(other);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = await PageMetricsAsync(probe);
        for (var k = 0; k < AloneEvents; k++)
        {
            (await Post(http, ours, 20_000 + k, $"Alone report bench#{20_000 + k}#")).EnsureSuccessStatusCode();
            await Task.Delay(500);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await Chromium.SeenAsync(page)).Keys.Count(k => k >= 20_000) < AloneEvents && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(1000);
        var afterReports = await PageMetricsAsync(probe);
        for (var k = 0; k < AloneEvents; k++)
        {
            await page.EvaluateAsync("""
                ([ours, k]) => {
                  const first = ours ? document.querySelector('.db-column-body > .db-card') : document.querySelector('[data-item]');
                  const copy = first.cloneNode(true);
                  for (const text of ours ? copy.querySelectorAll('.db-card-desc') : [copy]) text.textContent = 'A static copy ' + k;
                  first.parentNode.insertBefore(copy, first);
                }
                """, new object[] { ours, k });
            await Task.Delay(500);
        }
        await Task.Delay(1000);
        var afterCopies = await PageMetricsAsync(probe);
        const string Tasks = "TaskDuration";
        return ((afterReports[Tasks] - before[Tasks]) * 1000 / AloneEvents, (afterCopies[Tasks] - afterReports[Tasks]) * 1000 / AloneEvents);
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, bool ours, int k, string text) => ours
        ? OurApi.ReportAsync(http, k, text)
        : http.PostAsJsonAsync("items", new { id = k.ToString(System.Globalization.CultureInfo.InvariantCulture), text });

    private static async Task<Dictionary<string, double>> PageMetricsAsync(ICDPSession session)
    {
        var metrics = await session.SendAsync("Performance.getMetrics");
        string[] wanted = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"];
        return metrics!.Value.GetProperty("metrics").EnumerateArray()
            .Where(m => wanted.Contains(m.GetProperty("name").GetString()))
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }
}
