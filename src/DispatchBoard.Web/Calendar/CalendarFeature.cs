namespace DispatchBoard.Web.Calendar;

public static class CalendarFeature
{
    /// <summary>The school's calendar: its semesters.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SemesterService>();
        return services;
    }
}
