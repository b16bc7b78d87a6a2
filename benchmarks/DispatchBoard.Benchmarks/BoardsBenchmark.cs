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
    private static IReadOnlyDictionary<string, string> OursSettings = new Dictionary<string, string>();

    public static async Task<Report> RunAsync(Args args)
    {
        Trace = args.String("--trace");
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
            report.Compare("boards", @case, "cards missing", "", Better.Lower, ours.Select(r => (double)r.Latency.Missing).ToList(), floor.Select(r => (double)r.Latency.Missing).ToList(), absoluteGoal: 0);
        }
        return report;
    }

    /// <param name="BrowserCpuMsPerEvent">The machine's CPU in the events' window less the server's and the runner's: the pages.</param>
    /// <param name="MachineBusyPercent">How busy all cores were in that window: near 100, every latency includes queueing for a core.</param>
    private sealed record BoardsRun(Latencies Latency, double CpuMsPerEvent, double MbPerBoard, double IdleCpuMsPerSecond, double BrowserCpuMsPerEvent,
        double MachineBusyPercent)
    {
        public override string ToString() =>
            $"p50 {Latency.P50:F0} ms, p99 {Latency.P99:F0} ms, max {Latency.Max:F0} ms, missing {Latency.Missing}, CPU {CpuMsPerEvent:F1} ms/event (idle {IdleCpuMsPerSecond:F0} ms/s), "
            + $"browsers {BrowserCpuMsPerEvent:F1} ms/event, machine {MachineBusyPercent:F0} % busy, {MbPerBoard:F2} MB/board";
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
            return new BoardsRun(latency, cpuMs / events, (after - before) / (double)boards / (1024 * 1024), idlePerSecond * 1000,
                browserMs / events, busyShare);
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
