namespace DispatchBoard.Web.Staff;

public static class StaffFeature
{
    /// <summary>The people who take jobs: duty, the duty roster, the staff panel, the administrator's accounts.</summary>
    public static IServiceCollection AddStaff(this IServiceCollection services)
    {
        services.AddSingleton<StaffService>();
        services.AddSingleton<StaffAdminService>();
        services.AddOptions<RosterOptions>().BindConfiguration(RosterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RosterService>();
        services.AddTransient<RosterSweep>();
        return services;
    }
}
