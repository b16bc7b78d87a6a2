using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DispatchBoard.Benchmarks.Suite;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>fanout</c>: N SignalR clients (WebSockets) on the hub; tickets posted at a fixed rate; the time from each POST to its
/// <c>TicketChanged</c> at every client, and the events that never came. Every run starts its server fresh, so the cold
/// first minute is in the figures. The floor: a bare SignalR hub whose POST /broadcast sends the posted JSON (a real
/// TicketDto of ours, its description carrying the marker) to all clients. Runs alternate, ours then the floor.
/// </summary>
public static class FanoutBenchmark
{
    /// <summary>One TicketDto as our hub sent it (from the first run), the floor's payload shape.</summary>
    private static string? _ticketShape;

    public static async Task<Report> RunAsync(Args args)
    {
        var clientCounts = args.Smoke ? [20] : args.Ints("--clients", 300, 1000);
        var tickets = args.Int("--tickets", args.Smoke ? 10 : 200);
        var rate = args.Int("--rate", 10);
        var runs = args.Int("--runs", args.Smoke ? 1 : 3);
        var report = new Report("fanout", new Dictionary<string, object>
        {
            ["clients"] = clientCounts, ["tickets"] = tickets, ["rate"] = rate, ["runs"] = runs,
        });
        foreach (var clients in clientCounts)
        {
            var ours = new List<FanoutRun>();
            var floor = new List<FanoutRun>();
            for (var run = 1; run <= runs; run++)
            {
                ours.Add(await RunOnceAsync(ours: true, clients, tickets, rate));
                Console.WriteLine($"   {clients} clients, run {run}: ours  {ours[^1]}");
                floor.Add(await RunOnceAsync(ours: false, clients, tickets, rate));
                Console.WriteLine($"   {clients} clients, run {run}: floor {floor[^1]}");
            }
            var @case = $"{clients} clients";
            report.Compare("fanout", @case, "POST → event p50", "ms", Better.Lower, ours.Select(r => r.Latency.P50).ToList(), floor.Select(r => r.Latency.P50).ToList(), ratioGoal: 1.25);
            report.Compare("fanout", @case, "POST → event p90", "ms", Better.Lower, ours.Select(r => r.Latency.P90).ToList(), floor.Select(r => r.Latency.P90).ToList());
            report.Compare("fanout", @case, "POST → event p99", "ms", Better.Lower, ours.Select(r => r.Latency.P99).ToList(), floor.Select(r => r.Latency.P99).ToList(), ratioGoal: 1.25);
            report.Compare("fanout", @case, "POST → event max", "ms", Better.Lower, ours.Select(r => r.Latency.Max).ToList(), floor.Select(r => r.Latency.Max).ToList());
            report.Compare("fanout", @case, "server CPU per ticket", "ms", Better.Lower, ours.Select(r => r.CpuMsPerTicket).ToList(), floor.Select(r => r.CpuMsPerTicket).ToList());
            report.Compare("fanout", @case, "events missing", "", Better.Lower, ours.Select(r => (double)r.Latency.Missing).ToList(), floor.Select(r => (double)r.Latency.Missing).ToList(), absoluteGoal: 0);
        }
        report.Note($"Each run starts its server and connects the clients, then posts at once: the cold first minute after a start is in every run. Payload: {Encoding.UTF8.GetByteCount(_ticketShape ?? "")} bytes of TicketDto JSON for both.");
        return report;
    }

    private sealed record FanoutRun(Latencies Latency, double CpuMsPerTicket, TimeSpan Connect)
    {
        public override string ToString() =>
            $"p50 {Latency.P50:F1} ms, p90 {Latency.P90:F1} ms, p99 {Latency.P99:F1} ms, max {Latency.Max:F0} ms, missing {Latency.Missing}, CPU {CpuMsPerTicket:F1} ms/ticket, connected in {Connect.TotalSeconds:F1} s";
    }

