using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Benchmarks.Suite;
using Microsoft.Data.Sqlite;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>claims</c>: M new tickets, each claimed by K staff at once (the four demo caretakers, their requests interleaved);
/// claim attempts/s; then, with the server stopped hard, the database says whether any ticket was claimed twice: each
/// ticket claimed, by the one whose request won, with exactly one Claimed event. No floor: the race is the app's own rule.
/// </summary>
public static class ClaimsBenchmark
{
    private static readonly string[] Staff = ["staff1@demo.example", "staff2@demo.example", "staff3@demo.example", "staff4@demo.example"];

    public static async Task<Report> RunAsync(Args args)
    {
        var tickets = args.Int("--tickets", args.Smoke ? 5 : 40);
        var claimers = args.Int("--claimers", args.Smoke ? 10 : 50);
        var runs = args.Int("--runs", args.Smoke ? 1 : 3);
        var report = new Report("claims", new Dictionary<string, object>
        {
            ["tickets"] = tickets, ["claimers"] = claimers, ["runs"] = runs,
        });
        var results = new List<ClaimsRun>();
        for (var run = 1; run <= runs; run++)
        {
            results.Add(await RunOnceAsync(tickets, claimers, args.String("--trace") is { } trace && run == 1 ? trace : null, args.Settings()));
            Console.WriteLine($"   run {run}: {results[^1]}");
        }
        var @case = $"{tickets}×{claimers} claimers";
        report.Measure("claims", @case, "claim attempts/s", "/s", Better.Higher, results.Select(r => r.PerSecond).ToList(), absoluteGoal: 2000);
        report.Measure("claims", @case, "attempt p50", "ms", Better.Lower, results.Select(r => r.Latency.P50).ToList());
        report.Measure("claims", @case, "attempt p99", "ms", Better.Lower, results.Select(r => r.Latency.P99).ToList());
        report.Measure("claims", @case, "server CPU per attempt", "ms", Better.Lower, results.Select(r => r.CpuMsPerAttempt).ToList());
        report.Measure("claims", @case, "errors (not 200/409)", "", Better.Lower, results.Select(r => (double)r.Errors).ToList(), absoluteGoal: 0);
        report.Measure("claims", @case, "double claims", "", Better.Lower, results.Select(r => (double)r.Doubles).ToList(), absoluteGoal: 0);
        report.Measure("claims", @case, "tickets unclaimed (missing)", "", Better.Lower, results.Select(r => (double)r.Unclaimed).ToList(), absoluteGoal: 0);
        report.Note("No floor: who wins a claim is the app's own rule (one conditional write), there is no bare equivalent to compare with.");
        report.Note("Each run: a fresh server, one ticket claimed the same way first (warm-up, not counted), then the M tickets one after another, K claims at once on each.");
        return report;
    }

    private sealed record ClaimsRun(int Attempts, double PerSecond, Latencies Latency, int Errors, int Doubles, int Unclaimed, double CpuMsPerAttempt, string? FirstError)
    {
        public override string ToString() =>
            $"{PerSecond:F0} attempts/s ({Attempts}), p50 {Latency.P50:F1} ms, p99 {Latency.P99:F1} ms, CPU {CpuMsPerAttempt:F2} ms/attempt, errors {Errors}, doubles {Doubles}, unclaimed {Unclaimed}{(FirstError is null ? "" : $" (first error: {FirstError})")}";
    }

    private static async Task<ClaimsRun> RunOnceAsync(int tickets, int claimers, string? trace, IReadOnlyDictionary<string, string> settings)
    {
        var folder = Servers.NewWorkFolder("claims");
        ServerProcess? server = null;
        var clients = new List<HttpClient>();
        try
        {
            server = await Servers.StartOursAsync(folder, settings);
            foreach (var email in Staff)
            {
                clients.Add(OurApi.Client(server, await OurApi.CookieAsync(server, email)));
            }
            using var reporter = OurApi.Client(server);
            var ids = new List<long>();
            for (var i = 0; i <= tickets; i++)
            {
                var created = await OurApi.ReportAsync(reporter, i, $"Claims benchmark ticket {i}");
                created.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                ids.Add(json.RootElement.GetProperty("id").GetInt64());
            }

            var winners = new Dictionary<long, List<int>>();
            var latency = new Latencies();
            var errors = 0;
            string? firstError = null;
            async Task ClaimAllAsync(long id, bool counted)
            {
                var attempts = Enumerable.Range(0, claimers).Select(async k =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await clients[k % clients.Count].PostAsync($"api/tickets/{id}/claim", null);
                        if (counted)
                        {
                            latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            lock (winners)
                            {
                                (winners.TryGetValue(id, out var list) ? list : winners[id] = []).Add(k % clients.Count);
                            }
                        }
                        else if (response.StatusCode != HttpStatusCode.Conflict)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }
                });
                await Task.WhenAll(attempts);
            }
            await ClaimAllAsync(ids[0], counted: false);

            using var traceCollector = trace is not null ? await TraceCollector.StartAsync(server.Pid, trace) : null;
            var cpuBefore = server.CpuSeconds();
            var watch = Stopwatch.StartNew();
            foreach (var id in ids.Skip(1))
            {
                await ClaimAllAsync(id, counted: true);
            }
            var elapsed = watch.Elapsed;
            var cpuMs = (server.CpuSeconds() - cpuBefore) * 1000;
            traceCollector?.Stop();
            await server.DisposeAsync();
            server = null;

            // From the database: each ticket's holder and its Claimed events.
            var measured = ids.Skip(1).ToList();
            var stored = new Dictionary<long, (long? ClaimedById, string Status, int ClaimedEvents)>();
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "dispatch.db")};Mode=ReadOnly;Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"""
                    SELECT t."Id", t."ClaimedById", t."Status", (SELECT COUNT(*) FROM "TicketEvents" e WHERE e."TicketId" = t."Id" AND e."Kind" = 'Claimed')
                    FROM "Tickets" t WHERE t."Id" IN ({string.Join(",", measured)})
                    """;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    stored[reader.GetInt64(0)] = (reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3));
                }
            }
            var doubles = measured.Count(id => (winners.TryGetValue(id, out var w) && w.Count > 1) || (stored.TryGetValue(id, out var s) && s.ClaimedEvents > 1));
            var unclaimed = measured.Count(id => !winners.ContainsKey(id)
                || !stored.TryGetValue(id, out var s) || s.ClaimedById is null || s.Status != "Claimed" || s.ClaimedEvents == 0);
            var attempts = measured.Count * claimers;
            return new ClaimsRun(attempts, attempts / elapsed.TotalSeconds, latency, errors, doubles, unclaimed, cpuMs / attempts, firstError);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            SqliteConnection.ClearAllPools();
            Servers.TryDelete(folder);
        }
    }
}
