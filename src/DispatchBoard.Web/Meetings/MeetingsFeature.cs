namespace DispatchBoard.Web.Meetings;

public static class MeetingsFeature
{
    /// <summary>Meetings: when they happen (the scheduler and its job), what happens at them, and calendar feeds.</summary>
    public static IServiceCollection AddMeetings(this IServiceCollection services)
    {
        services.AddOptions<MeetingOptions>().BindConfiguration(MeetingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MeetingService>();
        services.AddSingleton<MeetingScheduler>();
        services.AddSingleton<CalendarFeed>();
        services.AddTransient<MeetingSchedulerJob>();
        services.AddTransient<Calendar.ICalendarFollower>(sp => sp.GetRequiredService<MeetingSchedulerJob>());
        return services;
    }
}
