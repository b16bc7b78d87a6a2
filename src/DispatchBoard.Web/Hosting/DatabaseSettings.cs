using System.ComponentModel.DataAnnotations;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DispatchBoard.Web.Hosting;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary><c>Database:Provider</c>: SQLite (the embedded default, a file under data/) or PostgreSQL (<c>ConnectionStrings:Dispatch</c>).</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";
    public const string ProviderSetting = Section + ":" + nameof(Provider);
    public const string ConnectionSetting = "ConnectionStrings:Dispatch";

    public const string DataFolderSetting = Section + ":" + nameof(DataFolder);

    public string? Provider { get; set; }

    /// <summary>On PostgreSQL, the folder for the app's files (photos); on SQLite the database file's folder is used.</summary>
    public string? DataFolder { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Problem(Provider) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(Provider)]);
        }
    }

    /// <summary>The provider named in configuration; a value that is neither stops the app with the setting's name.</summary>
    public static DatabaseProvider From(IConfiguration configuration)
    {
        var value = configuration[ProviderSetting];
        if (Problem(value) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        return string.IsNullOrWhiteSpace(value) || value.Trim().Equals(nameof(DatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Sqlite
            : DatabaseProvider.Postgres;
    }

    /// <summary>The PostgreSQL connection string; required when the provider is Postgres.</summary>
    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Dispatch") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException($"{ProviderSetting} is Postgres but {ConnectionSetting} is empty: set it to an Npgsql connection string.");

    private static string? Problem(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || value.Trim().Equals(nameof(DatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase)
        || value.Trim().Equals(nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{ProviderSetting} is '{value}': set it to Sqlite (the default) or Postgres.";
}

/// <summary>
/// Hands out pooled contexts of the configured provider, all typed <see cref="DispatchDbContext"/>. The provider and the
/// connection string are read when the first context is made, so hosts and tests can set them up to that moment.
/// </summary>
internal sealed class DispatchDbContextFactory(IServiceProvider services) : IDbContextFactory<DispatchDbContext>
{
    private readonly Lazy<Func<DispatchDbContext>> _create = new(() => Build(services));

    public DispatchDbContext CreateDbContext() => _create.Value();

    private static Func<DispatchDbContext> Build(IServiceProvider sp)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        var loggers = sp.GetRequiredService<ILoggerFactory>();
        var timings = sp.GetRequiredService<Tickets.TicketTimings>();
        switch (DatabaseOptions.From(configuration))
        {
            case DatabaseProvider.Postgres:
                var postgres = new PooledDbContextFactory<PostgresDispatchDbContext>(WithRegistered(sp, new DbContextOptionsBuilder<PostgresDispatchDbContext>()
                    .UseNpgsql(DatabaseOptions.PostgresConnectionString(configuration))
                    .UseLoggerFactory(loggers)
                    .AddInterceptors(new PostgresWriteTurns(), timings)).Options);
                return postgres.CreateDbContext;
            default:
                var sqlite = new PooledDbContextFactory<DispatchDbContext>(WithRegistered(sp, new DbContextOptionsBuilder<DispatchDbContext>()
                    .UseSqlite(DispatchBoardServices.SqliteConnectionString(configuration, sp.GetRequiredService<IHostEnvironment>()))
                    .UseLoggerFactory(loggers)
                    .AddInterceptors(new SqlitePragmas(), timings)).Options);
                return sqlite.CreateDbContext;
        }
    }

    /// <summary>What hosts and tests add with <c>services.ConfigureDbContext&lt;DispatchDbContext&gt;(…)</c> (interceptors, say), on either provider.</summary>
    private static TBuilder WithRegistered<TBuilder>(IServiceProvider sp, TBuilder builder) where TBuilder : DbContextOptionsBuilder
    {
        foreach (var configuration in sp.GetServices<IDbContextOptionsConfiguration<DispatchDbContext>>())
        {
            configuration.Configure(sp, builder);
        }
        return builder;
    }
}
