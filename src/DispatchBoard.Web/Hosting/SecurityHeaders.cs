using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NetEscapades.AspNetCore.SecurityHeaders.Headers.ContentSecurityPolicy;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The security headers every response carries (NetEscapades.AspNetCore.SecurityHeaders): a CSP that Blazor Server and
/// MudBlazor work under, no framing, no sniffing, no referrer beyond the site, no powerful features the app does not use.
/// Two places get a policy of their own: the offline page (its inline CSS and script are allowed by hash) and the
/// admin-only Hangfire dashboard (inline scripts), so the app's own policy never has to be loosened for them.
/// </summary>
public static partial class SecurityHeaders
{
    public const string HangfirePolicy = "hangfire";
    private const string OfflinePolicy = "offline";
    public const string OfflinePage = "/offline.html";
    private const string AccountLinkPolicy = "account-link";
    private const string AccountLinkPage = "/account/set-password";

    public static IServiceCollection AddDispatchSecurityHeaders(this IServiceCollection services) =>
        services.AddSecurityHeaderPolicies((policies, sp) =>
        {
            var circuit = CircuitSocketOrigin(sp.GetRequiredService<IOptions<SchoolOptions>>().Value.PublicBaseUrl);
            var offline = OfflinePageHashes(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", OfflinePage.TrimStart('/')));

            policies.SetDefaultPolicy(p => p.AddCommonHeaders().AddContentSecurityPolicy(csp =>
            {
                csp.AddCommonDirectives(circuit);
                // Blazor's import map (<ImportMap> in App.razor) is the one inline script; it carries this response's nonce.
                csp.AddScriptSrc().Self().WithNonce();
                // 'unsafe-inline' for styles only because MudBlazor sets inline style attributes (popover positions,
                // progress widths, drawer sizes) and Blazor applies them with setAttribute("style").
                csp.AddStyleSrc().Self().UnsafeInline();
            }));

            // The service worker serves this page from its cache with the headers it was cached with, so this policy is
            // the one it runs under offline. Its inline <style> and <script> are allowed by hash, computed at start
            // from the file itself: an edit to the page cannot fall out of step with its policy.
            policies.AddPolicy(OfflinePolicy, p => p.AddCommonHeaders().AddContentSecurityPolicy(csp =>
            {
                csp.AddCommonDirectives(circuit);
                csp.AddScriptSrc().Self().WithHash256(offline.Script);
                csp.AddStyleSrc().Self().WithHash256(offline.Style);
            }));

            // Hangfire's dashboard (admins only) writes inline scripts and styles it cannot be told to nonce.
            policies.AddPolicy(HangfirePolicy, p => p.AddCommonHeaders().AddContentSecurityPolicy(csp =>
            {
                csp.AddCommonDirectives(circuit);
                csp.AddScriptSrc().Self().UnsafeInline();
                csp.AddStyleSrc().Self().UnsafeInline();
            }));

            // The API reference (signed-in staff): Scalar's page starts itself with an inline script.
            policies.AddPolicy(ApiDocs.ScalarPolicy, p => p.AddCommonHeaders().AddContentSecurityPolicy(csp =>
            {
                csp.AddCommonDirectives(circuit);
                csp.AddScriptSrc().Self().UnsafeInline();
                csp.AddStyleSrc().Self().UnsafeInline();
            }));

            // The one-time password link's page: its address holds the token, so it is sent to no one as a referrer (not
            // even this site's own requests) and no cache keeps the page.
            policies.AddPolicy(AccountLinkPolicy, p => p.AddCommonHeaders(referrer: false).AddContentSecurityPolicy(csp =>
            {
                csp.AddCommonDirectives(circuit);
                csp.AddScriptSrc().Self().WithNonce();
                csp.AddStyleSrc().Self().UnsafeInline();
            }).AddCustomHeader("Cache-Control", "no-store").AddCustomHeader("Pragma", "no-cache"));

            // The dashboard's endpoint names its policy (WithSecurityHeadersPolicy); the offline page is a static file.
            policies.SetPolicySelector(ctx =>
                ctx.HttpContext.Request.Path.Equals(OfflinePage, StringComparison.OrdinalIgnoreCase) ? ctx.ConfiguredPolicies[OfflinePolicy]
                : ctx.HttpContext.Request.Path.StartsWithSegments(AccountLinkPage, StringComparison.OrdinalIgnoreCase) ? ctx.ConfiguredPolicies[AccountLinkPolicy]
                : ctx.SelectedPolicy);
        });

    private static HeaderPolicyCollection AddCommonHeaders(this HeaderPolicyCollection headers, bool referrer = true) => (referrer
            ? headers.AddReferrerPolicySameOrigin()
            : headers.AddReferrerPolicyNoReferrer())
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
        // The report form's photo input needs no camera permission (the browser's own picker takes the picture);
        // the TV board holds a screen wake lock.
        .AddPermissionsPolicy(features =>
        {
            features.AddCamera().None();
            features.AddMicrophone().None();
            features.AddGeolocation().None();
            features.AddPayment().None();
            features.AddUsb().None();
            features.AddScreenWakeLock().Self();
        });

    private static void AddCommonDirectives(this CspBuilder csp, string? circuitSocket)
    {
        csp.AddDefaultSrc().Self();
        csp.AddImgSrc().Self().Data().Blob();
        csp.AddFontSrc().Self().Data();
        // 'self' covers the circuit's same-origin WebSocket in CSP3 browsers (Chromium, Firefox, Safari 15.4+); the
        // public address's ws(s) origin is named too for older ones.
        var connect = csp.AddConnectSrc().Self();
        if (circuitSocket is not null)
        {
            connect.From(circuitSocket);
        }
        csp.AddFrameAncestors().None();
        csp.AddBaseUri().Self();
        csp.AddFormAction().Self();
        csp.AddObjectSrc().None();
        csp.AddWorkerSrc().Self();
        csp.AddManifestSrc().Self();
    }

    private static string? CircuitSocketOrigin(string publicBaseUrl) =>
        Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var url)
            ? $"{(url.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{url.Authority}"
            : null;

    private static (string Script, string Style) OfflinePageHashes(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The offline page {path} is missing; rebuild the app.");
        }
        var html = File.ReadAllText(path);
        string Hash(Regex element) =>
            Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(element.Match(html).Groups[1].Value)));
        return (Hash(InlineScript()), Hash(InlineStyle()));
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();
}
