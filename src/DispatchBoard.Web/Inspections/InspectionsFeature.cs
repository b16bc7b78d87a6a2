namespace DispatchBoard.Web.Inspections;

public static class InspectionsFeature
{
    /// <summary>The weekly safety rounds, their checklists, and the job that creates them.</summary>
    public static IServiceCollection AddInspections(this IServiceCollection services)
    {
        services.AddOptions<InspectionOptions>().BindConfiguration(InspectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InspectionService>();
        services.AddSingleton<ChecklistService>();
        services.AddTransient<WeeklyInspectionJob>();
        services.AddTransient<Calendar.ICalendarFollower>(sp => sp.GetRequiredService<WeeklyInspectionJob>());
        return services;
    }
}
