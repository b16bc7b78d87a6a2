using System.Security.Cryptography;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Meetings.MeetingsText;

namespace DispatchBoard.Web.Meetings;

/// <summary>
/// A personal iCalendar feed per person (/calendar/{token}.ics): their meetings and safety rounds, so their phone's
/// calendar reminds them too. The token is the only key; regenerating it cuts off the old address. Written in the
/// person's language (their account's, else the school's).
/// </summary>
public sealed class CalendarFeed(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory areas, IOptions<MeetingOptions> meetings,
    IOptions<SchoolOptions> school, SchoolClock clock, RecipientLanguages languages)
{
    public async Task<string> TokenAsync(string userId, bool regenerate, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
        if (regenerate || user.CalendarToken is null)
        {
            user.CalendarToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
            await db.SaveChangesAsync(ct);
        }
        return user.CalendarToken!;
    }

    public Uri Address(string token) => new($"{school.Value.PublicBaseUrl.TrimEnd('/')}/calendar/{token}.ics");

    /// <summary>The feed for a token, or null when no active account has it.</summary>
    public async Task<string?> FeedAsync(string token, CancellationToken ct = default)
    {
        if (token.Length is < 20 or > 64 || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.CalendarToken == token && u.IsActive).Select(u => new { u.Id, u.DisplayName, u.Culture }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        var now = clock.UtcNow;
        var from = now.AddDays(-30);
        var to = now.AddDays(meetings.Value.HorizonDays);
        var entries = await db.Meetings.AsNoTracking()
            .Where(m => m.StartsAt >= from && m.StartsAt < to && m.Attendees.Any(a => a.UserId == user.Id))
            .OrderBy(m => m.StartsAt)
            .Select(m => new CalendarEntry($"meeting-{m.Id}@dispatchboard", m.Title, m.StartsAt, m.EndsAt, m.Place, m.Agenda, m.CancelledAt != null))
            .ToListAsync(ct);
        var snapshot = await areas.GetAsync(ct);
        var rounds = await db.InspectionRounds.AsNoTracking()
            .Where(r => r.AssignedTo != null && r.AssignedTo.UserId == user.Id && r.DueAt >= from && r.DueAt < to)
            .Select(r => new { r.Id, r.AreaId, r.ScheduledFor, r.DueAt }).ToListAsync(ct);
        using var _ = AppLanguages.Use(languages.Of(user.Culture));
        entries.AddRange(rounds.Select(r => new CalendarEntry($"round-{r.Id}@dispatchboard",
            L["Safety round: {0}", snapshot.ById.GetValueOrDefault(r.AreaId)?.Path], r.ScheduledFor, r.DueAt, snapshot.ById.GetValueOrDefault(r.AreaId)?.Name,
            L["Open the checklist: {0}", $"{school.Value.PublicBaseUrl.TrimEnd('/')}/rounds/{r.Id}"])));
        return CalendarFiles.Write(entries, $"DispatchBoard · {user.DisplayName}");
    }
}
