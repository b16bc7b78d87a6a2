using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Data;

/// <summary>
/// Runs before anything else starts (it is the first hosted service): applies migrations, imports the sign-in keys of
/// the old key folder (<see cref="KeyRingImport"/>), makes sure the roles exist,
/// creates the first administrator when configured, seeds the demo school when asked to, the default safety checklist,
/// and the meeting series and semesters named in configuration. On PostgreSQL all of it runs under a database-wide
/// advisory lock (<see cref="StartupLock"/>), so two instances never migrate or seed at the same time.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<BootstrapOptions> bootstrap,
    IOptions<DemoOptions> demo,
    IOptions<SchoolOptions> school,
    StartupState startup,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // Instances starting at once against one PostgreSQL database take turns: the first migrates and seeds, the
        // others wait and then find nothing to do. (SQLite is one file of one server.)
        await using var turn = await StartupLock.TakeAsync(services.GetRequiredService<IDbContextFactory<DispatchDbContext>>(), logger, cancellationToken);
        await using (var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            }
            await db.Database.MigrateAsync(cancellationToken);
        }
        // The sign-in keys of the old data/keys folder, once, before the key ring is first read.
        await services.GetRequiredService<KeyRingImport>().ImportAsync(cancellationToken);

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await CreateFirstAdminAsync(services.GetRequiredService<UserManager<AppUser>>());

        await using (var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            // In the school's language; a demo school's in the demo's (Demo:Culture).
            var language = (demo.Value.Seed ? Languages.AppLanguages.Find(demo.Value.Culture) : null) ?? Languages.SchoolLanguage.Of(school.Value);
            await ChecklistDefaults.SeedAsync(db, language, cancellationToken);
        }
        await services.GetRequiredService<SemesterService>().SyncConfigurationAsync(cancellationToken);
        await services.GetRequiredService<CalendarPeriods>().SyncConfigurationAsync(cancellationToken);
        await services.GetRequiredService<MeetingScheduler>().SyncConfigurationAsync(cancellationToken);

        if (demo.Value.Seed)
        {
            await services.GetRequiredService<DemoSeed>().SeedAsync(demo.Value.Password!, cancellationToken);
        }
        // A host without the hub (the service tests') has nothing more to warm.
        if (await services.GetRequiredService<Tickets.TicketIntake>().WarmUpAsync(logger, cancellationToken) is { } sample)
        {
            services.GetService<Realtime.HubWarmUp>()?.Warm(sample);
        }
        startup.MarkDatabaseReady();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateFirstAdminAsync(UserManager<AppUser> users)
    {
        var (email, password) = (bootstrap.Value.AdminEmail, bootstrap.Value.AdminPassword);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)
            || (await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }
        var admin = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Bootstrap:AdminPassword was refused: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        await users.AddToRoleAsync(admin, Roles.Admin);
        logger.FirstAdministratorCreated(email);
    }
}
