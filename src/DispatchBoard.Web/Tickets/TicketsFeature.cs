using Microsoft.Extensions.DependencyInjection.Extensions;
namespace DispatchBoard.Web.Tickets;

public static class TicketsFeature
{
    /// <summary>Repair tickets: intake (with the anonymous limit), changes, queries, routing and the two sweeps.</summary>
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IntakeRateLimiter>();
        services.AddSingleton<OpenTicketGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<OpenTicketGauge>());
        // A ticket's history is written in the school's language (Languages/).
        services.TryAddSingleton<Languages.SchoolLanguage>();
        services.AddSingleton<ResponseClocks>();
        services.AddSingleton<Calendar.ICalendarFollower, TicketDeadlines>();
        services.AddSingleton<SharedTicketDtos>();
        services.AddSingleton<TicketQueries>();
        services.AddSingleton<TicketRouter>();
        services.AddSingleton<TicketChanges>();
        services.AddSingleton<TicketIntake>();
        services.AddSingleton<TicketPlans>();
        services.AddSingleton<TicketTriage>();
        services.AddSingleton<TicketNotes>();
        services.AddSingleton<TicketBulk>();
        services.AddSingleton<TicketDuplicates>();
        services.AddSingleton<TicketMerges>();
        services.AddSingleton<TicketMeToo>();
        services.AddSingleton<TicketTeam>();
        services.AddTransient<PlannedRepairReminderSweep>();
        services.AddTransient<UnclaimedTicketSweep>();
        services.AddTransient<AutoCloseSweep>();
        return services;
    }
}
