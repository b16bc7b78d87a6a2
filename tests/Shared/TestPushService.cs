using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DispatchBoard.Testing;

/// <summary>
/// A push service on 127.0.0.1 (Kestrel, port 0) that records each push request (headers and encrypted body) and
/// answers per device: 201, 404, 410, 429 with Retry-After (then 201), or never (until it is stopped).
/// </summary>
public sealed class TestPushService : IAsyncDisposable
{
    public enum Reply { Created, NotFound, Gone, TooManyThenCreated, Hang }

    public sealed record Received(string Device, IReadOnlyDictionary<string, string> Headers, byte[] Body, long Timestamp);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Reply> _replies = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly bool _keepBodies;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private TestPushService(WebApplication app, bool keepBodies)
    {
        _app = app;
        _keepBodies = keepBodies;
    }

    public string BaseUrl { get; private set; } = "";
    public int RetryAfterSeconds { get; set; } = 30;
    public int Count => Volatile.Read(ref _count);
    public long LastTimestamp { get; private set; }
    public int LastBodyLength { get; private set; }
    public IReadOnlyList<Received> Requests => _received.ToArray();

    public string Url(string device) => $"{BaseUrl}/push/{device}";

    public void Set(string device, Reply reply) => _replies[device] = reply;

    public static async Task<TestPushService> StartAsync(bool keepBodies = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var service = new TestPushService(app, keepBodies);
        app.MapPost("/push/{device}", (Delegate)service.HandleAsync);
        await app.StartAsync();
        service.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1");
        return service;
    }

    private async Task HandleAsync(HttpContext http, string device)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var attempt = _attempts.AddOrUpdate(device, 1, (_, n) => n + 1);
        _received.Enqueue(new Received(device, headers, _keepBodies ? buffer.ToArray() : [], Stopwatch.GetTimestamp()));
        LastTimestamp = Stopwatch.GetTimestamp();
        LastBodyLength = (int)buffer.Length;
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        switch (_replies.GetValueOrDefault(device, Reply.Created))
        {
            case Reply.NotFound:
                http.Response.StatusCode = 404;
                break;
            case Reply.Gone:
                http.Response.StatusCode = 410;
                break;
            case Reply.TooManyThenCreated when attempt == 1:
                http.Response.StatusCode = 429;
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case Reply.Hang:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                http.Abort();
                break;
            default:
                http.Response.StatusCode = 201;
                break;
        }
    }

    /// <summary>Waits until the received requests satisfy <paramref name="done"/> (a deadline, not a sleep).</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var requests = Requests;
            if (done(requests))
            {
                return requests;
            }
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                throw new TimeoutException($"The push service got {requests.Count} requests ({string.Join(", ", requests.Select(r => r.Device))}), not what the test waits for.");
            }
            await changed.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public IReadOnlyList<Received> For(string device) => Requests.Where(r => r.Device == device).ToList();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
