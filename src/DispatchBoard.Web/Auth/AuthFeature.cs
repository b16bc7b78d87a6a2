namespace DispatchBoard.Web.Auth;

public static class AuthFeature
{
    /// <summary>Who may do what: the guard that cuts a deactivated account off everywhere at once; passwords and their one-time links.</summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddSingleton<AccessGuard>();
        services.AddOptions<AccountLinkOptions>().BindConfiguration(AccountLinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountLinks>();
        services.AddSingleton<PasswordChanges>();
        return services;
    }
}
