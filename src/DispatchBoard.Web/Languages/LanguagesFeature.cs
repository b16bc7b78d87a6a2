using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// Each request is read and answered in its person's language: the one they chose with the language switch (a cookie),
/// else their browser's (Accept-Language, <c>zh-CN</c> finding <c>zh-Hans</c>), else the school's
/// (<c>School:DefaultCulture</c>). Dates and numbers follow the same culture. A page's circuit keeps the culture of the
/// request that started it, so the switch reloads the page.
/// </summary>
public static class LanguagesFeature
{
    public const string SwitchPath = "/language";

    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<SchoolOptions>>((options, school) =>
        {
            var supported = AppLanguages.Supported.ToList();
            options.SupportedCultures = supported;
            options.SupportedUICultures = supported;
            options.DefaultRequestCulture = new RequestCulture(AppLanguages.Find(school.Value.DefaultCulture) ?? supported[0]);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        // Pages carry Chinese as characters, not as one "&#x6211;" entity per character (the default encoder's choice
        // outside Latin): a third of the bytes. Markup characters (<, >, &, quotes) are still encoded.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return services;
    }

    /// <summary>The language switch: <c>GET /language/zh-Hans?back=/report</c> keeps the choice for a year and goes back.</summary>
    public static IEndpointRouteBuilder MapLanguageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(SwitchPath + "/{name}", (string name, string? back, HttpContext http) =>
        {
            if (AppLanguages.Find(name) is not { } culture)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Unknown language"],
                    detail: L["'{0}' is not a language of this app; use one of {1}.", name.Length > 40 ? TextCut.Head(name, 40) + "…" : name, AppLanguages.Names]);
            }
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    IsEssential = true,
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = http.Request.IsHttps,
                });
            return Results.LocalRedirect(IsLocal(back) ? back! : "/");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The address to switch to <paramref name="culture"/> and come back to <paramref name="back"/> (a path of this app).</summary>
    public static string SwitchTo(CultureInfo culture, string back) =>
        $"{SwitchPath}/{culture.Name}?back={Uri.EscapeDataString(back)}";

    // A path of this app only: "/x", not "//host" or "/\host" (which browsers read as another site), and nothing a
    // Location header cannot carry (a line break).
    private static bool IsLocal(string? back) =>
        back is { Length: > 0 } && back[0] == '/' && (back.Length == 1 || (back[1] != '/' && back[1] != '\\')) && !back.Any(char.IsControl);
}
