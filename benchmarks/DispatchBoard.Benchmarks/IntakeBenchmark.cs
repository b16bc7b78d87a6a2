using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Benchmarks.Suite;
using Microsoft.Data.Sqlite;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>intake</c>: C concurrent reporters POST reports for T seconds; reports/s, latency, errors, server CPU per report, and
/// then, with the server stopped hard (killed, as a crash would), every acknowledged report looked up in its SQLite file.
/// The floor: the same POST inserting one row with plain ADO.NET into a copy of our migrated and seeded database (taken
/// from our server of the same round, before its run). Runs alternate, ours then the floor.
/// </summary>
public static class IntakeBenchmark
{
    public static async Task<Report> RunAsync(Args args)
    {
        var reporters = args.Int("--reporters", 16);
        var seconds = args.Int("--seconds", args.Smoke ? 3 : 10);
        var runs = args.Int("--runs", args.Smoke ? 1 : 3);
        var trace = args.String("--trace");
        var settings = args.Settings();
        var report = new Report("intake", new Dictionary<string, object>
        {
            ["reporters"] = reporters, ["seconds"] = seconds, ["runs"] = runs,
        });
        var ours = new List<IntakeRun>();
        var floor = new List<IntakeRun>();
        for (var run = 1; run <= runs; run++)
        {
            var floorDatabase = Path.Combine(Servers.NewWorkFolder("intake-template"), "dispatch.db");
            ours.Add(await RunOnceAsync(ours: true, reporters, TimeSpan.FromSeconds(seconds), floorDatabase, run == 1 ? trace : null, settings));
            Console.WriteLine($"   run {run}: ours  {ours[^1]}");
            floor.Add(await RunOnceAsync(ours: false, reporters, TimeSpan.FromSeconds(seconds), floorDatabase, null, settings));
            Console.WriteLine($"   run {run}: floor {floor[^1]}");
            Servers.TryDelete(Path.GetDirectoryName(floorDatabase)!);
        }
        var @case = $"{reporters} reporters";
        report.Compare("intake", @case, "reports/s", "/s", Better.Higher, ours.Select(r => r.PerSecond).ToList(), floor.Select(r => r.PerSecond).ToList(), ratioGoal: 0.5, absoluteGoal: 500);
        report.Compare("intake", @case, "report p50", "ms", Better.Lower, ours.Select(r => r.Latency.P50).ToList(), floor.Select(r => r.Latency.P50).ToList());
        report.Compare("intake", @case, "report p99", "ms", Better.Lower, ours.Select(r => r.Latency.P99).ToList(), floor.Select(r => r.Latency.P99).ToList());
        report.Compare("intake", @case, "server CPU per report", "ms", Better.Lower, ours.Select(r => r.CpuMsPerReport).ToList(), floor.Select(r => r.CpuMsPerReport).ToList());
        report.Compare("intake", @case, "reporters' CPU per report", "ms", Better.Lower, ours.Select(r => r.ReportersCpuMsPerReport).ToList(), floor.Select(r => r.ReportersCpuMsPerReport).ToList());
        report.Compare("intake", @case, "machine busy (all cores)", "%", Better.Lower, ours.Select(r => r.MachineBusyPercent).ToList(), floor.Select(r => r.MachineBusyPercent).ToList());
        report.Compare("intake", @case, "errors", "", Better.Lower, ours.Select(r => (double)r.Errors).ToList(), floor.Select(r => (double)r.Errors).ToList(), absoluteGoal: 0);
        report.Compare("intake", @case, "acknowledged, missing in db", "", Better.Lower, ours.Select(r => (double)r.Missing).ToList(), floor.Select(r => (double)r.Missing).ToList(), absoluteGoal: 0);
        report.Note("Durability: each server is killed (SIGKILL) after its run, then every acknowledged report is looked up by id (and ours by tracking code too) in its SQLite file, opened read-only.");
        return report;
    }

    /// <param name="ReportersCpuMsPerReport">The runner's own CPU (the 16 reporters' HTTP clients) per report.</param>
    /// <param name="MachineBusyPercent">How busy all cores were during the run: near 100, the rate is bound by CPU, not by a lock.</param>
    private sealed record IntakeRun(int Acknowledged, double PerSecond, Latencies Latency, int Errors, int Missing, double CpuMsPerReport,
        double ReportersCpuMsPerReport, double MachineBusyPercent, string? FirstError)
    {
        public override string ToString() =>
            $"{PerSecond:F0} reports/s ({Acknowledged} acknowledged), p50 {Latency.P50:F1} ms, p99 {Latency.P99:F1} ms, errors {Errors}, missing {Missing}, "
            + $"CPU {CpuMsPerReport:F2} ms/report (reporters {ReportersCpuMsPerReport:F2}), machine {MachineBusyPercent:F0} % busy{(FirstError is null ? "" : $" (first error: {FirstError})")}";
    }

