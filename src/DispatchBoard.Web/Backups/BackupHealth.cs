namespace DispatchBoard.Web.Backups;

/// <summary>How the last backup run went (this instance, since its start): for the system page and its banner.</summary>
public sealed class BackupHealth
{
    private volatile Run? _last;
    private volatile Run? _lastFailure;

    public sealed record Run(BackupOutcome Outcome, DateTimeOffset At);

    public Run? Last => _last;

    public Run? LastFailure => _lastFailure;

    /// <summary>True when the last run that wrote a copy or tried to failed (a run with nothing due does not clear it).</summary>
    public bool Failing => _decisive?.Outcome.Status == BackupStatus.Failed;

    private volatile Run? _decisive;

    public void Record(BackupOutcome outcome, DateTimeOffset at)
    {
        var run = new Run(outcome, at);
        _last = run;
        if (outcome.Status is BackupStatus.Written or BackupStatus.Failed)
        {
            _decisive = run;
        }
        if (outcome.Status == BackupStatus.Failed)
        {
            _lastFailure = run;
        }
    }
}
