using System.Text.Json.Serialization;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Backups;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Displays;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Operations;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Reminders;
using DispatchBoard.Web.ReporterMail;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Hosting;

public static class DispatchBoardServices
{
    public static WebApplicationBuilder AddDispatchBoard(this WebApplicationBuilder builder)
    {
        builder.Services.AddDispatchOptions(builder.Environment.IsProduction());
        // First hosted service: the schema is current (and the old key folder imported) before jobs or requests touch it,
        // and before data protection's own hosted service first reads the key ring from the database.
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddDispatchData();
        builder.Services.AddDispatchCore();
        builder.Services.AddDispatchHealth();
        builder.AddAuth();
        builder.AddRealtime();
        builder.AddJobs();
        builder.AddUi();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiDocs();
        builder.AddDispatchTelemetry();
        builder.Services.AddDispatchSecurityHeaders();
        builder.Services.AddTransport();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A number is a JSON number: "5" for 5 is refused as a wrong type, and the OpenAPI document says "integer"
            // instead of "integer or a string of digits" (the web defaults read numbers from strings).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        return builder;
    }

    /// <summary>
    /// The database: one short-lived context per operation, on SQLite or PostgreSQL (<c>Database:Provider</c>). The provider
    /// and connection string are read when the first context is made, so hosts and tests can set them up to that moment. Contexts are pooled: setting up a new
    /// one's internal services costs more than the short queries most operations make (measured on the reminder sweep,
    /// which opens a context every minute).
    /// </summary>
    public static IServiceCollection AddDispatchData(this IServiceCollection services)
    {
        // Set by DatabaseInitializer once the schema is current and seeded; read by /health/ready.
        services.AddSingleton<StartupState>();
        // The hot write transactions (reports, ticket changes) take turns in the process on SQLite; see WriteTurns.
        services.AddSingleton<WriteTurns>();
        // SQLite or PostgreSQL (Database:Provider), decided when the first context is made; see DispatchDbContextFactory.
        services.AddSingleton<IDbContextFactory<DispatchDbContext>, DispatchDbContextFactory>();
        // Identity's stores and the key ring take a context per scope; disposing it returns it to the pool.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContext());
        services.AddSingleton<Tickets.TicketTimings>();
        services.AddScoped<DemoSeed>();
        // Sign-in cookies must survive a restart and work on every instance: the key ring is in the database (encrypted when configured).
        services.AddDispatchKeyRing();
        return services;
    }

