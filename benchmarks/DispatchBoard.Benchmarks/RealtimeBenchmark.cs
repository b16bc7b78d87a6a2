using System.Diagnostics;
using System.Globalization;
using DispatchBoard.Testing;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// Board events across instances: two notifiers (instance A and B) on one redis-server of the benchmark's own, the
/// time from Publish on A to the event at a listener on B, one event at a time (latency) and as a burst (throughput);
/// beside its floor, a bare StackExchange.Redis PUBLISH of the same JSON from one connection to a subscriber on another,
/// and the in-process notifier (no Redis). It measures; it does not judge.
///   dotnet run -c Release --project benchmarks/DispatchBoard.Benchmarks -- realtime [--events 2000] [--smoke]
/// </summary>
public static class RealtimeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var events = Arg(args, "--events", smoke ? 100 : 2000);
        await using var redis = await RedisServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Realtime:Redis"] = redis.Configuration }).Build();
        using var redisA = new RealtimeRedis(configuration, NullLogger<RealtimeRedis>.Instance);
        using var redisB = new RealtimeRedis(configuration, NullLogger<RealtimeRedis>.Instance);
        using var transportA = new RedisBoardTransport(redisA, NullLogger<RedisBoardTransport>.Instance);
        using var transportB = new RedisBoardTransport(redisB, NullLogger<RedisBoardTransport>.Instance);
        var a = new DispatchNotifier(NullLogger<DispatchNotifier>.Instance, transportA);
        var b = new DispatchNotifier(NullLogger<DispatchNotifier>.Instance, transportB);
        var local = new DispatchNotifier(NullLogger<DispatchNotifier>.Instance);
        var ticket = SampleTicket();

        // The floor: the same message as a bare PUBLISH between two connections.
        using var floorPublisher = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var floorSubscriber = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var floorChannel = RedisChannel.Literal("bench:floor");
        TaskCompletionSource? floorHeard = null;
        (await floorSubscriber.GetSubscriber().SubscribeAsync(floorChannel)).OnMessage(_ => floorHeard?.TrySetResult());
        var message = BoardEventCodec.Encode(new TicketChanged(ticket), "bench");

        await OneAtATimeAsync(a, b, ticket, 50); // warm-up: JIT, connections
        var transported = await OneAtATimeAsync(a, b, ticket, events);
        var inProcess = await OneAtATimeAsync(local, local, ticket, events);
        var floor = new List<double>();
        for (var i = 0; i < events; i++)
        {
            floorHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = Stopwatch.GetTimestamp();
            await floorPublisher.GetSubscriber().PublishAsync(floorChannel, message, CommandFlags.FireAndForget);
            await floorHeard.Task.WaitAsync(TimeSpan.FromSeconds(10));
            floor.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        var burst = await BurstAsync(a, b, ticket, events);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis     A -> B, {events} events one at a time: p50 {Percentile(transported, 50):F3} ms  p99 {Percentile(transported, 99):F3} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"floor     bare PUBLISH of the same {message.Length} B JSON: p50 {Percentile(floor, 50):F3} ms  p99 {Percentile(floor, 99):F3} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio     redis/floor: p50 {Percentile(transported, 50) / Percentile(floor, 50):F1}x  p99 {Percentile(transported, 99) / Percentile(floor, 99):F1}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"local     in-process notifier (no Redis): p50 {Percentile(inProcess, 50):F4} ms  p99 {Percentile(inProcess, 99):F4} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"burst     {events} events published at once on A, all in order on B in {burst:F1} ms ({events / burst * 1000:F0} events/s)"));
        return 0;
    }

    private static async Task<List<double>> OneAtATimeAsync(DispatchNotifier from, DispatchNotifier to, TicketDto ticket, int count)
    {
        var times = new List<double>(count);
        TaskCompletionSource? heard = null;
        var expected = 0;
        using var listening = to.Subscribe(e =>
        {
            if (e is TicketChanged t && t.Ticket.Version == Volatile.Read(ref expected))
            {
                heard?.TrySetResult();
            }
        });
        for (var i = 1; i <= count; i++)
        {
            heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref expected, i);
            var start = Stopwatch.GetTimestamp();
            from.Publish(new TicketChanged(ticket with { Version = i }));
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }

    /// <summary>Milliseconds from the first publish of a burst to the last event's arrival; throws if one is missing or out of order.</summary>
    private static async Task<double> BurstAsync(DispatchNotifier from, DispatchNotifier to, TicketDto ticket, int count)
    {
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = 1;
        using var listening = to.Subscribe(e =>
        {
            if (e is TicketChanged { Ticket.Id: -1 } t)
            {
                if (t.Ticket.Version != next)
                {
                    all.TrySetException(new InvalidOperationException($"version {t.Ticket.Version} arrived when {next} was due"));
                }
                if (++next > count)
                {
                    all.TrySetResult();
                }
            }
        });
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i <= count; i++)
        {
            from.Publish(new TicketChanged(ticket with { Id = -1, Version = i }));
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static TicketDto SampleTicket()
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        return new TicketDto(1, "ACEF-3470", TicketStatus.New, 1, 1, "A204", "Room 204", "Teaching Building A / 2F / Room 204",
            TicketCategory.Lighting, TicketPriority.Normal, "The light by the window flickers", null, "Zhao Min", null, TicketChannel.Web,
            null, null, at, null, null, null, null, null, 2, "Wang Lei", at, at.AddMinutes(30), 0, 0, null, 0);
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
