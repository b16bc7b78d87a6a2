namespace DispatchBoard.Web.Reports;

public static class ReportsFeature
{
    /// <summary>Reports aggregated in the database, their CSV exports and the printed monthly report.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportService>();
        services.AddSingleton<CsvExport>();
        return services;
    }
}