    /// <summary>
    /// The features, each registering its own services, settings and jobs; shared by the app, the tests and the
    /// benchmarks. Read it as the table of contents of the app.
    /// </summary>
    public static IServiceCollection AddDispatchCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SchoolClock>();
        // Realtime:Redis set: events, revocations and rate-limit counts go through Redis to every instance.
        services.AddSingleton<RealtimeRedis>();
        services.AddSingleton<RedisBoardTransport>();
        services.AddSingleton(sp => new DispatchNotifier(sp.GetRequiredService<ILogger<DispatchNotifier>>(),
            sp.GetRequiredService<RealtimeRedis>().IsConfigured ? sp.GetRequiredService<RedisBoardTransport>() : null));
        services.AddSingleton<SharedCounters>();
        services.AddMetrics();
        services.AddSingleton<DispatchMetrics>();
        // Who is connected (the system page, the gauges): hub connections and live pages, whatever hosts the components.
        services.AddSingleton<HubSessions>();
        services.AddSingleton<LiveScreens>();
        return services
            .AddAccessControl()
            .AddAudit()
            .AddAreas()
            .AddStaff()
            .AddDisplays()
            .AddTickets()
            .AddPhotos()
            .AddEscalations()
            .AddNotifications()
            .AddPush()
            .AddCalendar()
            .AddInspections()
            .AddMeetings()
            .AddReminders()
            .AddReporterMail()
            .AddPlanning()
            .AddReports()
            .AddBackups()
            .AddOperations();
    }

    public static IdentityBuilder AddDispatchIdentity(this IServiceCollection services)
    {
        // No lockout on wrong passwords (anyone could keep a person locked out): SignInThrottle slows guessing instead.
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SecurityStamps>();
        return services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
            })
            .AddUserManager<DispatchUserManager>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DispatchDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
    }

    /// <summary>
    /// Where the app keeps its files: the folder of the SQLite database (data/ by default); on PostgreSQL
    /// <c>Database:DataFolder</c> (relative to the content root), data/ when unset.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        if (DatabaseOptions.From(configuration) == DatabaseProvider.Postgres)
        {
            return Path.Combine(environment.ContentRootPath, configuration[DatabaseOptions.DataFolderSetting] is { Length: > 0 } folder ? folder : "data");
        }
        return Path.GetDirectoryName(new SqliteConnectionStringBuilder(SqliteConnectionString(configuration, environment)).DataSource)
            ?? Path.Combine(environment.ContentRootPath, "data");
    }

    internal static string SqliteConnectionString(IConfiguration configuration, IHostEnvironment environment)
    {
        var sqlite = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Dispatch") ?? "Data Source=data/dispatch.db");
        if (sqlite.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
        {
            // Relative paths are relative to the app's content root, whatever directory it was started from.
            sqlite.DataSource = Path.Combine(environment.ContentRootPath, file);
        }
        if (Path.GetDirectoryName(sqlite.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, 30);
        return sqlite.ToString();
    }

    /// <summary>The school-wide settings, bound and validated at start (each feature adds its own): a bad value stops the app at boot.</summary>
    public static IServiceCollection AddDispatchOptions(this IServiceCollection services, bool isProduction)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SchoolOptions>().BindConfiguration(SchoolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Redis) || RealtimeRedis.IsValid(o.Redis),
                "Realtime:Redis is not a StackExchange.Redis configuration string (e.g. 127.0.0.1:6379).")
            .ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => !(isProduction && o.Seed && string.IsNullOrEmpty(o.Password)),
                "Demo:Seed is refused in Production without an explicit Demo:Password.")
            .Validate(o => !o.Seed || !string.IsNullOrEmpty(o.Password),
                "Demo:Seed is on but Demo:Password is empty: set the demo users' password.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Culture) || Languages.AppLanguages.Find(o.Culture) is not null,
                $"Demo:Culture is not a language of this app; use one of {Languages.AppLanguages.Names}, or leave it empty for English.")
            .ValidateOnStart();
        return services;
    }

    private static void AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddDispatchIdentity();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "DispatchBoard.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(14);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ctx.Request.Path.StartsWithSegments("/board/tv")
                // The office TV is a paired screen, not a person: no password form on it, but the way to pair it again.
                ? RedirectTo(ctx, "/pair?unpaired=true")
                : ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized, "Sign in first.");
            o.Events.OnValidatePrincipal = async ctx =>
            {
                // A deactivated account or a revoked display loses access on its very next request, whatever its cookie says.
                var guard = ctx.HttpContext.RequestServices.GetRequiredService<AccessGuard>();
                var userId = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
                if (!await guard.IsAllowedAsync(userId, ctx.HttpContext.RequestAborted))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                if (DisplayPrincipal.IsDisplay(ctx.Principal))
                {
                    // A display has no user row (nor security stamp): the guard above is its check.
                    if (int.TryParse(ctx.Principal!.FindFirstValue(DisplayPrincipal.DisplayIdClaim), out var displayId))
                    {
                        await ctx.HttpContext.RequestServices.GetRequiredService<DisplayService>().SeenAsync(displayId, ctx.HttpContext.RequestAborted);
                    }
                    return;
                }
                // A cookie from before a role change takes the new roles on its next request, not after the stamp interval.
                if (await guard.RefreshRolesAsync(ctx))
                {
                    return;
                }
                // A sign-out, "sign out everywhere" or a new password changes the stamp: every older cookie ends here.
                var stamps = ctx.HttpContext.RequestServices.GetRequiredService<SecurityStamps>();
                var stampClaim = ctx.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
                if (userId is null || !await stamps.IsCurrentAsync(userId, ctx.Principal!.FindFirstValue(stampClaim), ctx.HttpContext.RequestAborted))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(ctx);
            };
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden, "Your role does not allow this.");
        });
        var person = new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
            .RequireAssertion(c => !c.User.IsInRole(Roles.Display)).Build();
        builder.Services.AddAuthorizationBuilder()
            // RequireAuthorization() and [Authorize] without a policy mean "a signed-in person", never a paired display.
            .SetDefaultPolicy(person)
            .AddPolicy(Policies.Person, person)
            .AddPolicy(Policies.Tv, p => p.RequireRole(Roles.Dispatcher, Roles.Staff, Roles.Admin, Roles.Display))
            .AddPolicy(Policies.Board, p => p.RequireRole(Roles.Dispatcher, Roles.Staff, Roles.Admin))
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Dispatcher, Roles.Admin))
            .AddPolicy(Policies.StaffMember, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Principal, p => p.RequireRole(Roles.Principal))
            .AddPolicy(Policies.Reports, p => p.RequireRole(Roles.Dispatcher, Roles.Principal, Roles.Admin))
            .AddPolicy(Policies.TicketReader, p => p.RequireRole(Roles.Dispatcher, Roles.Staff, Roles.Admin, Roles.Principal));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, DispatchAuthenticationStateProvider>();
    }

    private static Task RedirectTo(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, string path)
    {
        ctx.Response.Redirect(path);
        return Task.CompletedTask;
    }

    /// <summary>Browsers are sent to the login page; API and hub clients get a problem document instead of a redirect.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status, string detail)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/openapi") || path.StartsWithSegments(Telemetry.MetricsPath))
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
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<LiveScreens>());
        builder.Services.AddHostedService<HubBridge>();
        builder.Services.AddSingleton<HubWarmUp>();
        // Decided while registering (the backplane replaces the hub's lifetime manager), from the builder's configuration.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{RealtimeOptions.Section}:{nameof(RealtimeOptions.Redis)}"]))
        {
            // Clients.User and Clients.All reach the hub clients of every instance, over the one shared connection; while
            // Redis is down, this instance's own clients (ResilientHubLifetimeManager).
            builder.Services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>().Configure<RealtimeRedis>((o, redis) =>
                o.ConnectionFactory = _ => Task.FromResult<StackExchange.Redis.IConnectionMultiplexer>(redis.Multiplexer));
            builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<DispatchHub>>();
            builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.DefaultHubLifetimeManager<DispatchHub>>();
            builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<DispatchHub>, ResilientHubLifetimeManager<DispatchHub>>();
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: [Health.Ready]);
        }
    }

    private static void AddJobs(this WebApplicationBuilder builder)
    {
        // This host's own storage: Hangfire's default registration hands out the process-wide JobStorage.Current, which
        // two hosts in one process (tests, two instances side by side) would overwrite for each other.
        static IGlobalConfiguration Serialization(IGlobalConfiguration c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            // Whatever resolves the storage first (a job client, the server) finds the serializer settings in place.
            Serialization(GlobalConfiguration.Configuration).UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()));
            var configuration = sp.GetRequiredService<IConfiguration>();
            if (DatabaseOptions.From(configuration) == DatabaseProvider.Postgres)
            {
                // Shared by every instance (its own schema in the app's database): a recurring job runs once across them.
                // It installs its schema as it is made: instances starting at once take turns (StartupLock.JobsKey).
                var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
                var connectionString = DatabaseOptions.PostgresConnectionString(configuration);
                return StartupLock.WhileHolding(connectionString, StartupLock.JobsKey,
                    () => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options));
            }
            return new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });
        });
        // The job server's activator is this host's own too (AddHangfire's default reads the process-wide JobActivator.Current,
        // which another host starting at the same moment may have just set to its own).
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((sp, c) => Serialization(c)
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        // Decided while registering, so read from the builder's configuration (a host's or a test's settings are in it by now).
        if (!builder.Configuration.GetValue($"{JobsOptions.Section}:{nameof(JobsOptions.Enabled)}", defaultValue: true))
        {
            return;
        }
        builder.Services.AddHostedService<JobRegistrar>();
        builder.Services.AddSingleton<JobMetricsFilter>();
        builder.Services.AddHangfireServer((sp, o) =>
        {
            o.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount;
            // This server's runs are counted by this host's meter (the process-wide GlobalJobFilters would count one
            // host's runs on another's, with two hosts in one process).
            var own = new Hangfire.Common.JobFilterCollection();
            own.Add(sp.GetRequiredService<JobMetricsFilter>());
            o.FilterProvider = new Hangfire.Common.JobFilterProviderCollection(Hangfire.Common.JobFilterProviders.Providers, own);
        });
    }

    private static void AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddLanguages();
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.PreventDuplicates = false;
            o.SnackbarConfiguration.VisibleStateDuration = 6000;
            o.SnackbarConfiguration.ShowCloseIcon = true;
            o.SnackbarConfiguration.ShowTransitionDuration = 250;
            o.SnackbarConfiguration.HideTransitionDuration = 250;
        });
        // MudBlazor's own words in the reader's language (after AddMudServices, which registers its English one).
        builder.Services.Replace(ServiceDescriptor.Transient<MudLocalizer, Languages.MudComponentsText>());
    }
}
