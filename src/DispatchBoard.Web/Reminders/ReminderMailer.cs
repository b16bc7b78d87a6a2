using System.Text;
using DispatchBoard.Web.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DispatchBoard.Web.Reminders;

public sealed record ReminderMail(string ToAddress, string ToName, string Subject, string Body, string? IcsAttachment);

/// <summary>Sends reminder e-mails over SMTP (MailKit). Off while Email:Smtp:Host is empty.</summary>
public sealed class ReminderMailer(IOptions<EmailOptions> options, ILogger<ReminderMailer> logger, DispatchMetrics metrics, SmtpHealth health)
{
    public bool Enabled => options.Value.Enabled;

    /// <param name="kind">What the e-mail is, for the metrics: reminder, account_link, reporter, test.</param>
    public async Task SendAsync(ReminderMail mail, CancellationToken ct, string kind = "reminder")
    {
        using var message = Compose(mail, options.Value.From);
        await SendAsync(message, ct, kind);
        logger.ReminderEmailSent(mail.ToAddress, mail.Subject);
    }

    /// <summary>
    /// Sends a composed message over the configured SMTP server (a connection per message). Every outcome is counted
    /// (<c>dispatchboard.email.messages</c>) and kept as the server's health for the system page.
    /// </summary>
    /// <param name="retry">A later attempt of a message that failed before.</param>
    public async Task SendAsync(MimeMessage message, CancellationToken ct, string kind = "reminder", bool retry = false)
    {
        if (retry)
        {
            metrics.Email(kind, "retried");
        }
        try
        {
            await TalkAsync(client => client.SendAsync(message, ct), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            metrics.Email(kind, "failed");
            health.Failed(ex, Describe(ex));
            throw;
        }
        metrics.Email(kind, "sent");
        health.Succeeded(sent: true);
    }

    /// <summary>
    /// Connects, signs in and says goodbye without sending anything: whether the server would take an e-mail now. The
    /// answer is kept as the server's health (see <see cref="SmtpCheck"/>); an error is returned in words an admin acts on.
    /// </summary>
    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        try
        {
            await TalkAsync(client => client.NoOpAsync(ct), ct);
            health.Succeeded(sent: false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var problem = Describe(ex);
            health.Failed(ex, problem);
            return problem;
        }
    }

    private async Task TalkAsync(Func<SmtpClient, Task> what, CancellationToken ct)
    {
        var o = options.Value;
        using var client = new SmtpClient { Timeout = 20_000 };
        var security = SocketOptions(o.Smtp.Security, o.Smtp.Port);
        await client.ConnectAsync(o.Smtp.Host!, o.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(o.Smtp.Username))
        {
            await client.AuthenticateAsync(o.Smtp.Username, o.Smtp.Password ?? "", ct);
        }
        await what(client);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>What went wrong, and where to look, without the password.</summary>
    private string Describe(Exception ex)
    {
        var o = options.Value;
        var server = $"{o.Smtp.Host}:{o.Smtp.Port}";
        return ex switch
        {
            AuthenticationException => $"The SMTP server {server} refused the user name or password (Email:Smtp:Username, Email:Smtp:Password): {ex.Message}",
            System.Net.Sockets.SocketException => $"The SMTP server {server} cannot be reached (Email:Smtp:Host, Email:Smtp:Port): {ex.Message}",
            SslHandshakeException => $"The SMTP server {server} and the app could not agree on encryption (Email:Smtp:Security): {ex.Message}",
            TimeoutException or OperationCanceledException => $"The SMTP server {server} did not answer in time.",
            SmtpCommandException command => $"The SMTP server {server} refused the e-mail ({(int)command.StatusCode} {command.StatusCode}): {ex.Message}",
            _ => $"The SMTP server {server} failed: {ex.GetType().Name}: {ex.Message}",
        };
    }

    /// <summary>
    /// The message as sent. Names and subjects come from what people typed (a meeting's name, a person's name). MimeKit
    /// already keeps a line break from starting a header of its own (it encodes the value); breaks become spaces first so
    /// the subject still reads as words ("meeting Bcc", not "meetingBcc").
    /// </summary>
    public static MimeMessage Compose(ReminderMail mail, string from)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(OneLine(mail.ToName), mail.ToAddress));
        message.Subject = OneLine(mail.Subject);
        var body = new BodyBuilder { TextBody = mail.Body };
        if (mail.IcsAttachment is not null)
        {
            body.Attachments.Add("invite.ics", Encoding.UTF8.GetBytes(mail.IcsAttachment), new ContentType("text", "calendar") { Parameters = { { "method", "PUBLISH" }, { "charset", "utf-8" } } });
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\u0085', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// How the connection is secured. Auto means TLS either way: on connect for port 465, otherwise STARTTLS required
    /// (MailKit's own Auto would go on in plain text when a server, or someone in between, does not offer STARTTLS).
    /// Only None sends in plain text, for a relay on the same machine.
    /// </summary>
    public static SecureSocketOptions SocketOptions(SmtpSecurity security, int port) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };
}
