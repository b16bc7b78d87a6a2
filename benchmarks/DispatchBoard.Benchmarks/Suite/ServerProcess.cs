using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DispatchBoard.Benchmarks.Suite;

/// <summary>
/// A server the benchmark started in its own process (DispatchBoard or the floor) on a free loopback port: its address,
/// and its CPU time and resident memory read from /proc. Stopped by its own process id when disposed, even after a failure.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Process _process;
    private readonly string _logPath;

    private ServerProcess(Process process, Uri address, string name, string logPath)
    {
        _process = process;
        Address = address;
        Name = name;
        _logPath = logPath;
    }

    public Uri Address { get; }
    public string Name { get; }
    public int Pid => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> and waits until <paramref name="readyPath"/> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string name, string dll, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string readyPath, TimeSpan timeout)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", address.ToString().TrimEnd('/'), "--contentRoot", Path.GetDirectoryName(dll)!])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        Directory.CreateDirectory(workingDirectory);
        var logPath = Path.Combine(workingDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, name, logPath);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} stopped while starting (exit {process.ExitCode}); its log: {logPath}\n{server.LogTail()}");
            }
            try
            {
                if ((await http.GetAsync(new Uri(address, readyPath))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (deadline.Elapsed > timeout)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"{name} did not answer {readyPath} within {timeout.TotalSeconds:F0} s; its log: {logPath}\n{server.LogTail()}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>CPU time (user and system) the process has used so far, in seconds.</summary>
    public double CpuSeconds()
    {
        // /proc/PID/stat: the command is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds the whole machine has spent busy since boot (/proc/stat: all but idle and iowait), and how many cores
    /// it has: what the browsers of a boards run burn is the machine's share minus the server's and the runner's.
    /// </summary>
    public static (double BusySeconds, int Cores) MachineCpu()
    {
        var total = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = total.Sum() - total[3] - total[4] - (total.Length > 8 ? total[8] + (total.Length > 9 ? total[9] : 0) : 0);
        return (busy / TicksPerSecond, Environment.ProcessorCount);
    }

    /// <summary>Resident memory (VmRSS) of the process now, in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"No VmRSS for process {Pid}");
    }

    /// <summary>The resident memory once it has stopped changing (the runtime settles after a burst), in bytes.</summary>
    public async Task<long> SettledResidentBytesAsync(TimeSpan atMost)
    {
        var watch = Stopwatch.StartNew();
        var last = ResidentBytes();
        while (watch.Elapsed < atMost)
        {
            await Task.Delay(1000);
            var now = ResidentBytes();
            if (Math.Abs(now - last) < 256 * 1024)
            {
                return now;
            }
            last = now;
        }
        return last;
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }
        _process.Dispose();
    }
}
