using System.Net;
using System.Reflection;
using DispatchBoard.Web.Auth;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DispatchBoard.Web.Hosting;

/// <summary>Where the app's metrics and traces go (section <c>Telemetry</c>); nothing is exported until one is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>An OpenTelemetry collector (e.g. <c>http://otel-collector:4317</c>): metrics and traces are sent there over OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTLP over gRPC (default, port 4317) or HTTP/protobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Serve the metrics as Prometheus text at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Who may read <c>/metrics</c> without signing in: addresses or networks (<c>10.0.0.5</c>, <c>10.0.0.0/24</c>),
    /// e.g. the Prometheus server. An admin signed in may always read it.
    /// </summary>
    public string[] MetricsAllowedFrom { get; set; } = [];

    /// <summary>The service name the collector files everything under.</summary>
    public string ServiceName { get; set; } = "dispatchboard";
}

/// <summary>
/// OpenTelemetry for the app: the domain meter (<see cref="DispatchMetrics"/>), ASP.NET Core's and Kestrel's meters,
/// SignalR's and Blazor's, HTTP client and .NET runtime metrics; traces of requests, outgoing HTTP (push services) and the
/// app's own spans (<see cref="DispatchTracing"/>). Registered only when an exporter is configured: with none, the SDK
/// would collect for no one (the domain meter still works for tests and in-process listeners).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";
    public const string MetricsPolicy = "metrics-reader";

    public static void AddDispatchTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _),
                "Telemetry:OtlpEndpoint is not an absolute URL (e.g. http://otel-collector:4317).")
            .Validate(o => o.MetricsAllowedFrom.All(a => TryNetwork(a, out _)),
                "Telemetry:MetricsAllowedFrom holds an entry that is not an address or a network (e.g. 10.0.0.5 or 10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, p => p.RequireAssertion(ctx =>
            ctx.User.IsInRole(Roles.Admin)
            || ctx.Resource is HttpContext http && IsAllowedScraper(http)));

        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) && Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
        if (otlp is null && !options.Prometheus)
        {
            return;
        }
        var version = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceVersion: version, serviceInstanceId: Environment.MachineName))
            .WithMetrics(m =>
            {
                m.AddMeter(DispatchMetrics.MeterName)
                    .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                        "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Server.Circuits", "Microsoft.AspNetCore.Authentication")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.Prometheus)
                {
                    m.AddPrometheusExporter();
                }
                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (Signal(otlp, options.OtlpProtocol, "metrics"), options.OtlpProtocol));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t
                .AddSource(DispatchTracing.SourceName)
                // The circuits' and the hub's long-lived connections are not requests anyone follows; files neither.
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/_blazor") && !http.Request.Path.StartsWithSegments("/_framework")
                    && !http.Request.Path.StartsWithSegments("/hubs") && !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (Signal(otlp, options.OtlpProtocol, "traces"), options.OtlpProtocol)));
        }
    }

    /// <summary>
    /// Where one signal goes: over gRPC the collector's address itself; over HTTP the exporter takes a configured address
    /// as the whole URL, so the signal's path (<c>/v1/traces</c>, <c>/v1/metrics</c>) is added, as the OTLP spec names them.
    /// </summary>
    internal static Uri Signal(Uri endpoint, OtlpExportProtocol protocol, string signal) =>
        protocol != OtlpExportProtocol.HttpProtobuf || endpoint.AbsolutePath.EndsWith($"/v1/{signal}", StringComparison.Ordinal)
            ? endpoint
            : new Uri(endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/') + $"/v1/{signal}");

    /// <summary><c>/metrics</c> when <c>Telemetry:Prometheus</c> is on: for an admin, or a scraper from an allowed address.</summary>
    public static void MapDispatchMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Prometheus)}"))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(MetricsPolicy);
        }
    }

    private static bool IsAllowedScraper(HttpContext http) => IsAllowed(http.Connection.RemoteIpAddress,
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.MetricsAllowedFrom);

    /// <summary>Whether <paramref name="address"/> is one of <paramref name="allowed"/> (addresses or networks).</summary>
    internal static bool IsAllowed(IPAddress? address, IReadOnlyCollection<string> allowed)
    {
        if (address is null || allowed.Count == 0)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return allowed.Any(a => TryNetwork(a, out var network) && network.Contains(address));
    }

    private static bool TryNetwork(string text, out IPNetwork network)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return IPNetwork.TryParse(text, out network);
    }
}
