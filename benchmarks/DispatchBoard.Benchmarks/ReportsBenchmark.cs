using System.Diagnostics;
using System.Globalization;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Tickets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DispatchBoard.Benchmarks;

/// <summary>
/// <c>reports</c>: the /reports page's figures over a large school history (100,000 tickets over the semester), on SQLite or
/// PostgreSQL (<c>--postgres "Host=…;Username=…"</c>, a role that may create databases: a fresh one is made and dropped).
/// </summary>
public static class ReportsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var tickets = Arg("--tickets", smoke ? 2_000 : 100_000);
        var runs = Arg("--runs", smoke ? 1 : 7);
        var keep = args.Contains("--keep");
        var postgresIndex = Array.IndexOf(args, "--postgres");
        var postgres = postgresIndex >= 0 && postgresIndex + 1 < args.Length
            ? new NpgsqlConnectionStringBuilder(args[postgresIndex + 1]) { Database = "bench_" + Guid.NewGuid().ToString("N") }.ToString()
            : null;

        var directory = Path.Combine(Path.GetTempPath(), "dispatchboard-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Calendar:Semesters:0:Name"] = "Autumn 2026",
                ["Calendar:Semesters:0:StartsOn"] = "2026-09-01",
                ["Calendar:Semesters:0:EndsOn"] = "2027-01-22",
            };
            if (postgres is not null)
            {
                settings["Database:Provider"] = "Postgres";
                settings["ConnectionStrings:Dispatch"] = postgres;
            }
            Console.WriteLine($"Reports benchmark on {(postgres is null ? "SQLite" : "PostgreSQL")}");
            using var host = await DispatchBoard.Benchmarks.BenchHost.StartAsync(directory, settings);
            var services = host.Services;

            var fill = Stopwatch.StartNew();
            await FillAsync(services, tickets);
            Console.WriteLine($"Filled {tickets:N0} tickets (Sep 2026 – Jan 2027) in {fill.Elapsed.TotalSeconds:F1} s");

            var reports = services.GetRequiredService<ReportService>();
            var periods = new[]
            {
                new ReportPeriod(PeriodKind.Semester, new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 22), "semester (all tickets)"),
                new ReportPeriod(PeriodKind.Month, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), "month"),
                new ReportPeriod(PeriodKind.Week, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29), "week"),
            };
            await reports.BuildAsync(periods[1]); // warm-up: JIT, EF model, the database's page cache
            foreach (var period in periods)
            {
                var times = new List<double>();
                PeriodReport? report = null;
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    report = await reports.BuildAsync(period);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                if (period.Kind == PeriodKind.Semester && report!.Totals.Reported < tickets)
                {
                    Console.Error.WriteLine($"The semester report counted {report.Totals.Reported:N0} tickets, fewer than the {tickets:N0} filled: it is not measuring the whole table.");
                    return 1;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{period.Label,-24} {report!.Totals.Reported,8:N0} tickets  min {times[0],7:F0} ms  median {times[times.Count / 2],7:F0} ms  max {times[^1],7:F0} ms"
                    + $"  (median to resolve {report.TimeToResolve.Median?.TotalMinutes:F0} min, compliance {report.Totals.Compliance:F1} %)"));
            }
            long size;
            await using (var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
            {
                size = postgres is null
                    ? new FileInfo(Path.Combine(directory, "dispatch.db")).Length
                    : await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
            }
            Console.WriteLine($"Peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB; database {size / 1024 / 1024} MB");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (postgres is not null && !keep)
            {
                NpgsqlConnection.ClearAllPools();
                await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ToString());
                await server.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(postgres).Database}\" WITH (FORCE)", server);
                await drop.ExecuteNonQueryAsync();
            }
            if (keep)
            {
                Console.WriteLine($"Kept {directory}");
            }
            else
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
        }
    }

    // Tickets spread over the semester with realistic shapes: most claimed within the target, on site and resolved;
    // a tenth still open; some reopened and rated. Written with one prepared statement in one transaction (the same SQL on
    // SQLite and PostgreSQL).
    public static async Task FillAsync(IServiceProvider services, int count)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var areas = await db.Areas.Where(a => a.Level == DispatchBoard.Web.Areas.AreaLevel.Room || a.Level == DispatchBoard.Web.Areas.AreaLevel.Outdoor).Select(a => a.Id).ToListAsync();
        var staff = await db.Staff.Select(s => s.Id).ToListAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "Tickets" ("TrackingCode","AreaId","Category","Priority","Description","Channel","Status","ReportedAt","QueuedAt","ResponseDueAt",
                "ClaimedAt","OnSiteAt","ResolvedAt","ClosedAt","ClaimedById","ReopenCount","Rating","Version","EscalationLevel",
                "TimeToClaim","TimeToOnSite","TimeToResolve","ReportCount","ReporterEmailsStopped","WaitingForOpening")
            VALUES (@code,@area,@category,@priority,'Benchmark ticket',@channel,@status,@reported,@reported,@due,@claimed,@onsite,@resolved,@closed,@staff,@reopens,@rating,1,0,
                @claimed - @reported,@onsite - @reported,@resolved - @reported,1,FALSE,FALSE)
            """;
        string[] names = ["code", "area", "category", "priority", "channel", "status", "reported", "due", "claimed", "onsite", "resolved", "closed", "staff", "reopens", "rating"];
        string[] texts = ["code", "category", "priority", "channel", "status"];
        var p = names.ToDictionary(n => n, n =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + n;
            parameter.DbType = texts.Contains(n) ? System.Data.DbType.String : n is "area" or "staff" or "reopens" or "rating" ? System.Data.DbType.Int32 : System.Data.DbType.Int64;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
            return parameter;
        });
        await command.PrepareAsync();
        var random = new Random(2026);
        var start = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var span = new DateTimeOffset(2027, 1, 22, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds() - start;
        var categories = Enum.GetNames<TicketCategory>();
        for (var i = 0; i < count; i++)
        {
            var reported = start + (long)(random.NextDouble() * span);
            var urgent = random.Next(10) == 0;
            var target = (urgent ? 5 : 30) * 60_000L;
            var claimed = random.Next(20) == 0 ? (long?)null : reported + (long)(random.NextDouble() * target * 1.6);
            var onsite = claimed is null || random.Next(15) == 0 ? (long?)null : claimed + random.Next(2, 25) * 60_000L;
            var resolved = onsite is null || random.Next(12) == 0 ? (long?)null : onsite + random.Next(5, 240) * 60_000L;
            var closed = resolved is not null && random.Next(3) > 0 ? resolved + 3 * 86_400_000L : (long?)null;
            var status = closed is not null ? "Closed" : resolved is not null ? "Resolved" : onsite is not null ? "OnSite" : claimed is not null ? "Claimed" : "New";
            p["code"].Value = TrackingCode.New();
            p["area"].Value = areas[random.Next(areas.Count)];
            p["category"].Value = categories[random.Next(categories.Length)];
            p["priority"].Value = urgent ? "Urgent" : "Normal";
            p["channel"].Value = random.Next(3) == 0 ? "Qr" : "Web";
            p["status"].Value = status;
            p["reported"].Value = reported;
            p["due"].Value = reported + target;
            p["claimed"].Value = (object?)claimed ?? DBNull.Value;
            p["onsite"].Value = (object?)onsite ?? DBNull.Value;
            p["resolved"].Value = (object?)resolved ?? DBNull.Value;
            p["closed"].Value = (object?)closed ?? DBNull.Value;
            p["staff"].Value = claimed is null ? DBNull.Value : staff[random.Next(staff.Count)];
            p["reopens"].Value = random.Next(25) == 0 ? 1 : 0;
            p["rating"].Value = closed is not null && random.Next(4) == 0 ? random.Next(3, 6) : DBNull.Value;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        // On PostgreSQL, VACUUM too: autovacuum sets the visibility map within a minute of a bulk change, and until it has,
        // every index-only scan the reports rely on reads the table as well (a measure of that minute, not of the reports).
        analyze.CommandText = connection is NpgsqlConnection ? "VACUUM ANALYZE;" : "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
    }
}
