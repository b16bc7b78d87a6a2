namespace DispatchBoard.Web.Calendar;

/// <summary>
/// A feature whose schedule follows the school calendar (safety rounds, meetings): told at once when an administrator
/// adds, removes or imports holidays, so a closure entered this morning moves today's items now, not at the nightly
/// check. Following must be idempotent: the scheduled jobs run the same work again.
/// </summary>
public interface ICalendarFollower
{
    Task FollowCalendarAsync(CancellationToken ct);
}
