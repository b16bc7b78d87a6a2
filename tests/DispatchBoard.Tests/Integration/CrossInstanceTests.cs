using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// Two app instances on one database and one Redis (Realtime:Redis), as behind a load balancer: what happens on one is
/// live on the other, hub clients get each event once, a person cut off on one is cut off on the other, the intake limit
/// is counted across both, and a Redis outage costs no report and ends with every screen reloading.
/// Each test starts its own redis-server and its own copy of the school.
/// </summary>
public sealed class CrossInstanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ATicketReportedOnA_ReachesAListenerOnB_AndEveryHubClientOnce_AndAPersonsAlertReachesTheirHubClientOnB()
    {
        await using var two = await TwoInstances.StartAsync();
        var dispatcher = await CookieAsync(two.B, "dispatcher");
        var staff = await CookieAsync(two.B, "staff1");
        var onA = new ConcurrentQueue<(string, int)>();
        var onB = new ConcurrentQueue<(string, int)>();
        await using var hubA = await HubAsync(two.A, dispatcher, onA);
        await using var hubB = await HubAsync(two.B, dispatcher, onB);
        await using var staffHub = await HubAsync(two.B, staff, new ConcurrentQueue<(string, int)>());
        var alerts = new ConcurrentQueue<string>();
        staffHub.On<JsonElement>(DispatchHub.NotificationMethod, n => alerts.Enqueue(n.GetProperty("title").GetString()!));
        var heardOnB = Heard(two.B, e => e is TicketChanged { Ticket.Description: "Cross: leaking tap" });

        await ReportAsync(two.A, "Cross: leaking tap");

        await heardOnB.WaitAsync(Soon);
        // A later ticket from the same instance travels behind every copy of the first: once it is in, all are.
        await ReportAsync(two.A, "Cross: marker");
        await UntilAsync(() => onA.Any(t => t.Item1 == "Cross: marker") && onB.Any(t => t.Item1 == "Cross: marker"),
            () => $"hub on A got [{string.Join(", ", onA)}], on B [{string.Join(", ", onB)}]");
        foreach (var received in new[] { onA, onB })
        {
            var taps = received.Where(t => t.Item1 == "Cross: leaking tap").ToList();
            Assert.NotEmpty(taps);
            Assert.Equal(taps.Distinct().Count(), taps.Count);
        }

        // Clients.User through the backplane: an alert published on A reaches the person's hub connection on B, once.
        var staffId = await UserIdAsync(two.A, "staff1@demo.example");
        two.A.Services.GetRequiredService<DispatchNotifier>().Publish(new NotificationAdded(staffId,
            new NotificationDto(1, NotificationKind.Routed, "Cross: for staff1", null, null, null, DateTimeOffset.UnixEpoch, false)));
        two.A.Services.GetRequiredService<DispatchNotifier>().Publish(new NotificationAdded(staffId,
            new NotificationDto(2, NotificationKind.Routed, "Cross: marker alert", null, null, null, DateTimeOffset.UnixEpoch, false)));
        await UntilAsync(() => alerts.Contains("Cross: marker alert"));
        Assert.Equal(1, alerts.Count(a => a == "Cross: for staff1"));

        var ready = await two.B.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ABurstOf200EventsOnA_AllArriveOnB_InVersionOrderPerTicket_AndTheLatencyIsMeasured()
    {
        await using var two = await TwoInstances.StartAsync();
        var template = Heard(two.B, e => e is TicketChanged { Ticket.Description: "Cross: burst template" });
        await ReportAsync(two.A, "Cross: burst template");
        var ticket = ((TicketChanged)await template.WaitAsync(Soon)).Ticket;
        var arrived = new ConcurrentQueue<(int Id, int Version, long At)>();
        using var listening = two.B.Services.GetRequiredService<DispatchNotifier>().Subscribe(e =>
        {
            if (e is TicketChanged { Ticket.Id: >= 1_000_000 } t)
            {
                arrived.Enqueue((t.Ticket.Id, t.Ticket.Version, Stopwatch.GetTimestamp()));
            }
        });
        var notifierA = two.A.Services.GetRequiredService<DispatchNotifier>();

        // Four tickets, fifty versions each, interleaved, published as fast as the caller can.
        for (var i = 0; i < 200; i++)
        {
            notifierA.Publish(new TicketChanged(ticket with { Id = 1_000_000 + i % 4, Version = i / 4 + 1 }));
        }

        await UntilAsync(() => arrived.Count >= 200);
        Assert.Equal(200, arrived.Count);
        foreach (var perTicket in arrived.GroupBy(a => a.Id))
        {
            Assert.Equal(Enumerable.Range(1, 50), perTicket.Select(a => a.Version));
        }

        // Latency, one event at a time: published on A, delivered to a listener on B.
        var latencies = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var version = 1000 + i;
            var delivered = Heard(two.B, e => e is TicketChanged { Ticket.Id: 2_000_000 } t && t.Ticket.Version == version);
            var sent = Stopwatch.GetTimestamp();
            notifierA.Publish(new TicketChanged(ticket with { Id = 2_000_000, Version = version }));
            await delivered.WaitAsync(Soon);
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }
        latencies.Sort();
        double Percentile(double p) => latencies[(int)Math.Ceiling(p * latencies.Count) - 1];
        var line = $"cross-instance latency (publish on A -> listener on B, {latencies.Count} events): p50 {Percentile(0.50):0.00} ms, p99 {Percentile(0.99):0.00} ms, max {latencies[^1]:0.00} ms";
        output.WriteLine(line);
        Console.WriteLine(line);
        // The issue's bound for a report to reach another instance's screens, with room for a busy test machine.
        Assert.True(Percentile(0.99) < 1000, line);
    }

    [Fact]
    public async Task APersonDeactivatedOnA_IsCutOffOnB_HubConnectionClosed_AndCookieRefused()
    {
        await using var two = await TwoInstances.StartAsync();
        var cookie = await CookieAsync(two.A, "staff2");
        // B has read who is deactivated and checked this cookie before the change: only the change can tell it.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(two.B, "/api/auth/me", cookie)).StatusCode);
        await using var hub = await HubAsync(two.B, cookie, new ConcurrentQueue<(string, int)>());
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var admin = await SignedInAsync(two.A, "admin");
        var userId = await UserIdAsync(two.A, "staff2@demo.example");

        var deactivated = await admin.PostAsJsonAsync($"/api/admin/users/{userId}/active", new { active = false });

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(two.B, "/api/auth/me", cookie)).StatusCode);
    }

    [Fact]
    public async Task SignOutEverywhereOnA_EndsTheCookieOnBAtOnce_AndARoleChangeOnA_ReachesBsCookieAtOnce()
    {
        await using var two = await TwoInstances.StartAsync();
        var kept = await CookieAsync(two.A, "staff4");
        var other = await CookieAsync(two.A, "staff4");
        var dispatcher = await CookieAsync(two.A, "dispatcher");
        // B has checked these cookies (and cached their stamps) before the changes.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(two.B, "/api/auth/me", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(two.B, "/api/admin/users", dispatcher)).StatusCode);
        var userId = await UserIdAsync(two.A, "dispatcher@demo.example");
        var admin = await SignedInAsync(two.A, "admin");

        var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout-everywhere");
        signOut.Headers.Add("Cookie", kept);
        var ended = await two.A.Server.CreateClient().SendAsync(signOut);
        var promoted = await admin.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Dispatcher", "Admin" } });

        Assert.True(ended.IsSuccessStatusCode, $"{ended.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        // Not the 30 s of the stamp cache: B heard of both changes.
        await UntilAsync(async () => (await GetAsync(two.B, "/api/auth/me", other)).StatusCode == HttpStatusCode.Unauthorized);
        await UntilAsync(async () => (await GetAsync(two.B, "/api/admin/users", dispatcher)).StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheIntakeLimit_IsCountedAcrossBothInstances()
    {
        const int limit = 3;
        await using var two = await TwoInstances.StartAsync(b => b.UseSetting("Intake:PermitLimit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var answers = new List<HttpStatusCode>();
        foreach (var instance in new[] { two.A, two.B, two.A, two.B, two.A })
        {
            answers.Add((await PostReportAsync(instance, $"Cross: limit {answers.Count}")).StatusCode);
        }

        // Three for the client network, wherever they landed; each instance alone would have taken three.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task WrongPasswordsSpreadOverBothInstances_AreCountedTogether_BySignInThrottle()
    {
        await using var two = await TwoInstances.StartAsync();
        var answers = new List<HttpStatusCode>();
        foreach (var instance in new[] { two.A, two.B, two.A, two.B, two.A })
        {
            answers.Add((await instance.Server.CreateClient().PostAsJsonAsync("/api/auth/login",
                new { email = "staff1@demo.example", password = "not-the-password" })).StatusCode);
        }

        // The free failures are used up across both instances: the next attempt waits, even with the right password.
        var next = await two.B.Server.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = "staff1@demo.example", password = DispatchBoard.Testing.TestData.Password });

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.NotNull(next.Headers.RetryAfter);
    }

    [Fact]
    public async Task WhileRedisIsDown_ReportsAreAcceptedAndLiveOnTheirInstance_AndWhenItIsBack_BothResync_AndEventsFlowAgain()
    {
        await using var two = await TwoInstances.StartAsync();
        var cookie = await CookieAsync(two.B, "staff3");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(two.B, "/api/auth/me", cookie)).StatusCode);
        var admin = await SignedInAsync(two.A, "admin");
        var staffId = await UserIdAsync(two.A, "staff3@demo.example");
        var resyncA = Heard(two.A, e => e is Resync);
        var resyncB = Heard(two.B, e => e is Resync);
        var onHubA = new ConcurrentQueue<(string, int)>();
        await using var hubA = await HubAsync(two.A, await CookieAsync(two.A, "dispatcher"), onHubA);

        await two.Redis.KillAsync();
        await UntilAsync(() => !two.A.Services.GetRequiredService<RealtimeRedis>().IsConnected);
        var heardOnA = Heard(two.A, e => e is TicketChanged { Ticket.Description: "Cross: during the outage" });
        var took = Stopwatch.StartNew();
        var report = await PostReportAsync(two.A, "Cross: during the outage");
        took.Stop();
        // A deactivation made while B cannot hear it: B learns it when it reads the database again on resync.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/users/{staffId}/active", new { active = false })).StatusCode);
        var ready = await two.A.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(2), $"the report took {took.Elapsed}");
        await heardOnA.WaitAsync(Soon);
        // A's hub clients too: the backplane cannot take it, so A sends it to its own.
        await UntilAsync(() => onHubA.Any(t => t.Item1 == "Cross: during the outage"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"redis\",\"status\":\"Degraded\"", await ready.Content.ReadAsStringAsync());
        Assert.False(resyncA.IsCompleted || resyncB.IsCompleted);

        // A hub client that stayed connected through the outage may have missed B's events: it is closed, to reconnect and reload.
        var hubAClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubA.Closed += _ => { hubAClosed.TrySetResult(); return Task.CompletedTask; };
        var resyncsOnB = 0;
        using var countOnB = two.B.Services.GetRequiredService<DispatchNotifier>().Subscribe(e =>
        {
            if (e is Resync)
            {
                Interlocked.Increment(ref resyncsOnB);
            }
        });
        await two.Redis.RestartAsync();

        await Task.WhenAll(resyncA, resyncB).WaitAsync(TimeSpan.FromSeconds(20));
        await hubAClosed.Task.WaitAsync(Soon);
        await UntilAsync(async () => (await GetAsync(two.B, "/api/auth/me", cookie)).StatusCode == HttpStatusCode.Unauthorized);
        var heardOnB = Heard(two.B, e => e is TicketChanged { Ticket.Description: "Cross: after the outage" });
        await ReportAsync(two.A, "Cross: after the outage");
        await heardOnB.WaitAsync(Soon);
        // One reload per instance's round (A's and B's own), however often each repeated it until it came back.
        Assert.InRange(Volatile.Read(ref resyncsOnB), 1, 2);
    }

    [Fact]
    public async Task InstancesStartedWhileRedisIsDown_TakeReports_AndJoinUpWhenRedisComesUp()
    {
        await using var two = await TwoInstances.StartAsync(redisDown: true);
        var resyncA = Heard(two.A, e => e is Resync);
        var resyncB = Heard(two.B, e => e is Resync);
        var ready = await two.A.CreateClient().GetAsync("/health/ready");
        var heardOnA = Heard(two.A, e => e is TicketChanged { Ticket.Description: "Cross: before Redis" });

        Assert.Equal(HttpStatusCode.Created, (await PostReportAsync(two.A, "Cross: before Redis")).StatusCode);
        await heardOnA.WaitAsync(Soon);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await two.Redis.RestartAsync();

        // Each instance joins on its own retry; until A has, A's events stay on A (and its resync then reloads every screen).
        await Task.WhenAll(resyncA, resyncB).WaitAsync(TimeSpan.FromSeconds(20));
        var heardOnB = Heard(two.B, e => e is TicketChanged { Ticket.Description: "Cross: Redis is up" });
        await ReportAsync(two.A, "Cross: Redis is up");
        await heardOnB.WaitAsync(Soon);
    }

    private sealed class TwoInstances : IAsyncDisposable
    {
        public required RedisServer Redis { get; init; }
        public required DispatchBoardFactory School { get; init; }
        public required WebApplicationFactory<Program> A { get; init; }
        public required WebApplicationFactory<Program> B { get; init; }

        public static async Task<TwoInstances> StartAsync(Action<IWebHostBuilder>? configure = null, bool redisDown = false)
        {
            var redis = await RedisServer.StartAsync();
            if (redisDown)
            {
                await redis.KillAsync();
            }
            var school = new DispatchBoardFactory();
            await school.InitializeAsync();
            WebApplicationFactory<Program> Instance() => school.AnotherInstance(b =>
            {
                b.UseSetting("Realtime:Redis", redis.Configuration);
                b.UseSetting("Intake:PermitLimit", "10000");
                configure?.Invoke(b);
            });
            var two = new TwoInstances { Redis = redis, School = school, A = Instance(), B = Instance() };
            _ = two.A.Server;
            _ = two.B.Server;
            return two;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync(A);
            await StopAsync(B);
            await School.DisposeAsync();
            await Redis.DisposeAsync();
        }

        /// <summary>
        /// Stops an instance. SignalR's Redis backplane unsubscribes synchronously as it is disposed, within the app's 1 s
        /// Redis timeout; on a loaded CI machine that once timed out after every assertion had passed. Shutting down is not
        /// what these tests check: the timeout is written out, not failed on.
        /// </summary>
        private static async Task StopAsync(WebApplicationFactory<Program> instance)
        {
            try
            {
                await instance.DisposeAsync();
            }
            catch (StackExchange.Redis.RedisTimeoutException ex)
            {
                Console.WriteLine($"An instance's Redis backplane timed out while stopping: {ex.Message}");
            }
        }
    }

    /// <summary>Completes with the first event on the instance that matches, from now on.</summary>
    private static Task<BoardEvent> Heard(WebApplicationFactory<Program> instance, Func<BoardEvent, bool> match)
    {
        var heard = new TaskCompletionSource<BoardEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = instance.Services.GetRequiredService<DispatchNotifier>().Subscribe(e =>
        {
            if (match(e))
            {
                heard.TrySetResult(e);
            }
        });
        _ = heard.Task.ContinueWith(_ => subscription.Dispose(), TaskScheduler.Default);
        return heard.Task;
    }

    private static Task<HttpResponseMessage> PostReportAsync(WebApplicationFactory<Program> instance, string description) =>
        instance.CreateClient().PostAsJsonAsync("/api/tickets", new { areaCode = "A102", category = "Furniture", description });

    private static async Task ReportAsync(WebApplicationFactory<Program> instance, string description) =>
        (await PostReportAsync(instance, description)).EnsureSuccessStatusCode();

    private static async Task<string> CookieAsync(WebApplicationFactory<Program> instance, string who)
    {
        var login = await instance.Server.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = DispatchBoard.Testing.TestData.Password });
        login.EnsureSuccessStatusCode();
        return string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]));
    }

    private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> instance, string who)
    {
        var client = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.PostAsJsonAsync("/api/auth/login", new { email = $"{who}@demo.example", password = DispatchBoard.Testing.TestData.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> instance, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return instance.Server.CreateClient().SendAsync(request);
    }

    private static async Task<string> UserIdAsync(WebApplicationFactory<Program> instance, string email)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>A started hub client; the (description, version) of every TicketChanged it gets go to <paramref name="received"/>.</summary>
    private static async Task<HubConnection> HubAsync(WebApplicationFactory<Program> instance, string cookie, ConcurrentQueue<(string, int)> received)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(instance.Server.BaseAddress, DispatchHub.Path.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => instance.Server.CreateHandler();
                o.Headers["Cookie"] = cookie;
            })
            .Build();
        hub.On<JsonElement>(DispatchHub.TicketChangedMethod, t =>
            received.Enqueue((t.GetProperty("description").GetString()!, t.GetProperty("version").GetInt32())));
        var sessions = instance.Services.GetRequiredService<HubSessions>();
        var before = sessions.Count;
        await hub.StartAsync();
        // The handshake is answered before the server has subscribed the connection (through Redis): wait for that too.
        await UntilAsync(() => sessions.Count > before);
        return hub;
    }

    private static Task UntilAsync(Func<bool> condition, Func<string>? state = null) => UntilAsync(() => Task.FromResult(condition()), state);

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string>? state = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Soon)
            {
                throw new TimeoutException($"The condition did not hold in time. {state?.Invoke()}");
            }
            await Task.Delay(20);
        }
    }
}
