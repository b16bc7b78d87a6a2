using System.Diagnostics;
using System.Globalization;
using DispatchBoard.Benchmarks.Suite;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>ops</c>: what one operation costs inside the app, one after another on one thread, no HTTP and no rivals: a report,
/// a claim that wins, a claim refused (someone has it), beside a bare EF Core insert of one row and a bare query. It says
/// where the <c>intake</c> and <c>claims</c> figures come from: the app's own work per operation, apart from HTTP and
/// contention. Each line: 300 warm-up operations, then N measured (<c>--n</c>, default 2,000).
/// </summary>
public static class OpsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = new Args(args).Int("--n", args.Contains("--smoke") ? 100 : 2_000);
        var directory = Path.Combine(Path.GetTempPath(), "dispatchboard-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using var host = await BenchHost.StartAsync(directory, new Dictionary<string, string?>
            {
                ["Intake:PermitLimit"] = "100000", ["Intake:OverallPermitLimit"] = "1000000", ["Intake:WindowSeconds"] = "1",
            });
            var services = host.Services;
            var intake = services.GetRequiredService<TicketIntake>();
            var changes = services.GetRequiredService<TicketChanges>();
            var factory = services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
            await using var lookup = await factory.CreateDbContextAsync();
            var staff = await lookup.Staff.Where(s => s.IsActive).OrderBy(s => s.Id).FirstAsync();
            var actor = new Actor(staff.UserId, staff.DisplayName, CanDispatch: false, StaffId: staff.Id);
            var report = new ReportTicket("A204", nameof(TicketCategory.Lighting), "Benchmark: the light is out", false, null, null, null);

            Console.WriteLine($"In-process, sequential, {n:N0} operations each after 300 warm-up (tiered compilation {AppContext.GetData("System.Runtime.TieredCompilation") ?? "on"}, as the app):");
            await TimeAsync("report (anonymous, routed, alerted)", n, async _ => Ok(await intake.ReportAsync(report, TicketChannel.Web, null, "10.0.0.1")));

            var held = (await intake.ReportAsync(report, TicketChannel.Web, null, "10.0.0.2")).Value!.Id;
            Ok(await changes.ClaimAsync(held, actor));
            await TimeAsync("claim refused (someone has it)", n, async _ =>
            {
                if ((await changes.ClaimAsync(held, actor)).Kind != ResultKind.Conflict)
                {
                    throw new InvalidOperationException("A claim on a held ticket was not refused.");
                }
            });

            var open = new Queue<int>();
            for (var i = 0; i < n + 300; i++)
            {
                open.Enqueue((await intake.ReportAsync(report, TicketChannel.Web, null, "10.0.0.3")).Value!.Id);
            }
            await TimeAsync("claim won", n, async _ => Ok(await changes.ClaimAsync(open.Dequeue(), actor)));

            await TimeAsync("floor: EF context + one-row query", n, async _ =>
            {
                await using var db = await factory.CreateDbContextAsync();
                await db.Tickets.AnyAsync(t => t.TrackingCode == "NOSUCHCODE");
            });
            await TimeAsync("floor: EF context + one-row insert", n, async _ =>
            {
                await using var db = await factory.CreateDbContextAsync();
                db.TicketEvents.Add(new TicketEvent { TicketId = held, At = DateTimeOffset.UtcNow, Kind = TicketEventKind.Reported, ActorName = "bench", Version = 1 });
                await db.SaveChangesAsync();
            });
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Ok<T>(ServiceResult<T> result)
    {
        if (!result.IsOk)
        {
            throw new InvalidOperationException($"The operation failed: {result.Kind}.");
        }
    }

    private static async Task TimeAsync(string name, int n, Func<int, Task> operation)
    {
        for (var i = 0; i < 300; i++)
        {
            await operation(i);
        }
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await operation(i);
        }
        var wall = watch.Elapsed.TotalMilliseconds / n;
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / n;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-40} {wall,7:F3} ms each, CPU {cpuPer,6:F3} ms"));
    }
}
