namespace DispatchBoard.Web.Planning;

public static class PlanningFeature
{
    /// <summary>Semester plans, monthly work accounts and the staff's suggestions to the principal.</summary>
    public static IServiceCollection AddPlanning(this IServiceCollection services)
    {
        services.AddSingleton<PlanService>();
        services.AddSingleton<SuggestionService>();
        return services;
    }
}
