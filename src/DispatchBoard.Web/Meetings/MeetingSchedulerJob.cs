namespace DispatchBoard.Web.Meetings;

/// <summary>Hangfire, daily (and at start): puts the coming meetings in the calendar, each occurrence once.</summary>
public sealed class MeetingSchedulerJob(MeetingScheduler scheduler) : Calendar.ICalendarFollower
{
    public Task<int> RunAsync(CancellationToken ct) => scheduler.ScheduleAsync(ct);

    /// <summary>A holiday just added: meetings scheduled on it move (or are skipped) now, attendees told.</summary>
    Task Calendar.ICalendarFollower.FollowCalendarAsync(CancellationToken ct) => scheduler.ScheduleAsync(ct);
}
