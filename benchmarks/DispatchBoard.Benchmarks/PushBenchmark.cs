using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// Web Push fan-out: one urgent report routed to a staff member with N devices, from the report call (its commit) to
/// the last push received by a push service on loopback; beside it its floor, N bare HTTP POSTs of the same size to the
/// same server at the same concurrency. And the board's own latency (a report's commit to its TicketChanged at a board's
/// listener) for other reports made while the fan-out runs, beside the same with nothing being pushed. It measures; it
/// does not judge.
///   dotnet run -c Release --project benchmarks/DispatchBoard.Benchmarks -- push [--devices 500] [--runs 5] [--smoke]
/// </summary>
public static class PushBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var devices = Arg(args, "--devices", smoke ? 20 : 500);
        var runs = Arg(args, "--runs", smoke ? 1 : 5);
        var directory = Path.Combine(Path.GetTempPath(), "dispatchboard-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var push = await TestPushService.StartAsync(keepBodies: false);
        try
        {
            using var host = await BenchHost.StartAsync(directory, new Dictionary<string, string?>
            {
                ["Intake:PermitLimit"] = "100000",
                ["Push:AllowedHosts:0"] = "127.0.0.1", // the benchmark's push service
            });
            var services = host.Services;
            await AddDevicesAsync(services, push, devices);
            await host.StartAsync(); // the push sender is the only hosted service of the core
            var concurrency = services.GetRequiredService<IOptions<PushOptions>>().Value.MaxConcurrentSends;
            var intake = services.GetRequiredService<TicketIntake>();
            var notifier = services.GetRequiredService<DispatchBoard.Web.Realtime.DispatchNotifier>();

            await PushRunAsync(intake, push, devices); // warm-up: JIT, EF queries, connections
            await BoardEventAsync(intake, notifier);
            var pushTimes = new List<double>();
            var floorTimes = new List<double>();
            var boardQuiet = new List<double>();
            var boardDuringPush = new List<double>();
            using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };
            await FloorRunAsync(http, push, devices, concurrency, push.LastBodyLength);
            for (var run = 0; run < runs; run++)
            {
                for (var i = 0; i < BoardSamplesPerRun; i++)
                {
                    boardQuiet.Add(await BoardEventAsync(intake, notifier));
                }
                pushTimes.Add(await PushRunAsync(intake, push, devices, async () =>
                {
                    for (var i = 0; i < BoardSamplesPerRun; i++)
                    {
                        boardDuringPush.Add(await BoardEventAsync(intake, notifier));
                    }
                }));
                floorTimes.Add(await FloorRunAsync(http, push, devices, concurrency, push.LastBodyLength));
            }
            await host.StopAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"push   {devices} devices x {runs} runs: p50 {Percentile(pushTimes, 50),7:F0} ms  p99 {Percentile(pushTimes, 99),7:F0} ms  (runs: {string.Join(", ", pushTimes.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"floor  {devices} bare POSTs of {push.LastBodyLength} B at concurrency {concurrency}: p50 {Percentile(floorTimes, 50),7:F0} ms  p99 {Percentile(floorTimes, 99),7:F0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio  push/floor: p50 {Percentile(pushTimes, 50) / Percentile(floorTimes, 50):F1}x  p99 {Percentile(pushTimes, 99) / Percentile(floorTimes, 99):F1}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"board  report -> TicketChanged, {boardQuiet.Count} reports each: nothing pushed p50 {Percentile(boardQuiet, 50):F1} ms p99 {Percentile(boardQuiet, 99):F1} ms; while {devices} pushes go out p50 {Percentile(boardDuringPush, 50):F1} ms p99 {Percentile(boardDuringPush, 99):F1} ms"));
            return 0;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>N browsers of Wang Lei (staff1, who owns the building of A204), each with its own P-256 key and auth secret.</summary>
    private static async Task AddDevicesAsync(IServiceProvider services, TestPushService push, int count)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var staff1 = await db.Users.Where(u => u.Email == "staff1@demo.example").Select(u => u.Id).SingleAsync();
        var since = services.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(-1);
        for (var i = 0; i < count; i++)
        {
            using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = key.ExportParameters(false).Q;
            db.PushSubscriptions.Add(new PushSubscription
            {
                UserId = staff1,
                Endpoint = push.Url($"device-{i}"),
                P256dh = WebEncoders.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]),
                Auth = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)),
                CreatedAt = since,
            });
        }
        await db.SaveChangesAsync();
    }

    private const int BoardSamplesPerRun = 4;

    /// <summary>A report in Li Na's building (she has no devices): from the call to its event at a board's listener.</summary>
    private static async Task<double> BoardEventAsync(TicketIntake intake, DispatchBoard.Web.Realtime.DispatchNotifier notifier)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var description = $"Benchmark: board {Guid.NewGuid():N}";
        using var listening = notifier.Subscribe(e =>
        {
            if (e is DispatchBoard.Web.Realtime.TicketChanged changed && changed.Ticket.Description == description)
            {
                seen.TrySetResult(Stopwatch.GetTimestamp());
            }
        });
        var start = Stopwatch.GetTimestamp();
        var result = await intake.ReportAsync(new ReportTicket("B101", "Furniture", description, false, null, null), TicketChannel.Web, null);
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.Describe());
        }
        return Stopwatch.GetElapsedTime(start, await seen.Task.WaitAsync(TimeSpan.FromSeconds(30))).TotalMilliseconds;
    }

    private static async Task<double> PushRunAsync(TicketIntake intake, TestPushService push, int devices, Func<Task>? whileSending = null)
    {
        var target = push.Count + devices;
        var start = Stopwatch.GetTimestamp();
        var result = await intake.ReportAsync(new ReportTicket("A204", "Lighting", "Benchmark: light out", true, null, null), TicketChannel.Web, null);
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.Describe());
        }
        var committed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (whileSending is not null)
        {
            await whileSending();
        }
        await push.WaitForAsync(_ => push.Count >= target, TimeSpan.FromSeconds(60));
        if (Environment.GetEnvironmentVariable("PUSH_BENCH_TRACE") is not null)
        {
            var first = push.Requests.Skip(target - devices).Min(r => r.Timestamp);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  report {committed:F0} ms, first push {Stopwatch.GetElapsedTime(start, first).TotalMilliseconds:F0} ms"));
        }
        return Stopwatch.GetElapsedTime(start, push.LastTimestamp).TotalMilliseconds;
    }

    private static async Task<double> FloorRunAsync(HttpClient http, TestPushService push, int devices, int concurrency, int size)
    {
        var body = new byte[Math.Max(size, 1)];
        var slots = new SemaphoreSlim(concurrency);
        var target = push.Count + devices;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, devices).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentEncoding.Add("aes128gcm");
                using var request = new HttpRequestMessage(HttpMethod.Post, push.Url($"floor-{i}")) { Content = content };
                request.Headers.Add("TTL", "86400");
                using var response = await http.SendAsync(request);
            }
            finally
            {
                slots.Release();
            }
        }));
        await push.WaitForAsync(_ => push.Count >= target, TimeSpan.FromSeconds(60));
        return Stopwatch.GetElapsedTime(start, push.LastTimestamp).TotalMilliseconds;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
