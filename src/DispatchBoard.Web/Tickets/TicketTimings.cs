using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Stamps every ticket saved (added or changed: intake, claims, sweeps, the demo seed, tests) with its steps' durations
/// on its own time (<see cref="ResponseClock.Stamp"/>), so the reports can bucket them in SQL and no writer can forget.
/// </summary>
/// <remarks>
/// The clock is resolved on first use: the calendar reads the database through the context factory this interceptor
/// is part of. Tickets are saved asynchronously everywhere; a synchronous save of a ticket is refused rather than
/// blocking on the calendar.
/// </remarks>
public sealed class TicketTimings(IServiceProvider services) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Changed(context).ToList() is { Count: > 0 } tickets)
        {
            var clock = await services.GetRequiredService<ResponseClocks>().NowAsync(cancellationToken);
            foreach (var ticket in tickets)
            {
                clock.Stamp(ticket);
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        eventData.Context is { } context && Changed(context).Any()
            ? throw new InvalidOperationException("Save tickets with SaveChangesAsync: their durations need the school calendar.")
            : result;

    private static IEnumerable<Ticket> Changed(DbContext context) =>
        context.ChangeTracker.Entries<Ticket>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity);
}
