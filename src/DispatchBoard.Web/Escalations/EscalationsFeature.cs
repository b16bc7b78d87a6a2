namespace DispatchBoard.Web.Escalations;

public static class EscalationsFeature
{
    /// <summary>Jobs beyond a worker's authority and the principal's decisions.</summary>
    public static IServiceCollection AddEscalations(this IServiceCollection services)
    {
        services.AddSingleton<EscalationService>();
        return services;
    }
}
