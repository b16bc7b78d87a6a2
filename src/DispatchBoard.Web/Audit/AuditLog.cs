using System.Collections.Concurrent;
using System.Globalization;
using CsvHelper;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Audit;

/// <summary>One event to record. <see cref="By"/> takes who and where from the acting person.</summary>
public sealed record AuditEvent(AuditKind Kind, string? ActorUserId, string? ActorName, string? Subject, string? Details, string? Address)
{
    public static AuditEvent By(Actor actor, AuditKind kind, string? subject, string? details = null) =>
        new(kind, actor.UserId, actor.Name, subject, details, actor.Address);

    public static AuditEvent Anonymous(AuditKind kind, string? subject, string? details, string? address) =>
        new(kind, null, null, subject, details, address);
}

/// <summary>The page's and the CSV's filters. Dates are school days (inclusive); text matches subject, details, person or address.</summary>
public sealed record AuditFilter(AuditKind? Kind = null, string? Person = null, string? Text = null, DateOnly? From = null, DateOnly? To = null);

public sealed record AuditLine(long Id, DateTimeOffset At, AuditKind Kind, string? ActorUserId, string? ActorName, string? Subject, string? Details, string? Address);

public sealed record AuditPage(IReadOnlyList<AuditLine> Lines, int Total);

public sealed record AuditCsvRow(string At, string Kind, string? Person, string? Subject, string? Details, string? Address);

/// <summary>
/// The audit log of admin and security events. A change that has its own transaction stages its line into it
/// (<see cref="Stage"/>), so the change and its line are stored together or not at all; anything else records on its own
/// context (<see cref="RecordAsync"/>). The log is append-only: there is no method to change or remove a line.
/// </summary>
public sealed class AuditLog(IDbContextFactory<DispatchDbContext> dbFactory, SchoolClock clock, ILogger<AuditLog> log)
{
    public const int MaxPageSize = 200;

    private static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRepeat = new(StringComparer.Ordinal);

    /// <summary>Adds the line to <paramref name="db"/>: it is written by that context's next save, in its transaction.</summary>
    public void Stage(DispatchDbContext db, AuditEvent e) => db.AuditEntries.Add(ToEntry(e));

    /// <summary>Writes the line now, on a context of its own.</summary>
    public async Task RecordAsync(AuditEvent e, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Stage(db, e);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records an event that an attacker can repeat at will (a throttled sign-in) at most once a minute per
    /// <paramref name="key"/>, so a flood of refused attempts leaves one line a minute instead of filling the disk.
    /// Like <see cref="TryRecordAsync"/>, a failure to write only logs.
    /// </summary>
    public async Task RecordRepeatedAsync(string key, AuditEvent e, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        if (_lastRepeat.TryGetValue(key, out var last) && now - last < RepeatWindow)
        {
            return;
        }
        _lastRepeat[key] = now;
        if (_lastRepeat.Count > 10_000)
        {
            foreach (var stale in _lastRepeat.Where(p => now - p.Value >= RepeatWindow).Select(p => p.Key).ToList())
            {
                _lastRepeat.TryRemove(stale, out _);
            }
        }
        await TryRecordAsync(e, ct);
    }

    /// <summary>Records, but a failure to write only logs: for events (sign-in, sign-out) that must not fail because of the log.</summary>
    public async Task TryRecordAsync(AuditEvent e, CancellationToken ct = default)
    {
        try
        {
            await RecordAsync(e, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.AuditLineNotWritten(ex, e.Kind, e.Subject);
        }
    }

    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(ct);
        var lines = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(e => new AuditLine(e.Id, e.At, e.Kind, e.ActorUserId, e.ActorName, e.Subject, e.Details, e.Address))
            .ToListAsync(ct);
        return new AuditPage(lines, total);
    }

    /// <summary>The people who appear in the log as actors, for the filter (by id, with the latest name they had).</summary>
    public async Task<IReadOnlyList<(string UserId, string Name)>> PeopleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AuditEntries.AsNoTracking().Where(e => e.ActorUserId != null)
            .GroupBy(e => e.ActorUserId!)
            .Select(g => new { UserId = g.Key, Name = g.OrderByDescending(e => e.Id).Select(e => e.ActorName).First() })
            .ToListAsync(ct);
        return rows.Select(r => (r.UserId, r.Name ?? r.UserId)).OrderBy(r => r.Item2, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>The filtered lines as CSV, newest first, streamed (times in school time; formulas neutralized).</summary>
    public async Task WriteCsvAsync(AuditFilter filter, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var writer = new StreamWriter(output, CsvExport.Utf8WithBom, leaveOpen: true);
        await using var csv = new CsvWriter(writer, CsvExport.Config);
        CsvExport.UseHeaders<AuditCsvRow>(csv.Context);
        csv.WriteHeader<AuditCsvRow>();
        await csv.NextRecordAsync();
        var rows = Filtered(db, filter).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).AsAsyncEnumerable();
        await foreach (var e in rows.WithCancellation(ct))
        {
            csv.WriteRecord(new AuditCsvRow(clock.ToLocal(e.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Kind.ToString(),
                e.ActorName, e.Subject, e.Details, e.Address));
            await csv.NextRecordAsync();
        }
    }

    private IQueryable<AuditEntry> Filtered(DispatchDbContext db, AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (filter.Kind is { } kind)
        {
            query = query.Where(e => e.Kind == kind);
        }
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var person = filter.Person.Trim();
            query = query.Where(e => e.ActorUserId == person);
        }
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Case-insensitive on both databases (SQLite's LIKE ignores ASCII case, PostgreSQL's does not): lower() both sides.
            var pattern = "%" + EscapeLike(filter.Text.Trim().ToLowerInvariant()) + "%";
            query = query.Where(e => EF.Functions.Like(e.Subject!.ToLower(), pattern, "\\") || EF.Functions.Like(e.Details!.ToLower(), pattern, "\\")
                                     || EF.Functions.Like(e.ActorName!.ToLower(), pattern, "\\") || EF.Functions.Like(e.Address!.ToLower(), pattern, "\\"));
        }
        if (filter.From is { } from)
        {
            var start = clock.StartOf(from);
            query = query.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = clock.StartOf(to.AddDays(1));
            query = query.Where(e => e.At < end);
        }
        return query;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private AuditEntry ToEntry(AuditEvent e) => new()
    {
        At = clock.UtcNow,
        Kind = e.Kind,
        ActorUserId = e.ActorUserId,
        ActorName = Cut(e.ActorName, AuditEntry.NameMaxLength),
        Subject = Cut(e.Subject, AuditEntry.SubjectMaxLength),
        Details = Cut(e.Details, AuditEntry.DetailsMaxLength),
        Address = Cut(e.Address, AuditEntry.AddressMaxLength),
    };

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : TextCut.Head(text, max - 1) + "…";
}
