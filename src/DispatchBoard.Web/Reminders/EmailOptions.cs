using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Reminders;

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>SMTP for the reminder e-mails (<see cref="ReminderMailer"/>), their only sender today.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>How often the app asks the SMTP server whether it would take an e-mail (connect, sign in, quit), in seconds.</summary>
    [Range(5, 3600)]
    public int CheckSeconds { get; set; } = 30;

    /// <summary>The sender, e.g. "DispatchBoard &lt;dispatch@school.example&gt;".</summary>
    public string From { get; set; } = "DispatchBoard <dispatch@localhost>";

    /// <summary>E-mail is off until an SMTP host is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Email:From '{From}' is not an address (e.g. \"DispatchBoard <dispatch@school.example>\").");
        }
        if (Enabled && Smtp.Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"Email:Smtp:Port {Smtp.Port} is not a port.");
        }
    }
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? Username { get; set; }
    public string? Password { get; set; }
}
