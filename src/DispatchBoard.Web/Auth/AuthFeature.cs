namespace DispatchBoard.Web.Auth;

public static class AuthFeature
{
    /// <summary>Who may do what: the guard that cuts a deactivated account off everywhere at once.</summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddSingleton<AccessGuard>();
        return services;
    }
}
