using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// Cross-site request forgery, refused by what the browser says about where a request comes from (Fetch Metadata and
/// Origin). SameSite=Lax keeps the cookie off requests from other sites, but not from other hosts of the same site (any
/// <c>*.school.example</c>): a signed-in person's browser must not change anything because another page asked it to.
/// Requests without these headers are not from a browser's page (scripts, integrations) and carry their own credentials.
/// </summary>
public static class CrossSiteRequests
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var school = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.SchoolOptions>>().Value;
        if (IsRefused(context.Request, context.User.Identity?.IsAuthenticated == true, school.PublicBaseUrl))
        {
            await Hosting.ApiResults.Problem(StatusCodes.Status403Forbidden, L["Refused: from another site"],
                L["This request came from a page of another site. Use DispatchBoard's own pages."]).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// An API write by a signed-in browser from anywhere but this origin, or any hub request from a foreign origin
    /// (a WebSocket is not covered by SameSite or CORS). Sec-Fetch-Site decides where the browser sends it (every current
    /// browser does); otherwise Origin, compared with this request's host and the school's public address (a proxy may
    /// pass the app another host name).
    /// </summary>
    public static bool IsRefused(HttpRequest request, bool signedIn, string? publicBaseUrl)
    {
        var hub = request.Path.StartsWithSegments("/hubs");
        var write = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (!hub && !(write && signedIn && request.Path.StartsWithSegments("/api")))
        {
            return false;
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false; // not a browser's page: a script or an integration, with its own credentials
        }
        return !Uri.TryCreate(origin, UriKind.Absolute, out var from)
            || !(SameOrigin(from, request.Scheme, request.Host.Value)
                || Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var school) && SameOrigin(from, school.Scheme, school.Authority));
    }

    private static bool SameOrigin(Uri origin, string scheme, string? authority) =>
        string.Equals(origin.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Authority, authority, StringComparison.OrdinalIgnoreCase);
}
