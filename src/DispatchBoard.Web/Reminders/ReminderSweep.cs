using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Reminders.RemindersText;

namespace DispatchBoard.Web.Reminders;

/// <summary>
/// Runs every minute (Hangfire). Works out from the database which reminders are due (meetings: each offset before the
/// start; rounds: the morning of the inspection day; rounds past due: the dispatcher), stores each once under its unique
/// key with its notification, then e-mails those not yet e-mailed, each claimed by one sender first. A reminder that
/// came due while the app was down goes out at start, as long as its meeting or round still lies ahead. Each alert and
/// e-mail is in its recipient's language (RecipientLanguages).
/// </summary>
public sealed class ReminderSweep(
    IDbContextFactory<DispatchDbContext> dbFactory,
    NotificationService notifications,
    ReminderMailer mailer,
    AreaDirectory areas,
    IOptions<ReminderOptions> reminderOptions,
    IOptions<SchoolOptions> school,
    SchoolClock clock,
    RecipientLanguages languages,
    ILogger<ReminderSweep> logger)
{
    private sealed record Due(Reminder Reminder, NewNotification Alert);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var created = await CreateDueAsync(ct);
        if (mailer.Enabled)
        {
            await SendEmailsAsync(ct);
        }
        return created;
    }

    private async Task<int> CreateDueAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var due = new List<Due>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await AddMeetingRemindersAsync(db, now, due, ct);
            await AddRoundRemindersAsync(db, now, due, ct);
            if (due.Count == 0)
            {
                return 0;
            }
            var keys = due.Select(d => d.Reminder.Key).ToList();
            var existing = (await db.Reminders.Where(r => keys.Contains(r.Key)).Select(r => r.Key).ToListAsync(ct)).ToHashSet();
            due.RemoveAll(d => existing.Contains(d.Reminder.Key));
            if (due.Count == 0)
            {
                return 0;
            }
            db.Reminders.AddRange(due.Select(d => d.Reminder));
            var staged = await notifications.StageAsync(db, due.Select(d => d.Alert), ct);
            try
            {
                await db.SaveChangesAsync(ct);
                notifications.Announce(staged);
                return due.Count;
            }
            catch (DbUpdateException)
            {
                // A concurrent run stored some of these a moment ago: store the rest one by one below.
            }
        }

        var stored = 0;
        foreach (var item in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Reminders.AnyAsync(r => r.Key == item.Reminder.Key, ct))
            {
                continue;
            }
            item.Reminder.Id = 0;
            db.Reminders.Add(item.Reminder);
            var staged = await notifications.StageAsync(db, [item.Alert], ct);
            try
            {
                await db.SaveChangesAsync(ct);
                notifications.Announce(staged);
                stored++;
            }
            catch (DbUpdateException)
            {
            }
        }
        return stored;
    }

    private async Task AddMeetingRemindersAsync(DispatchDbContext db, DateTimeOffset now, List<Due> due, CancellationToken ct)
    {
        var offsets = reminderOptions.Value.Offsets;
        var until = now + offsets.Max();
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => m.CancelledAt == null && m.StartsAt > now && m.StartsAt <= until)
            .Select(m => new { m.Id, m.Title, m.StartsAt, m.Place, People = m.Attendees.Select(a => a.UserId).ToList() })
            .ToListAsync(ct);
        foreach (var meeting in meetings)
        {
            // Of the offsets already due, only the nearest one: after an outage nobody gets "tomorrow" an hour before.
            var offset = offsets.Where(o => meeting.StartsAt - o <= now).Order().FirstOrDefault();
            if (offset == default)
            {
                continue;
            }
            var minutes = (int)offset.TotalMinutes;
            var local = clock.ToLocal(meeting.StartsAt);
            var title = ReaderText.Write(() => $"{meeting.Title}: {When(meeting.StartsAt, now)}");
            var body = ReaderText.Write(() => meeting.Place is null ? Dates.DayAndTime(local) : $"{Dates.DayAndTime(local)} · {meeting.Place}");
            foreach (var person in meeting.People)
            {
                var key = $"meeting:{meeting.Id}:{minutes}:{person}";
                due.Add(new Due(
                    new Reminder { Key = key, Kind = ReminderKind.Meeting, UserId = person, MeetingId = meeting.Id, DueAt = meeting.StartsAt - offset, CreatedAt = now },
                    new NewNotification(person, NotificationKind.Reminder, title, body, null, $"/meetings/{meeting.Id}", $"reminder:{key}",
                        ExpiresAt: meeting.StartsAt)));
            }
        }
    }

    private async Task AddRoundRemindersAsync(DispatchDbContext db, DateTimeOffset now, List<Due> due, CancellationToken ct)
    {
        var morning = reminderOptions.Value.InspectionMorning;
        var snapshot = await areas.GetAsync(ct);
        var open = await db.InspectionRounds.AsNoTracking()
            .Where(r => r.CompletedAt == null && r.DueAt > now.AddDays(-2) && r.DueAt <= now.AddDays(2))
            .Select(r => new { r.Id, r.AreaId, r.ScheduledFor, r.DueAt, UserId = r.AssignedTo == null ? null : r.AssignedTo.UserId })
            .ToListAsync(ct);
        var dispatchers = open.Any(r => r.DueAt <= now) ? await Recipients.DispatchersAsync(db, ct) : [];
        foreach (var round in open)
        {
            var area = snapshot.ById.GetValueOrDefault(round.AreaId)?.Path ?? $"#{round.AreaId}";
            var morningAt = clock.At(clock.LocalDate(round.ScheduledFor), morning);
            if (round.DueAt > now && morningAt <= now && round.UserId is { } person)
            {
                var key = $"round:{round.Id}:morning:{person}";
                due.Add(new Due(
                    new Reminder { Key = key, Kind = ReminderKind.InspectionDay, UserId = person, RoundId = round.Id, DueAt = morningAt, CreatedAt = now },
                    new NewNotification(person, NotificationKind.Reminder, ReaderText.Write(() => L["Safety round today: {0}", area]),
                        ReaderText.Write(() => L["Due by the end of the day."]), null,
                        $"/rounds/{round.Id}", $"reminder:{key}", ExpiresAt: round.DueAt)));
            }
            if (round.DueAt <= now)
            {
                foreach (var dispatcher in dispatchers)
                {
                    var key = $"round-overdue:{round.Id}:{dispatcher}";
                    due.Add(new Due(
                        new Reminder { Key = key, Kind = ReminderKind.RoundOverdue, UserId = dispatcher, RoundId = round.Id, DueAt = round.DueAt, CreatedAt = now },
                        new NewNotification(dispatcher, NotificationKind.Overdue, ReaderText.Write(() => L["Safety round not finished: {0}", area]),
                            ReaderText.Write(() => L["It was due by the end of the inspection day."]),
                            null, $"/rounds/{round.Id}", $"reminder:{key}")));
                }
            }
        }
    }

    private async Task SendEmailsAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = now.AddDays(-1);
        var pending = await db.Reminders.Where(r => r.EmailClaimedAt == null && r.CreatedAt >= since).OrderBy(r => r.Id).Take(200).ToListAsync(ct);
        foreach (var reminder in pending)
        {
            // Claim first: of two sweeps only the one whose update wins sends, so nobody gets the e-mail twice.
            var claimed = await db.Reminders.Where(r => r.Id == reminder.Id && r.EmailClaimedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EmailClaimedAt, now), ct) == 1;
            if (!claimed)
            {
                continue;
            }
            string? error = null;
            try
            {
                if (await ComposeAsync(db, reminder, ct) is { } mail)
                {
                    await mailer.SendAsync(mail, ct);
                }
                else
                {
                    error = "No e-mail address.";
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.ReminderEmailFailed(ex, reminder.Key);
                error = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
            }
            var sentAt = clock.UtcNow;
            await db.Reminders.Where(r => r.Id == reminder.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EmailedAt, error == null ? sentAt : null).SetProperty(r => r.EmailError, error), ct);
        }
    }

    private async Task<ReminderMail?> ComposeAsync(DispatchDbContext db, Reminder reminder, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == reminder.UserId && u.IsActive)
            .Select(u => new { u.Email, u.DisplayName, u.Culture }).FirstOrDefaultAsync(ct);
        if (user?.Email is null)
        {
            return null;
        }
        var site = school.Value.PublicBaseUrl.TrimEnd('/');
        if (reminder.MeetingId is { } meetingId)
        {
            var meeting = await db.Meetings.AsNoTracking().FirstAsync(m => m.Id == meetingId, ct);
            var local = clock.ToLocal(meeting.StartsAt);
            // Written in the recipient's language; the .ics carries the meeting's own words (its name, place, agenda).
            using var _ = AppLanguages.Use(languages.Of(user.Culture));
            var body = string.Join("\n",
                L["Hello {0},", user.DisplayName],
                "",
                meeting.Title,
                L["When:  {0}–{1} ({2})", Dates.FullDayAndTime(local), Dates.Time(clock.ToLocal(meeting.EndsAt)), school.Value.TimeZone],
                L["Where: {0}", meeting.Place ?? L["to be announced"]],
                "",
                L["Agenda:"],
                meeting.Agenda ?? L["(none yet)"],
                "",
                L["Details: {0}", $"{site}/meetings/{meeting.Id}"]);
            var ics = CalendarFiles.Write([new CalendarEntry($"meeting-{meeting.Id}@dispatchboard", meeting.Title, meeting.StartsAt, meeting.EndsAt,
                meeting.Place, meeting.Agenda, meeting.CancelledAt is not null)], meeting.Title, "PUBLISH");
            return new ReminderMail(user.Email, user.DisplayName, L["Reminder: {0}, {1}", meeting.Title, Dates.ShortDayAndTime(local)], body, ics);
        }
        var round = await db.InspectionRounds.AsNoTracking().FirstAsync(r => r.Id == reminder.RoundId, ct);
        var area = (await areas.GetAsync(ct)).ById.GetValueOrDefault(round.AreaId)?.Path ?? "";
        using (AppLanguages.Use(languages.Of(user.Culture)))
        {
            var subject = reminder.Kind == ReminderKind.RoundOverdue ? L["Overdue safety round: {0}", area] : L["Safety round today: {0}", area];
            var text = string.Join("\n",
                L["Hello {0},", user.DisplayName],
                "",
                L["{0}. Due by {1}.", subject, Dates.DayAndTime(clock.ToLocal(round.DueAt))],
                "",
                L["Open the checklist: {0}", $"{site}/rounds/{round.Id}"],
                "");
            return new ReminderMail(user.Email, user.DisplayName, subject, text, null);
        }
    }

    private string When(DateTimeOffset start, DateTimeOffset now)
    {
        var local = clock.ToLocal(start);
        var days = clock.LocalDate(start).DayNumber - clock.LocalDate(now).DayNumber;
        return days switch
        {
            0 => L["today at {0}", Dates.Time(local)],
            1 => L["tomorrow at {0}", Dates.Time(local)],
            _ => L["{0} at {1}", Dates.Day(local), Dates.Time(local)],
        };
    }
}
