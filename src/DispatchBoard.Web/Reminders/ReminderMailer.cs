using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DispatchBoard.Web.Reminders;

public sealed record ReminderMail(string ToAddress, string ToName, string Subject, string Body, string? IcsAttachment);

/// <summary>Sends reminder e-mails over SMTP (MailKit). Off while Email:Smtp:Host is empty.</summary>
public sealed class ReminderMailer(IOptions<EmailOptions> options, ILogger<ReminderMailer> logger)
{
    public bool Enabled => options.Value.Enabled;

    public async Task SendAsync(ReminderMail mail, CancellationToken ct)
    {
        using var message = Compose(mail, options.Value.From);
        await SendAsync(message, ct);
        logger.LogInformation("Reminder e-mail to {Recipient}: {Subject}", mail.ToAddress, mail.Subject);
    }

    /// <summary>Sends a composed message over the configured SMTP server (a connection per message).</summary>
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var client = new SmtpClient { Timeout = 20_000 };
        var security = SocketOptions(o.Smtp.Security, o.Smtp.Port);
        await client.ConnectAsync(o.Smtp.Host!, o.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(o.Smtp.Username))
        {
            await client.AuthenticateAsync(o.Smtp.Username, o.Smtp.Password ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
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
