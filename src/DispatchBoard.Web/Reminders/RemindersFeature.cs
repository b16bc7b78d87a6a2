namespace DispatchBoard.Web.Reminders;

public static class RemindersFeature
{
    /// <summary>Every reminder (meetings, rounds, overdue rounds) and the e-mail that carries it.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReminderMailer>();
        services.AddSingleton<SmtpHealth>();
        // Asks the SMTP server every Email:CheckSeconds whether it would take an e-mail: the system page shows a failing
        // server (a changed password, a closed port) before the next reminder fails on it.
        services.AddHostedService<SmtpCheck>();
        services.AddTransient<ReminderSweep>();
        return services;
    }
}
