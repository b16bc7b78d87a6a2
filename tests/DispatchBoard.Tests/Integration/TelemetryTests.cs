using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using netDumbster.smtp;

namespace DispatchBoard.Tests.Integration;

/// <summary>The app with Prometheus on and an SMTP server (netDumbster) it checks every 5 seconds.</summary>
public sealed class TelemetryFactory : DispatchBoardFactory
{
    public int SmtpPort { get; } = LoopbackPorts.Free();

    public SimpleSmtpServer? Smtp { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Smtp ??= SimpleSmtpServer.Start(SmtpPort);
        builder.UseSetting("Telemetry:Prometheus", "true");
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:Security", "None");
        builder.UseSetting("Email:CheckSeconds", "5");
    }

    public void StopSmtp()
    {
        Smtp?.Dispose();
        Smtp = null;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        StopSmtp();
    }
}

/// <summary>
/// What an IT person watches: the domain meter counts a scripted day of work exactly (reports by channel and urgency,
/// claims won and refused, the steps' times, open tickets by status, rate-limit refusals); a report is one trace from
/// the HTTP request through the commit to the publish; /metrics is Prometheus text for an admin only; and the system
/// page shows a failing SMTP server within a minute, with the red banner on the other admin pages.
/// </summary>
public sealed class TelemetryTests(TelemetryFactory factory) : IClassFixture<TelemetryFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private async Task<int> ReportAsync(HttpClient client, string area, string category, bool urgent)
    {
        var response = await client.PostAsJsonAsync("/api/tickets", new { areaCode = area, category, description = $"Telemetry day: {category} in {area}", urgent });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Web)).GetProperty("id").GetInt32();
    }

    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(factory.Services.GetRequiredService<IMeterFactory>(), DispatchMetrics.MeterName, instrument);

    [Fact]
    public async Task ScriptedDay_TheMetersCountWhatHappened()
    {
        using var reports = Collect<long>("dispatchboard.reports.received");
        using var claims = Collect<long>("dispatchboard.claims");
        using var toClaim = Collect<double>("dispatchboard.ticket.time_to_claim");
        using var toSite = Collect<double>("dispatchboard.ticket.time_to_on_site");
        using var toResolve = Collect<double>("dispatchboard.ticket.time_to_resolve");
        using var refusals = Collect<long>("dispatchboard.rate_limit.refusals");
        using var open = Collect<int>("dispatchboard.tickets.open");

        // Morning: three reports from the form's API, one urgent; a wrong tracking code.
        using var reporter = factory.Anonymous();
        var desk = await ReportAsync(reporter, "A102", "Furniture", urgent: false);
        var light = await ReportAsync(reporter, "A102", "Lighting", urgent: true);
        await ReportAsync(reporter, "A102", "Plumbing", urgent: false);
        // Refused at validation: not a report, not counted.
        Assert.Equal(HttpStatusCode.BadRequest, (await reporter.PostAsJsonAsync("/api/tickets", new { areaCode = "A102", category = "Nonsense", description = "x" })).StatusCode);

        // Wang Lei claims the desk; Li Na presses Claim on it a moment later and is refused; the light goes to Wang Lei too.
        using var staff1 = await factory.SignedInAsync("staff1");
        using var staff2 = await factory.SignedInAsync("staff2");
        Assert.Equal(HttpStatusCode.OK, (await staff1.PostAsync($"/api/tickets/{desk}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await staff2.PostAsync($"/api/tickets/{desk}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff1.PostAsync($"/api/tickets/{light}/claim", null)).StatusCode);
        // At the desk, fixed.
        Assert.Equal(HttpStatusCode.OK, (await staff1.PostAsJsonAsync($"/api/tickets/{desk}/transition", new { to = "OnSite" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff1.PostAsJsonAsync($"/api/tickets/{desk}/transition", new { to = "Resolved", note = "Tightened the legs" })).StatusCode);

        var received = reports.GetMeasurementSnapshot();
        Assert.Equal(3, received.EvaluateAsCounter());
        Assert.All(received, m => Assert.Equal("Api", m.Tags["channel"]));
        Assert.Equal(1, received.Count(m => (bool)m.Tags["urgent"]!));
        Assert.Equal(["Furniture", "Lighting", "Plumbing"], received.Select(m => (string)m.Tags["category"]!).Order());

        var claimed = claims.GetMeasurementSnapshot();
        Assert.Equal(2, claimed.Count(m => (string)m.Tags["outcome"]! == "won"));
        var refused = Assert.Single(claimed, m => (string)m.Tags["outcome"]! == "refused");
        Assert.Equal("Conflict", refused.Tags["reason"]);

        Assert.Equal(2, toClaim.GetMeasurementSnapshot().Count);
        Assert.Single(toSite.GetMeasurementSnapshot());
        var resolved = Assert.Single(toResolve.GetMeasurementSnapshot());
        Assert.Equal("Furniture", resolved.Tags["category"]);
        Assert.InRange(resolved.Value, 0, 600);
        Assert.Empty(refusals.GetMeasurementSnapshot());

        // Open tickets by status, as the gauge reads them, against the database.
        await factory.Services.GetRequiredService<OpenTicketGauge>().RefreshAsync(CancellationToken.None);
        open.RecordObservableInstruments();
        var gauge = open.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["status"]!, m => m.Value);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        foreach (var status in new[] { TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated, TicketStatus.Resolved })
        {
            Assert.Equal(await db.Tickets.CountAsync(t => t.Status == status), gauge[status.ToString()]);
        }
        Assert.True(gauge["Resolved"] >= 1 && gauge["Claimed"] >= 1 && gauge["New"] >= 1);
    }

    [Fact]
    public async Task ARefusedSignIn_IsCountedAsARateLimitRefusal()
    {
        using var refusals = Collect<long>("dispatchboard.rate_limit.refusals");
        using var client = factory.Anonymous();
        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody-telemetry@demo.example", password = "wrong-password" });
            attempts++;
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && attempts < 30);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains(refusals.GetMeasurementSnapshot(), m => (string)m.Tags["limit"]! == "sign_in");
    }

    [Fact]
    public async Task AReport_IsOneTrace_FromTheRequestThroughTheCommitToThePublish()
    {
        var activities = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is DispatchTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using var reporter = factory.Anonymous();
        var id = await ReportAsync(reporter, "A102", "Lighting", urgent: false);

        var report = Assert.Single(activities, a => a.OperationName == "ticket report" && Equals(a.GetTagItem("dispatchboard.ticket"), id));
        var request = Assert.Single(activities, a => a.SpanId == report.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", request.Source.Name);
        Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", request.OperationName);
        var commit = Assert.Single(activities, a => a.OperationName == "ticket report commit" && a.ParentSpanId == report.SpanId);
        var publish = Assert.Single(activities, a => a.OperationName == "board publish" && a.ParentSpanId == report.SpanId);
        Assert.All(new[] { request, commit, publish }, a => Assert.Equal(report.TraceId, a.TraceId));
        Assert.True(commit.StartTimeUtc + commit.Duration <= publish.StartTimeUtc, "The publish comes after the commit");
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_ForAnAdmin_NotForOthers()
    {
        using var anonymous = factory.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var staff = await factory.SignedInAsync("staff1");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/metrics")).StatusCode);

        using var reporter = factory.Anonymous();
        await ReportAsync(reporter, "A102", "Furniture", urgent: false);
        using var admin = await factory.SignedInAsync("admin");
        // The exporter serves what its reader collected last; a few seconds at most.
        string text = "";
        for (var i = 0; i < 40 && !text.Contains("dispatchboard_reports_received", StringComparison.Ordinal); i++)
        {
            var response = await admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
            text = await response.Content.ReadAsStringAsync();
            if (!text.Contains("dispatchboard_reports_received", StringComparison.Ordinal))
            {
                await Task.Delay(250);
            }
        }
        Assert.Contains("# TYPE dispatchboard_reports_received_total counter", text);
        Assert.Contains("channel=\"Api\"", text);
        Assert.Contains("dispatchboard_hub_connections", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Theory]
    [InlineData("10.0.0.7", new[] { "10.0.0.0/24" }, true)]
    [InlineData("10.0.1.7", new[] { "10.0.0.0/24" }, false)]
    [InlineData("192.168.1.5", new[] { "192.168.1.5" }, true)]
    [InlineData("::ffff:192.168.1.5", new[] { "192.168.1.5" }, true)]
    [InlineData("192.168.1.5", new string[0], false)]
    public void ScraperAddresses_AreMatchedByAddressOrNetwork(string address, string[] allowed, bool expected) =>
        Assert.Equal(expected, DispatchBoard.Web.Hosting.Telemetry.IsAllowed(IPAddress.Parse(address), allowed));

    [Fact]
    public async Task SystemPage_ShowsAFailingSmtpServerWithinAMinute_AndTheBannerIsOnEveryAdminPage()
    {
        using var admin = await factory.SignedInAsync("admin");
        var page = await admin.GetStringAsync("/admin/system");
        Assert.Contains("data-testid=\"system-version\"", page);
        Assert.Contains("data-testid=\"system-jobs\"", page);
        Assert.DoesNotContain("data-testid=\"attention-email\"", page);

        factory.StopSmtp();
        var watch = Stopwatch.StartNew();
        while (!page.Contains("data-testid=\"attention-email\"", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(500);
            page = await admin.GetStringAsync("/admin/system");
        }
        Assert.Contains("data-testid=\"attention-email\"", page);
        Assert.Contains($"127.0.0.1:{factory.SmtpPort}", page);
        Assert.Contains("cannot be reached (Email:Smtp:Host, Email:Smtp:Port)", page);

        var areas = await admin.GetStringAsync("/admin/areas");
        Assert.Contains("data-testid=\"attention-banner\"", areas);
        Assert.Contains("href=\"/admin/system\"", areas);
        using var dispatcher = await factory.SignedInAsync("dispatcher");
        Assert.DoesNotContain("attention-banner", await dispatcher.GetStringAsync("/board"));
    }
}

/// <summary>The app with an OpenTelemetry collector to send to (a listener standing in for one, OTLP over HTTP).</summary>
public sealed class OtlpFactory : DispatchBoardFactory
{
    public FakeCollector Collector { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:OtlpEndpoint", Collector.Address);
        builder.UseSetting("Telemetry:OtlpProtocol", "HttpProtobuf");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Collector.Dispose();
    }
}

/// <summary>Takes OTLP/HTTP posts on a free loopback port and counts them by path; answers 200 as a collector does.</summary>
public sealed class FakeCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Path, long Bytes)> _received = new();

    public FakeCollector()
    {
        Address = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Address { get; }

    public IReadOnlyList<(string Path, long Bytes)> Received => _received.ToList();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, body.Length));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

/// <summary>With Telemetry:OtlpEndpoint set, a report's trace and the metrics reach the collector.</summary>
public sealed class OtlpExportTests(OtlpFactory factory) : IClassFixture<OtlpFactory>
{
    [Fact]
    public async Task AReport_ReachesTheCollector_AsTracesAndMetrics()
    {
        using var reporter = factory.Anonymous();
        var response = await reporter.PostAsJsonAsync("/api/tickets", new { areaCode = "A102", category = "Furniture", description = "OTLP: a wobbly desk" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // The trace exporter sends in batches (every 5 s); the metric reader on its interval, and at the latest when the host stops.
        var watch = Stopwatch.StartNew();
        while (!factory.Collector.Received.Any(r => r.Path == "/v1/traces") && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }
        Assert.Contains(factory.Collector.Received, r => r.Path == "/v1/traces" && r.Bytes > 0);
        var meters = factory.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
        Assert.True(await Task.Run(() => OpenTelemetry.Metrics.MeterProviderExtensions.ForceFlush(meters, 10_000)), "The metrics were not sent within 10 s");
        Assert.Contains(factory.Collector.Received, r => r.Path == "/v1/metrics" && r.Bytes > 0);
    }

    [Theory]
    [InlineData("http://collector:4318", "HttpProtobuf", "traces", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/otlp/", "HttpProtobuf", "metrics", "http://collector:4318/otlp/v1/metrics")]
    [InlineData("http://collector:4318/v1/traces", "HttpProtobuf", "traces", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4317", "Grpc", "traces", "http://collector:4317/")]
    public void OtlpAddresses_GetTheSignalsPathOverHttpOnly(string endpoint, string protocol, string signal, string expected) =>
        Assert.Equal(expected, DispatchBoard.Web.Hosting.Telemetry.Signal(new Uri(endpoint), Enum.Parse<OpenTelemetry.Exporter.OtlpExportProtocol>(protocol), signal).ToString());
}
