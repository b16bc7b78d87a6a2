namespace DispatchBoard.Web.Reminders;

/// <summary>
/// How the SMTP server answered lately (this instance): the last e-mail sent, the last check, the last failure and what
/// to do about it. Written by <see cref="ReminderMailer"/> on every send and check; read by the system page and its banner.
/// </summary>
public sealed class SmtpHealth(TimeProvider time)
{
    private readonly Lock _lock = new();

    public DateTimeOffset? LastSentAt { get; private set; }

    /// <summary>The last time the server answered well (a send or a check).</summary>
    public DateTimeOffset? LastOkAt { get; private set; }

    public DateTimeOffset? LastFailedAt { get; private set; }

    /// <summary>What the last failure was, in words an admin acts on (names the setting to look at).</summary>
    public string? LastProblem { get; private set; }

    /// <summary>True when the last answer from the server was a failure.</summary>
    public bool Failing
    {
        get
        {
            lock (_lock)
            {
                return LastFailedAt is { } failed && (LastOkAt is not { } ok || ok < failed);
            }
        }
    }

    /// <summary>Raised after every send or check: the system page redraws.</summary>
    public event Action? Changed;

    public void Succeeded(bool sent)
    {
        lock (_lock)
        {
            LastOkAt = time.GetUtcNow();
            if (sent)
            {
                LastSentAt = LastOkAt;
            }
        }
        Changed?.Invoke();
    }

    public void Failed(Exception ex, string problem)
    {
        ArgumentNullException.ThrowIfNull(ex);
        lock (_lock)
        {
            LastFailedAt = time.GetUtcNow();
            LastProblem = problem;
        }
        Changed?.Invoke();
    }
}
