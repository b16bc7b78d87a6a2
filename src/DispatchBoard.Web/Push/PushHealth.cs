namespace DispatchBoard.Web.Push;

/// <summary>How Web Push went lately (this instance, since its start): for the system page and its banner.</summary>
public sealed class PushHealth
{
    private readonly Lock _lock = new();

    public DateTimeOffset? LastDeliveredAt { get; private set; }

    public DateTimeOffset? LastFailedAt { get; private set; }

    public string? LastError { get; private set; }

    public long Delivered { get; private set; }

    public long Failed { get; private set; }

    /// <summary>True when the last outcome was a failure and nothing has been delivered since.</summary>
    public bool Failing
    {
        get
        {
            lock (_lock)
            {
                return LastFailedAt is { } failed && (LastDeliveredAt is not { } delivered || delivered < failed);
            }
        }
    }

    public void Record(DateTimeOffset at, long delivered, long failed, string? error)
    {
        lock (_lock)
        {
            Delivered += delivered;
            Failed += failed;
            if (delivered > 0)
            {
                LastDeliveredAt = at;
            }
            if (failed > 0)
            {
                LastFailedAt = at;
                LastError = error;
            }
        }
    }
}
