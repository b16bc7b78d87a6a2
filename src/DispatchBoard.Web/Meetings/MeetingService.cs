using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Meetings.MeetingsText;

namespace DispatchBoard.Web.Meetings;

public sealed record MeetingDto(int Id, MeetingKind Kind, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Agenda,
    string? Minutes, bool Cancelled, int? SeriesId, IReadOnlyList<AttendeeDto> Attendees);

public sealed record AttendeeDto(string UserId, string Name, bool? Attended);

/// <summary>
/// What happens at the school's meetings: who is invited, the agenda before, the minutes and attendance after. When
/// meetings happen (series, planning meetings, one-offs, cancelling) is <see cref="MeetingScheduler"/>'s.
/// </summary>
public sealed class MeetingService(IDbContextFactory<DispatchDbContext> dbFactory, DispatchNotifier notifier, SchoolClock clock)
{
    public async Task<IReadOnlyList<MeetingDto>> ListAsync(DateTimeOffset from, DateTimeOffset to, string? forUserId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Meetings.AsNoTracking().Where(m => m.StartsAt >= from && m.StartsAt < to);
        if (forUserId is not null)
        {
            query = query.Where(m => m.Attendees.Any(a => a.UserId == forUserId));
        }
        return await ProjectAsync(db, query.OrderBy(m => m.StartsAt), ct);
    }

    public async Task<MeetingDto?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await ProjectAsync(db, db.Meetings.AsNoTracking().Where(m => m.Id == id), ct)).FirstOrDefault();
    }

    /// <summary>Agenda before the meeting, minutes and attendance after it; staff roles may write, like a shared notebook.</summary>
    public async Task<ServiceResult<MeetingDto>> UpdateNotesAsync(int id, string? agenda, string? minutes, IReadOnlyDictionary<string, bool?>? attendance,
        Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        agenda = errors.Text("agenda", L["Agenda"], agenda, MeetingSeries.TextMaxLength, required: false);
        minutes = errors.Text("minutes", L["Minutes"], minutes, MeetingSeries.TextMaxLength * 4, required: false);
        if (errors.Any)
        {
            return ServiceResult<MeetingDto>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var meeting = await db.Meetings.Include(m => m.Attendees).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (meeting is null)
        {
            return ServiceResult<MeetingDto>.NotFound(L["There is no meeting #{0}.", id]);
        }
        var started = clock.UtcNow >= meeting.StartsAt;
        if (minutes is not null && !started)
        {
            errors.Add("minutes", L["Minutes are written once the meeting has started."]);
        }
        if (attendance is { Count: > 0 } && !started)
        {
            errors.Add("attendance", L["Attendance is recorded once the meeting has started."]);
        }
        if (errors.Any)
        {
            return ServiceResult<MeetingDto>.Invalid(errors);
        }
        meeting.Agenda = agenda;
        if (started)
        {
            meeting.Minutes = minutes;
        }
        foreach (var (userId, attended) in attendance ?? new Dictionary<string, bool?>())
        {
            if (meeting.Attendees.FirstOrDefault(a => a.UserId == userId) is { } attendee)
            {
                attendee.Attended = attended;
            }
        }
        await db.SaveChangesAsync(ct);
        notifier.Publish(new MeetingsChanged(id));
        return ServiceResult<MeetingDto>.Ok((await GetAsync(id, ct))!);
    }

    private static async Task<IReadOnlyList<MeetingDto>> ProjectAsync(DispatchDbContext db, IQueryable<Meeting> meetings, CancellationToken ct)
    {
        var rows = await meetings.Select(m => new
        {
            m.Id, m.Kind, m.Title, m.StartsAt, m.EndsAt, m.Place, m.Agenda, m.Minutes, m.CancelledAt, m.SeriesId,
            Attendees = m.Attendees.Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new AttendeeDto(a.UserId, u.DisplayName, a.Attended)).ToList(),
        }).ToListAsync(ct);
        return rows.Select(m => new MeetingDto(m.Id, m.Kind, m.Title, m.StartsAt, m.EndsAt, m.Place, m.Agenda, m.Minutes, m.CancelledAt is not null,
            m.SeriesId, m.Attendees.OrderBy(a => a.Name).ToList())).ToList();
    }
}
