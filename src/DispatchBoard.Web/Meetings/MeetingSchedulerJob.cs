namespace DispatchBoard.Web.Meetings;

/// <summary>Hangfire, daily (and at start): puts the coming meetings in the calendar, each occurrence once.</summary>
public sealed class MeetingSchedulerJob(MeetingScheduler scheduler)
{
    public Task<int> RunAsync(CancellationToken ct) => scheduler.ScheduleAsync(ct);
}
