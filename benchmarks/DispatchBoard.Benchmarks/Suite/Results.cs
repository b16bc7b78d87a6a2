using System.Globalization;
using System.Text.Json;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>Latency samples of one run: percentiles in milliseconds, and the samples that never arrived.</summary>
public sealed class Latencies
{
    private readonly List<double> _ms = [];

    public int Missing { get; set; }
    public int Count => _ms.Count;

    public void Add(double ms)
    {
        lock (_ms)
        {
            _ms.Add(ms);
        }
    }

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _ms.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    public double P50 => Percentile(50);
    public double P90 => Percentile(90);
    public double P99 => Percentile(99);
    public double Max => Percentile(100);
}

/// <summary>Whether a larger or a smaller figure is the better one (latency, memory: lower; throughput: higher).</summary>
public enum Better
{
    Lower,
    Higher,
}

/// <summary>
/// One line of the table: our figure, the floor's (when the measure has one), their ratio and the goal. With several
/// alternating runs, <see cref="Ours"/> and <see cref="Floor"/> are medians and <see cref="Ratio"/> is the median of the
/// runs' ratios.
/// </summary>
public sealed record Row(string Benchmark, string Case, string Measure, string Unit, Better Better, double Ours, double? Floor,
    double? Ratio, double? RatioGoal, double? AbsoluteGoal, IReadOnlyList<double> OursRuns, IReadOnlyList<double>? FloorRuns)
{
    /// <summary>Met, missed, or no goal for this line.</summary>
    public bool? Met
    {
        get
        {
            bool? met = null;
            if (RatioGoal is { } r && Ratio is { } ratio)
            {
                met = Better == Better.Lower ? ratio <= r : ratio >= r;
            }
            if (AbsoluteGoal is { } a)
            {
                var ok = Better == Better.Lower ? Ours <= a : Ours >= a;
                met = (met ?? true) && ok;
            }
            return met;
        }
    }
}

/// <summary>The rows of a benchmark run: printed as a table and written as JSON.</summary>
public sealed class Report(string command, IReadOnlyDictionary<string, object> parameters)
{
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine("   " + note);
    }

    /// <summary>A measure with a floor: runs alternate (ours, floor, ours, …); the ratio is the median of the runs' ratios.</summary>
    public Row Compare(string benchmark, string @case, string measure, string unit, Better better, IReadOnlyList<double> ours,
        IReadOnlyList<double> floor, double? ratioGoal = null, double? absoluteGoal = null)
    {
        var ratios = ours.Zip(floor, (o, f) => f == 0 ? double.NaN : o / f).ToList();
        var row = new Row(benchmark, @case, measure, unit, better, Median(ours), Median(floor), Median(ratios), ratioGoal, absoluteGoal, ours, floor);
        _rows.Add(row);
        return row;
    }

    /// <summary>A measure of ours alone (an absolute goal, or a figure to know).</summary>
    public Row Measure(string benchmark, string @case, string measure, string unit, Better better, IReadOnlyList<double> ours, double? absoluteGoal = null)
    {
        var row = new Row(benchmark, @case, measure, unit, better, Median(ours), null, null, null, absoluteGoal, ours, null);
        _rows.Add(row);
        return row;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{"benchmark",-9} {"case",-16} {"measure",-26} {"ours",12} {"floor",12} {"ratio",7}  {"goal",-16} ");
        foreach (var r in _rows)
        {
            var goal = string.Join(", ", new[]
            {
                r.RatioGoal is { } g ? (r.Better == Better.Lower ? "≤ " : "≥ ") + g.ToString("0.##", CultureInfo.InvariantCulture) + "x" : null,
                r.AbsoluteGoal is { } a ? (r.Better == Better.Lower ? "≤ " : "≥ ") + Format(a) + " " + r.Unit : null,
            }.Where(s => s is not null));
            var verdict = r.Met switch { true => "met", false => "MISSED", null => "" };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Benchmark,-9} {r.Case,-16} {r.Measure,-26} {Format(r.Ours) + " " + r.Unit,12} {(r.Floor is { } f ? Format(f) + " " + r.Unit : "—"),12} {(r.Ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—"),7}  {goal,-16} {verdict}"));
        }
    }

    /// <summary>Writes the run as JSON to <paramref name="path"/> (the table's rows, every run's figure, the parameters).</summary>
    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, new
        {
            command,
            at = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            parameters,
            rows = _rows.Select(r => new
            {
                r.Benchmark, r.Case, r.Measure, r.Unit, better = r.Better.ToString(), r.Ours, r.Floor, r.Ratio, r.RatioGoal, r.AbsoluteGoal,
                r.Met, r.OursRuns, r.FloorRuns,
            }),
            notes = _notes,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        Console.WriteLine($"Results: {Path.GetFullPath(path)}");
    }

    private static string Format(double value) => double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>The command line of a sub-command: <c>--name value</c> pairs and flags.</summary>
public sealed class Args(string[] args)
{
    public bool Smoke => Has("--smoke");

    public bool Has(string flag) => args.Contains(flag);

    public int Int(string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    public IReadOnlyList<int> Ints(string name, params int[] fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length
            ? args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList()
            : fallback;
    }

    /// <summary>Every <c>--set Key=Value</c>: settings (or runtime variables) for our app, to try an option under measurement.</summary>
    public IReadOnlyDictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                settings[key] = value;
            }
        }
        return settings;
    }

    public string? String(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
