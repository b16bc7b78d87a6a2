namespace DispatchBoard.Web.Backups;

public static class BackupsFeature
{
    /// <summary>The nightly online copy of the SQLite database (a district on PostgreSQL backs up with pg_dump).</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<DatabaseBackupJob>();
        services.AddSingleton<BackupHealth>();
        return services;
    }
}
