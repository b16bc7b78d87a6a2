using System.Text.Json.Serialization;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace DispatchBoard.Web.Hosting;

public static class DispatchBoardServices
{
    public static WebApplicationBuilder AddDispatchBoard(this WebApplicationBuilder builder)
    {
        builder.AddOptionsChecked();
        builder.AddData();
        builder.AddAuth();
        builder.AddRealtime();
        builder.AddJobs();
        builder.AddUi();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SchoolClock>();
        builder.Services.AddSingleton<IntakeRateLimiter>();
        builder.Services.AddSingleton<AreaDirectory>();
        builder.Services.AddSingleton<TicketService>();
        builder.Services.AddSingleton<StaffService>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        return builder;
    }

    private static void AddOptionsChecked(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchoolOptions>().BindConfiguration(SchoolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => !o.Seed || !string.IsNullOrEmpty(o.Password),
                "Demo:Seed is on but Demo:Password is empty: set the demo users' password.")
            .Validate(o => !(production && o.Seed && string.IsNullOrEmpty(o.Password)),
                "Demo:Seed is refused in Production without an explicit Demo:Password.")
            .ValidateOnStart();
    }

    private static void AddData(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Dispatch") ?? "Data Source=data/dispatch.db";
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (sqlite.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
        {
            // Relative paths are relative to the app's content root, whatever directory it was started from.
            sqlite.DataSource = Path.Combine(builder.Environment.ContentRootPath, file);
        }
        if (Path.GetDirectoryName(sqlite.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, 30);

        builder.Services.AddDbContextFactory<DispatchDbContext>(o => o
            .UseSqlite(sqlite.ToString())
            .AddInterceptors(new SqlitePragmas()));
        builder.Services.AddScoped<DemoSeed>();
        // First hosted service: the schema is current before jobs or requests touch it.
        builder.Services.AddHostedService<DatabaseInitializer>();
    }

    private static void AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Lockout.MaxFailedAccessAttempts = 8;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DispatchDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "DispatchBoard.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(14);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized, "Sign in first.");
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden, "Your role does not allow this.");
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Board, p => p.RequireRole(Roles.Dispatcher, Roles.Staff, Roles.Admin))
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Dispatcher, Roles.Admin))
            .AddPolicy(Policies.StaffMember, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        builder.Services.AddCascadingAuthenticationState();
    }

    /// <summary>Browsers are sent to the login page; API and hub clients get a problem document instead of a redirect.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status, string detail)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            ctx.Response.StatusCode = status;
            return ctx.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Not signed in" : "Not allowed",
                Detail = detail,
            }, options: null, contentType: "application/problem+json");
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static void AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DispatchNotifier>();
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddHostedService<HubBridge>();
    }

    private static void AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long }));
        builder.Services.AddHangfireServer((sp, o) => o.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount);
    }

    private static void AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.PreventDuplicates = false;
            o.SnackbarConfiguration.VisibleStateDuration = 6000;
            o.SnackbarConfiguration.ShowCloseIcon = true;
        });
    }
}
