namespace DispatchBoard.Web.Areas;

public static class AreasFeature
{
    /// <summary>The campus tree: areas, their owners and backups, the CSV import.</summary>
    public static IServiceCollection AddAreas(this IServiceCollection services)
    {
        services.AddSingleton<AreaDirectory>();
        services.AddSingleton<AreaService>();
        services.AddSingleton<AreaImport>();
        return services;
    }
}
