using System.Diagnostics;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>
/// <c>dotnet-trace collect</c> on a server process for the length of a measurement (the benchmarks' <c>--trace FILE</c>):
/// where the CPU went, to read with <c>dotnet-trace report FILE topN</c>. Needs the dotnet-trace tool.
/// </summary>
public sealed class TraceCollector : IDisposable
{
    private readonly Process _process;

    private TraceCollector(Process process) => _process = process;

    public static async Task<TraceCollector> StartAsync(int pid, string path)
    {
        var tool = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".dotnet", "tools", "dotnet-trace");
        var process = Process.Start(new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace",
            // Without a duration, dotnet-trace 10 stops as soon as its input is not a terminal; 10 minutes is longer than any
            // measurement, which stops it sooner (Stop).
            ["collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", path, "--duration", "00:00:10:00"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        })!;
        // The measurement starts once the session is attached: the tool then says "Recording trace" on a terminal, or
        // "Trace Duration" otherwise (on lines it may rewrite, so its output is read as it comes, not by lines), or it
        // ends because it could not attach.
        var attached = new TaskCompletionSource();
        _ = Task.Run(async () =>
        {
            var buffer = new char[512];
            var seen = new System.Text.StringBuilder();
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                if (!attached.Task.IsCompleted && seen.Append(buffer, 0, read).ToString() is var text
                    && (text.Contains("Recording", StringComparison.OrdinalIgnoreCase) || text.Contains("Trace Duration", StringComparison.OrdinalIgnoreCase)))
                {
                    attached.TrySetResult();
                }
            }
            attached.TrySetResult();
        });
        await attached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new TraceCollector(process);
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            // Ctrl+C ends a collection and writes the file (the tool's own process, by its id).
            using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            interrupt.WaitForExit();
            _process.WaitForExit(60_000);
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
