using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Data;

/// <summary>
/// On SQLite, the busiest write transactions (a report, a ticket's change) queue for their turn in the process,
/// asynchronously, before BEGIN IMMEDIATE. SQLite lets one writer in at a time and makes the others wait in its busy
/// handler, which sleeps and polls (1 to 100 ms steps) on a thread-pool thread it blocks: 16 reporters at once were
/// measured at ~100 reports/s, p99 600–800 ms, the pool starved by blocked waiters and the lock idle between a commit
/// and the next poll. Queued here, a writer waits without a thread and has the lock as soon as the previous one is done.
/// SQLite still decides: any other writer is waited for by the busy timeout as before, and a turn not given within that
/// same timeout goes ahead without it. On PostgreSQL there is nothing to queue for here (<see cref="PostgresWriteTurns"/>).
/// It is taken by the write paths that see bursts, not by a transaction interceptor like PostgreSQL's lock: EF tells an
/// interceptor about a commit, a rollback or a failure but not about a transaction disposed without either, so a turn
/// taken there could stay taken (tried: every later writer then waited the full timeout).
/// </summary>
public sealed class WriteTurns
{
    /// <summary>As long as SQLite's own busy timeout (<see cref="SqlitePragmas"/>).</summary>
    private static readonly TimeSpan MostWait = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for this process's write turn on <paramref name="db"/>'s database; dispose it once the transaction is over.</summary>
    public async Task<IDisposable> TakeAsync(DispatchDbContext db, CancellationToken ct) =>
        db.Database.IsSqlite() && await _turn.WaitAsync(MostWait, ct) ? new Turn(_turn) : NoTurn.Instance;

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
