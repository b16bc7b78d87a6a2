using System.Diagnostics;
using DispatchBoard.Benchmarks.Suite;
using Report = DispatchBoard.Benchmarks.Suite.Report;
using TrackingCode = DispatchBoard.Web.Tickets.TrackingCode;
using TicketCategory = DispatchBoard.Web.Tickets.TicketCategory;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>render</c>: the office's <c>/board</c> opened in Chromium over a school with 10,000 open tickets (New, Claimed, On
/// site): the time until the board shows its columns, until a click on it is answered (interactive), the server's CPU for
/// that, the resident memory of that one circuit, and how many cards the page holds (a long column renders what is in
/// view). The goals are absolute (interactive under 1 s, at most 5 MB for the circuit); beside them, in the same run, what
/// opening costs without the 10,000 tickets: the same board over the demo school alone (a handful of tickets), and the
/// floor's bare Blazor Server page (interactive once its list shows).
/// </summary>
public static class RenderBenchmark
{
    public static async Task<Report> RunAsync(Args args)
    {
        var tickets = args.Int("--tickets", args.Smoke ? 1_000 : 10_000); // the smoke's New column (~600) virtualizes too
        Trace = args.String("--trace");
        var runs = args.Int("--runs", args.Smoke ? 1 : 3);
        var report = new Report("render", new Dictionary<string, object> { ["tickets"] = tickets, ["runs"] = runs });
        await using var chromium = await Chromium.LaunchAsync();
        var results = new List<RenderRun>();
        var empty = new List<RenderRun>();
        var floor = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            results.Add(await RunOnceAsync(chromium, tickets, args.Settings()));
            Console.WriteLine($"   {tickets:N0} open tickets, run {run}: {results[^1]}");
            empty.Add(await RunOnceAsync(chromium, 0, args.Settings()));
            Console.WriteLine($"   the demo school alone, run {run}: {empty[^1]}");
            floor.Add(await FloorOnceAsync(chromium));
            Console.WriteLine($"   the floor's bare page, run {run}: interactive {floor[^1]:F0} ms");
        }
        var @case = $"{tickets:N0} open";
        report.Measure("render", @case, "navigation → board shown", "ms", Better.Lower, results.Select(r => r.ShownMs).ToList());
        report.Compare("render", @case, "navigation → interactive", "ms", Better.Lower, results.Select(r => r.InteractiveMs).ToList(), floor, absoluteGoal: 1000);
        report.Compare("render", "demo school", "navigation → interactive", "ms", Better.Lower, empty.Select(r => r.InteractiveMs).ToList(), floor);
        report.Measure("render", @case, "server CPU to open", "ms", Better.Lower, results.Select(r => r.ServerCpuMs).ToList());
        report.Measure("render", @case, "memory of the circuit", "MB", Better.Lower, results.Select(r => r.CircuitMb).ToList(), absoluteGoal: 5);
        report.Measure("render", "demo school", "server CPU to open", "ms", Better.Lower, empty.Select(r => r.ServerCpuMs).ToList());
        report.Measure("render", "demo school", "memory of the circuit", "MB", Better.Lower, empty.Select(r => r.CircuitMb).ToList());
        report.Measure("render", @case, "cards in the page", "", Better.Lower, results.Select(r => (double)r.CardsInPage).ToList());
        report.Measure("render", @case, "cards missing", "", Better.Lower, results.Select(r => (double)r.Missing).ToList(), absoluteGoal: 0);
        return report;
    }

    /// <summary>--trace FILE: a CPU sample trace of the server while the board opens (dotnet-trace).</summary>
    private static string? Trace;

    private sealed record RenderRun(double ShownMs, double InteractiveMs, double ServerCpuMs, double CircuitMb, int CardsInPage, int Missing)
    {
        public override string ToString() =>
            $"shown {ShownMs:F0} ms, interactive {InteractiveMs:F0} ms, server CPU {ServerCpuMs:F0} ms, circuit {CircuitMb:F1} MB, {CardsInPage} cards in the page, {Missing} missing";
    }

    private static async Task<RenderRun> RunOnceAsync(Chromium chromium, int tickets, IReadOnlyDictionary<string, string> settings)
    {
        var folder = Servers.NewWorkFolder("render");
        try
        {
            await using var server = await Servers.StartOursAsync(folder, settings);
            if (tickets > 0)
            {
                await FillOpenAsync(Path.Combine(folder, "dispatch.db"), tickets);
            }
            await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.Address.ToString(),
                ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            });
            await context.AddCookiesAsync(await OurApi.BrowserCookiesAsync(context));

            // A first page opened and closed (it compiles the paths every later page takes), then the memory settles.
            var warm = await context.NewPageAsync();
            await warm.GotoAsync("board");
            await warm.WaitForSelectorAsync(".db-board-grid[data-loaded='true']", new() { Timeout = 120_000, State = WaitForSelectorState.Attached });
            await warm.CloseAsync();
            var before = await server.SettledResidentBytesAsync(TimeSpan.FromSeconds(20));

            var page = await context.NewPageAsync();
            using var trace = Trace is { } tracePath ? await TraceCollector.StartAsync(server.Pid, tracePath) : null;
            var cpu = server.CpuSeconds();
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("board");
            await page.WaitForSelectorAsync(".db-board-grid[data-loaded='true']", new() { Timeout = 120_000, State = WaitForSelectorState.Attached });
            var shown = watch.Elapsed.TotalMilliseconds;
            // Interactive: a click on the board is answered by the server (the Select toggle changes its label).
            await page.ClickAsync("[data-testid='bulk-select']");
            await page.WaitForSelectorAsync("[data-testid='bulk-select']:has-text('Stop selecting')", new() { Timeout = 120_000 });
            var interactive = watch.Elapsed.TotalMilliseconds;
            var serverCpu = (server.CpuSeconds() - cpu) * 1000;
            trace?.Stop();
            await page.ClickAsync("[data-testid='bulk-select']");
            var after = await server.SettledResidentBytesAsync(TimeSpan.FromSeconds(20));

            // Every column's count must say all the open tickets are there, whatever the page renders of them.
            var counts = await page.EvalOnSelectorAllAsync<int[]>("[data-testid='column-count']", "els => els.map(e => parseInt(e.textContent))");
            var cards = await page.Locator("[data-testid='ticket-card']").CountAsync();
            var missing = tickets == 0 ? 0 : Math.Max(0, tickets - counts.Take(3).Sum());
            return new RenderRun(shown, interactive, serverCpu, (after - before) / (1024.0 * 1024), cards, missing);
        }
        finally
        {
            Servers.TryDelete(folder);
        }
    }

    /// <summary>
    /// The floor: the bare Blazor Server page (benchmarks/DispatchBoard.Floor) opened the same way, after a first page
    /// opened and closed; it says it is loaded once its circuit has rendered the list, so shown is interactive there.
    /// </summary>
    private static async Task<double> FloorOnceAsync(Chromium chromium)
    {
        var folder = Servers.NewWorkFolder("render-floor");
        try
        {
            await using var server = await Servers.StartFloorAsync(folder);
            await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.Address.ToString(),
                ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            });
            var warm = await context.NewPageAsync();
            await warm.GotoAsync("board");
            await warm.WaitForSelectorAsync("[data-loaded='true']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
            await warm.CloseAsync();
            var page = await context.NewPageAsync();
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("board");
            await page.WaitForSelectorAsync("[data-loaded='true']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
            return watch.Elapsed.TotalMilliseconds;
        }
        finally
        {
            Servers.TryDelete(folder);
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> open tickets reported over the last eight hours (60 % New, 25 % Claimed, 15 % On
    /// site) to the running app's SQLite database, in one transaction. The app reads them with the next board snapshot.
    /// </summary>
    public static async Task FillOpenAsync(string database, int count)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        var areas = new List<long>();
        var staff = new List<long>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """SELECT "Id" FROM "Areas" WHERE "ParentId" IS NOT NULL""";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                areas.Add(reader.GetInt64(0));
            }
        }
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """SELECT "Id" FROM "StaffMembers" """;
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                staff.Add(reader.GetInt64(0));
            }
        }
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Tickets" ("TrackingCode","AreaId","Category","Priority","Description","Channel","Status","ReportedAt","QueuedAt",
                "ResponseDueAt","ClaimedAt","OnSiteAt","ClaimedById","ReopenCount","Version","EscalationLevel","TimeToClaim","TimeToOnSite",
                "ReportCount","ReporterEmailsStopped","WaitingForOpening")
            VALUES (@code,@area,@category,@priority,@description,'Web',@status,@reported,@reported,@due,@claimed,@onsite,@staff,0,1,0,
                @claimed - @reported,@onsite - @reported,1,0,0)
            """;
        string[] names = ["code", "area", "category", "priority", "description", "status", "reported", "due", "claimed", "onsite", "staff"];
        var p = names.ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter("@" + n, DBNull.Value)));
        var random = new Random(14);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var categories = Enum.GetNames<TicketCategory>();
        string[] descriptions = ["The light in the corridor does not turn on", "A window sash is off its track", "The water dispenser leaks",
            "A stool has a broken leg", "The light cord is broken", "The door does not close"];
        for (var i = 0; i < count; i++)
        {
            var reported = now - random.NextInt64(8 * 3_600_000L);
            var roll = random.Next(100);
            var status = roll < 60 ? "New" : roll < 85 ? "Claimed" : "OnSite";
            long? claimed = status == "New" ? null : reported + random.Next(1, 20) * 60_000L;
            long? onsite = status == "OnSite" ? claimed + random.Next(2, 15) * 60_000L : null;
            p["code"].Value = TrackingCode.New();
            p["area"].Value = areas[random.Next(areas.Count)];
            p["category"].Value = categories[random.Next(categories.Length)];
            p["priority"].Value = random.Next(10) == 0 ? "Urgent" : "Normal";
            p["description"].Value = $"{descriptions[random.Next(descriptions.Length)]} (#{i})";
            p["status"].Value = status;
            p["reported"].Value = reported;
            p["due"].Value = reported + 30 * 60_000L;
            p["claimed"].Value = (object?)claimed ?? DBNull.Value;
            p["onsite"].Value = (object?)onsite ?? DBNull.Value;
            p["staff"].Value = claimed is null ? DBNull.Value : staff[random.Next(staff.Count)];
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
