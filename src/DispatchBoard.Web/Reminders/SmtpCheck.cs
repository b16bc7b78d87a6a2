using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Reminders;

/// <summary>
/// Every <c>Email:CheckSeconds</c> (30 by default), while e-mail is on: connects to the SMTP server, signs in and quits,
/// so a failing server shows on the system page within a minute, not at the next reminder.
/// </summary>
public sealed class SmtpCheck(ReminderMailer mailer, IOptions<EmailOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mailer.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            await mailer.CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
