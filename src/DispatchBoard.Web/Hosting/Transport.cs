using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The reverse proxies (nginx, a load balancer) whose X-Forwarded-For and X-Forwarded-Proto the app believes. Nobody else's:
/// with neither list set the headers are ignored and the TCP peer is the client.
/// </summary>
public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>Addresses of trusted proxies, e.g. "127.0.0.1" for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. "10.0.5.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Network:KnownProxies '{proxy}' is not an IP address (e.g. 127.0.0.1 or ::1).", [nameof(KnownProxies)]);
        }
        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"Network:KnownNetworks '{network}' is not a network in CIDR form (e.g. 10.0.5.0/24).", [nameof(KnownNetworks)]);
        }
    }
}

/// <summary>
/// How the app sits behind TLS: the client's real address and scheme from trusted proxies only, and when the school's
/// address (School:PublicBaseUrl) is https, cookies that never travel over plain http and HSTS so browsers never try.
/// </summary>
public static class Transport
{
    public static IServiceCollection AddTransport(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((o, network) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the framework's default (loopback) is dropped so that trust is always a decision.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var range in network.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(range));
            }
            // Walk X-Forwarded-For from the right while the hop is a trusted proxy; the first untrusted hop is the client.
            o.ForwardLimit = null;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<IOptions<SchoolOptions>>((o, school) => o.Cookie.SecurePolicy = CookiePolicyFor(school.Value));
        services.AddOptions<AntiforgeryOptions>()
            .PostConfigure<IOptions<SchoolOptions>>((o, school) => o.Cookie.SecurePolicy = CookiePolicyFor(school.Value));
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // Other hosts of the school's domain may still be plain http: this host only.
            o.IncludeSubDomains = false;
        });
        return services;
    }

    /// <summary>First in the pipeline: every later step (limits, logs, HSTS, the cross-site guard) sees the real client.</summary>
    public static WebApplication UseTransport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }
        if (IsHttps(app.Services.GetRequiredService<IOptions<SchoolOptions>>().Value))
        {
            // Sent on https requests only (the scheme the proxy forwarded), never for localhost.
            app.UseHsts();
        }
        return app;
    }

    public static bool IsHttps(SchoolOptions school) =>
        Uri.TryCreate(school.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps;

    private static CookieSecurePolicy CookiePolicyFor(SchoolOptions school) =>
        IsHttps(school) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}
