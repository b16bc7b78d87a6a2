using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Localization;

namespace DispatchBoard.Web.Languages;

/// <summary>A signed-in person's account language, from their sign-in cookie (no database read per request).</summary>
public sealed class AccountCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Task.FromResult(httpContext.User.FindFirst(Actor.CultureClaim)?.Value is { Length: > 0 } name && AppLanguages.Find(name) is { } culture
            ? new ProviderCultureResult(culture.Name)
            : null);
}
