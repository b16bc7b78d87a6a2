namespace DispatchBoard.Web.Displays;

public static class DisplaysFeature
{
    /// <summary>Paired office screens (the TV): the displays, their one-time pairing codes and the pairing limit.</summary>
    public static IServiceCollection AddDisplays(this IServiceCollection services)
    {
        services.AddOptions<DisplayOptions>().BindConfiguration(DisplayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DisplayService>();
        services.AddSingleton<PairingRateLimiter>();
        return services;
    }
}
