using DispatchBoard.Benchmarks;
using DispatchBoard.Benchmarks.Suite;

// DispatchBoard's benchmark suite. Each measurement runs our app and its floor (benchmarks/DispatchBoard.Floor: the least
// ASP.NET Core does for the same job) in the same run, in their own processes, alternating, and prints the ratio.
//   dotnet run -c Release --project benchmarks/DispatchBoard.Benchmarks -- <command> [options] [--smoke] [--json file]
// Commands:
//   fanout   [--clients 300,1000] [--tickets 200] [--rate 10] [--runs 3]   hub clients: POST → TicketChanged at each
//   boards   [--boards 10,30] [--events 40] [--interval-ms 500] [--runs 3] Chromium pages on /board: report → card
//   intake   [--reporters 16] [--seconds 10] [--runs 3]                    reports/s against a plain ADO.NET insert
//   claims   [--tickets 40] [--claimers 50] [--runs 3]                     claim attempts/s; double claims from the database
//   render   [--tickets 10000] [--runs 3]                                  /board with 10,000 open tickets
//   reports  [--tickets 100000] [--runs 7] [--postgres "Host=…"]           the semester's report (no floor)
//   push     [--devices 500] [--runs 5]                                    Web Push fan-out to a loopback push service
//   realtime [--events 2000]                                               board events across two instances through Redis
//   ops [--n 2000]                                                        one report / claim inside the app, no HTTP (where the time goes)
//   all                                                                   fanout, boards, intake, claims, render, reports
// It measures; it does not judge. --smoke (the test command) runs each once, small, so the suite keeps working; the table
// says "met" or "MISSED" beside each goal of issue 14, and the full run's table is in the README ("Performance").
var command = args.FirstOrDefault() is { } first && !first.StartsWith("--", StringComparison.Ordinal) ? first : "reports";
var rest = args.FirstOrDefault() == command ? args[1..] : args;
var options = new Args(rest);

switch (command)
{
    case "push":
        return await PushBenchmark.RunAsync(rest);
    case "realtime":
        return await RealtimeBenchmark.RunAsync(rest);
    case "reports":
        return await ReportsBenchmark.RunAsync(rest);
    case "ops":
        return await OpsBenchmark.RunAsync(rest);
}

// The suite's commands against their floors, in the order "all" runs them.
var suite = new Dictionary<string, Func<Args, Task<Report>>>
{
    ["fanout"] = FanoutBenchmark.RunAsync,
    ["boards"] = BoardsBenchmark.RunAsync,
    ["intake"] = IntakeBenchmark.RunAsync,
    ["claims"] = ClaimsBenchmark.RunAsync,
    ["render"] = RenderBenchmark.RunAsync,
};
if (command != "all" && !suite.ContainsKey(command))
{
    Console.Error.WriteLine($"Unknown benchmark '{command}'. Commands: {string.Join(", ", suite.Keys)}, reports, push, realtime, all.");
    return 2;
}
var commands = command == "all" ? suite.Keys.ToArray() : [command];
var failed = false;
foreach (var name in commands)
{
    Console.WriteLine($"== {name}{(options.Smoke ? " (smoke)" : "")}");
    var report = await suite[name](options);
    report.Print();
    await report.WriteJsonAsync(options.String("--json") is { } json && commands.Length == 1
        ? json
        : Path.Combine(Servers.RepositoryRoot, "benchmarks", "results", $"{name}{(options.Smoke ? "-smoke" : "")}.json"));
    // A smoke run proves the benchmark works end to end: every card, every report, every claim accounted for, no errors.
    failed |= report.Rows.Any(r => (r.Measure.Contains("missing", StringComparison.Ordinal) || r.Measure.Contains("double", StringComparison.Ordinal)
        || r.Measure.StartsWith("errors", StringComparison.Ordinal))
        && r.Ours > 0);
}
return failed ? 1 : 0;