    private static async Task<FanoutRun> RunOnceAsync(bool ours, int clients, int tickets, int rate)
    {
        var folder = Servers.NewWorkFolder(ours ? "fanout-ours" : "fanout-floor");
        var connections = new List<HubConnection>();
        try
        {
            await using var server = ours ? await Servers.StartOursAsync(folder) : await Servers.StartFloorAsync(folder);
            var cookie = ours ? await OurApi.CookieAsync(server, "dispatcher@demo.example") : null;
            var hubUrl = new Uri(server.Address, ours ? "hubs/dispatch" : "hub");

            // received[client][ticket]: the Stopwatch timestamp of the event's arrival, 0 while it has not come.
            var received = new long[clients][];
            var counts = new int[clients];
            var connect = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(32))
            {
                var started = Enumerable.Range(0, clients).Select(async c =>
                {
                    received[c] = new long[tickets];
                    var connection = new HubConnectionBuilder()
                        .WithUrl(hubUrl, HttpTransportType.WebSockets, o =>
                        {
                            o.SkipNegotiation = true;
                            if (cookie is not null)
                            {
                                o.Headers["Cookie"] = cookie;
                            }
                        })
                        .Build();
                    connection.ServerTimeout = TimeSpan.FromMinutes(2);
                    connection.On<JsonElement>("TicketChanged", ticket =>
                    {
                        var at = Stopwatch.GetTimestamp();
                        if (Marker(ticket) is { } k && k < tickets && received[c][k] == 0)
                        {
                            received[c][k] = at;
                            Interlocked.Increment(ref counts[c]);
                            if (ours && _ticketShape is null)
                            {
                                Interlocked.CompareExchange(ref _ticketShape, ticket.GetRawText(), null);
                            }
                        }
                    });
                    lock (connections)
                    {
                        connections.Add(connection);
                    }
                    await gate.WaitAsync();
                    try
                    {
                        await connection.StartAsync();
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
                await Task.WhenAll(started);
            }
            connect.Stop();

            using var http = OurApi.Client(server, cookie);
            var cpuBefore = server.CpuSeconds();
            var sent = new long[tickets];
            var posts = new List<Task<HttpResponseMessage>>();
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var start = DateTime.UtcNow;
            for (var k = 0; k < tickets; k++)
            {
                var due = start + interval * k;
                if (due > DateTime.UtcNow)
                {
                    await Task.Delay(due - DateTime.UtcNow);
                }
                var text = $"Fan-out report bench#{k}#";
                sent[k] = Stopwatch.GetTimestamp();
                posts.Add(ours
                    ? OurApi.ReportAsync(http, k, text)
                    : http.PostAsync("broadcast", new StringContent(FloorPayload(text), Encoding.UTF8, "application/json")));
            }
            foreach (var response in await Task.WhenAll(posts))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"A post was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }

            // Every event at every client, or 15 s after the last post: what has not come by then is missing.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (counts.Any(n => n < tickets) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            var cpuMs = (server.CpuSeconds() - cpuBefore) * 1000;
            var latency = new Latencies();
            foreach (var stamps in received)
            {
                for (var k = 0; k < tickets; k++)
                {
                    if (stamps[k] == 0)
                    {
                        latency.Missing++;
                    }
                    else
                    {
                        latency.Add(Stopwatch.GetElapsedTime(sent[k], stamps[k]).TotalMilliseconds);
                    }
                }
            }
            // The slowest tickets by their median over the clients: whether the tail is the first ones after a start (cold paths).
            var slowest = Enumerable.Range(0, tickets)
                .Select(k => (Ticket: k, Median: received.Where(r => r[k] != 0).Select(r => Stopwatch.GetElapsedTime(sent[k], r[k]).TotalMilliseconds).Order().ElementAtOrDefault(received.Length / 2)))
                .OrderByDescending(t => t.Median).Take(5);
            Console.WriteLine($"      {(ours ? "ours" : "floor")}: slowest tickets (their median over the clients): {string.Join(", ", slowest.Select(t => $"#{t.Ticket} {t.Median:F0} ms"))}");
            return new FanoutRun(latency, cpuMs / tickets, connect.Elapsed);
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
            Servers.TryDelete(folder);
        }
    }

    /// <summary>The number in the description's <c>bench#12#</c>.</summary>
    private static int? Marker(JsonElement ticket)
    {
        if (ticket.ValueKind != JsonValueKind.Object || !ticket.TryGetProperty("description", out var description)
            || description.GetString() is not { } text)
        {
            return null;
        }
        var from = text.IndexOf("bench#", StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf('#', from + 6);
        return to > from && int.TryParse(text.AsSpan(from + 6, to - from - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : null;
    }

    /// <summary>Our TicketDto's JSON with the floor's description: the same shape and size as what our hub sends.</summary>
    private static string FloorPayload(string description)
    {
        var node = _ticketShape is { } shape ? JsonNode.Parse(shape)!.AsObject() : new JsonObject();
        node["description"] = description;
        return node.ToJsonString();
    }
}
