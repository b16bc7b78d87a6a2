namespace DispatchBoard.Web.Calendar;

public static class CalendarFeature
{
    /// <summary>The school's calendar: its semesters, working hours, holidays and make-up days, and the working calendar they make.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkingHoursOptions>().BindConfiguration(WorkingHoursOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SemesterService>();
        services.AddSingleton<CalendarPeriods>();
        services.AddOptions<BellOptions>().BindConfiguration(BellOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LessonBells>();
        return services;
    }
}
