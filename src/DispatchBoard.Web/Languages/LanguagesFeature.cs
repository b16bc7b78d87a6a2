using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// Each request is read and answered in its person's language: a signed-in person's account language (a claim of their
/// sign-in cookie), else the one chosen with the language switch on this browser (a cookie), else the browser's
/// (Accept-Language, <c>zh-CN</c> finding <c>zh-Hans</c>), else the school's (<c>School:DefaultCulture</c>). Dates and
/// numbers follow the same culture. A page's circuit keeps the culture of the request that started it, so the switch
/// reloads the page. What is sent to a person (alerts, e-mails, calendar entries) is in their account language:
/// <see cref="RecipientLanguages"/>.
/// </summary>
public static class LanguagesFeature
{
    public const string SwitchPath = "/language";

    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.TryAddSingleton<RecipientLanguages>();
        services.TryAddSingleton<SchoolLanguage>();
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<SchoolOptions>>((options, school) =>
        {
            var supported = AppLanguages.Supported.ToList();
            options.SupportedCultures = supported;
            options.SupportedUICultures = supported;
            options.DefaultRequestCulture = new RequestCulture(AppLanguages.Find(school.Value.DefaultCulture) ?? supported[0]);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
                [new AccountCultureProvider(), new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        // Pages carry Chinese as characters, not as one "&#x6211;" entity per character (the default encoder's choice
        // outside Latin): a third of the bytes. Markup characters (<, >, &, quotes) are still encoded.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return services;
    }

    /// <summary>
    /// The language switch: <c>GET /language/zh-Hans?back=/report</c> keeps the choice on this browser for a year and, for
    /// a signed-in person, on their account (so their other devices and what is sent to them follow), then goes back.
    /// A GET, like the links it serves: another site could send someone here, which changes nothing but the language they
    /// read, and they change it back from any page's header.
    /// </summary>
    public static IEndpointRouteBuilder MapLanguageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(SwitchPath + "/{name}", async (string name, string? back, HttpContext http, UserManager<AppUser> users, SignInManager<AppUser> signIn) =>
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
            // A person's account (not a paired office screen's sign-in, which has none): stored, and this browser's sign-in
            // cookie issued again with the new language in it. Their other sign-ins take it up at their next check.
            if (Actor.From(http.User) is { } actor && http.User.IsInRole(Roles.Display) is false
                && await users.FindByIdAsync(actor.UserId) is { } user && user.Culture != culture.Name)
            {
                user.Culture = culture.Name;
                var saved = await users.UpdateAsync(user);
                if (!saved.Succeeded)
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Language not saved"],
                        detail: L["Your language could not be saved on your account: {0}", string.Join(" ", saved.Errors.Select(e => e.Description))]);
                }
                await signIn.RefreshSignInAsync(user);
            }
            return Results.LocalRedirect(IsLocal(back) ? back! : "/");
        }).AllowAnonymous().ExcludeFromDescription();
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
