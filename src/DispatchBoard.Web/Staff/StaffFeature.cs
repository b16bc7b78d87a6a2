namespace DispatchBoard.Web.Staff;

public static class StaffFeature
{
    /// <summary>The people who take jobs: duty, the staff panel, the administrator's accounts.</summary>
    public static IServiceCollection AddStaff(this IServiceCollection services)
    {
        services.AddSingleton<StaffService>();
        services.AddSingleton<StaffAdminService>();
        return services;
    }
}