    private static async Task<IntakeRun> RunOnceAsync(bool ours, int reporters, TimeSpan length, string floorDatabase, string? trace,
        IReadOnlyDictionary<string, string> settings)
    {
        var folder = Servers.NewWorkFolder(ours ? "intake-ours" : "intake-floor");
        ServerProcess? server = null;
        try
        {
            var database = ours ? Path.Combine(folder, "dispatch.db") : Path.Combine(folder, "floor.db");
            if (!ours)
            {
                File.Copy(floorDatabase, database);
            }
            server = ours ? await Servers.StartOursAsync(folder, settings) : await Servers.StartFloorAsync(folder, database);
            if (ours)
            {
                // The floor's database: ours as migrated and seeded, copied consistently while it runs, in the same WAL mode.
                await using var source = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
                await source.OpenAsync();
                await Execute(source, $"VACUUM INTO '{floorDatabase.Replace("'", "''", StringComparison.Ordinal)}'");
                await using var copy = new SqliteConnection($"Data Source={floorDatabase};Pooling=False");
                await copy.OpenAsync();
                await Execute(copy, "PRAGMA journal_mode = WAL");
            }
            var areaIds = ours ? [] : await AreaIdsAsync(database);

            using var http = OurApi.Client(server);
            // A few reports first so both servers have opened their database and connection pools (not measured, not counted).
            for (var i = 0; i < 3; i++)
            {
                (await PostAsync(http, ours, areaIds, i, "warm-up")).EnsureSuccessStatusCode();
            }
            using var traceCollector = trace is not null ? await TraceCollector.StartAsync(server.Pid, trace) : null;
            var acknowledged = new List<(long Id, string? Code)>();
            var latency = new Latencies();
            var errors = 0;
            string? firstError = null;
            var cpuBefore = server.CpuSeconds();
            var runnerBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var machineBefore = ServerProcess.MachineCpu();
            var watch = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, reporters).Select(async r =>
            {
                for (var n = 0; watch.Elapsed < length; n++)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await PostAsync(http, ours, areaIds, r * 100_000 + n, $"reporter {r}");
                        var body = await response.Content.ReadAsStringAsync();
                        if (!response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}", null);
                            continue;
                        }
                        latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        using var json = JsonDocument.Parse(body);
                        var id = json.RootElement.GetProperty("id").GetInt64();
                        var code = json.RootElement.TryGetProperty("trackingCode", out var c) ? c.GetString() : null;
                        lock (acknowledged)
                        {
                            acknowledged.Add((id, code));
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }
                }
            });
            await Task.WhenAll(workers);
            var elapsed = watch.Elapsed;
            var cpuMs = (server.CpuSeconds() - cpuBefore) * 1000;
            var runnerMs = (Process.GetCurrentProcess().TotalProcessorTime - runnerBefore).TotalMilliseconds;
            var machine = ServerProcess.MachineCpu();
            var busyPercent = (machine.BusySeconds - machineBefore.BusySeconds) / (elapsed.TotalSeconds * machine.Cores) * 100;
            traceCollector?.Stop();

            // Stopped as a crash would stop it: what it acknowledged must be in the file.
            await server.DisposeAsync();
            server = null;
            var missing = await MissingAsync(database, acknowledged);
            return new IntakeRun(acknowledged.Count, acknowledged.Count / elapsed.TotalSeconds, latency, errors, missing,
                acknowledged.Count == 0 ? double.NaN : cpuMs / acknowledged.Count, acknowledged.Count == 0 ? double.NaN : runnerMs / acknowledged.Count,
                busyPercent, firstError);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            SqliteConnection.ClearAllPools();
            Servers.TryDelete(folder);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, bool ours, IReadOnlyList<long> areaIds, int n, string who)
    {
        var description = $"Intake benchmark: light out, {who}, report {n}";
        return ours
            ? OurApi.ReportAsync(http, n, description)
            : http.PostAsJsonAsync("intake", new { areaId = areaIds[n % areaIds.Count], category = "Lighting", description });
    }

    private static async Task<IReadOnlyList<long>> AreaIdsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "Id" FROM "Areas" WHERE "Code" IN ({string.Join(",", OurApi.Areas.Select(a => $"'{a}'"))})""";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids.Count == OurApi.Areas.Length ? ids : throw new InvalidOperationException("The demo school's areas are not in the floor's database.");
    }

    /// <summary>How many acknowledged reports the database does not have (by id, and by tracking code where there is one).</summary>
    private static async Task<int> MissingAsync(string database, IReadOnlyList<(long Id, string? Code)> acknowledged)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id", "TrackingCode" FROM "Tickets" """;
        var stored = new Dictionary<long, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetInt64(0)] = reader.GetString(1);
        }
        return acknowledged.Count(a => !stored.TryGetValue(a.Id, out var code) || (a.Code is not null && a.Code != code));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
