using System.Globalization;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.WorkingTime;

/// <summary>The ticket's clock: deadlines, sweep levels, countdowns and notices, with known answers.</summary>
public class ResponseClockTests
{
    private const string Shanghai = "Asia/Shanghai";
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Shanghai);

    // Default hours Mon–Fri 07:30–17:30; 27 November 2026 is a Friday; 1 January 2027 (a Friday) is a holiday.
    private static readonly ResponseClock Clock = new(
        new WorkingCalendar(Zone, new WorkingHoursOptions(), [new CalendarDay(new DateOnly(2027, 1, 1), CalendarDayKind.Closure, "New Year's Day")]),
        new ResponseTargets());

    private static DateTimeOffset Local(string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string LocalText(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [Theory]
    //          priority  category        queued              due                  level 2 (the dispatcher)
    [InlineData("Normal", "Furniture",    "2026-11-27 17:55", "2026-11-30 08:00", "2026-11-30 08:30")] // Friday evening: Monday
    [InlineData("Normal", "Furniture",    "2026-11-27 17:10", "2026-11-30 07:40", "2026-11-30 08:10")] // 20 min on Friday, 10 on Monday
    [InlineData("Low",    "Lighting",     "2026-11-30 16:00", "2026-12-01 10:00", "2026-12-01 14:00")] // 4 h: 1.5 h today, 2.5 tomorrow
    [InlineData("Normal", "Plumbing",     "2026-12-31 17:20", "2027-01-04 07:50", "2027-01-04 08:20")] // over New Year's Day and a weekend
    [InlineData("Urgent", "Plumbing",     "2026-11-28 03:00", "2026-11-28 03:05", "2026-11-28 03:10")] // urgent: wall time, Saturday night
    [InlineData("Normal", "SafetyHazard", "2026-11-28 22:00", "2026-11-28 22:30", "2026-11-28 23:00")] // a hazard: wall time too
    public void Deadlines_CountSchoolTimeForNormalAndLow_WallTimeForUrgentAndHazards(string priority, string category, string queued, string due, string level2)
    {
        var (p, c) = (Enum.Parse<TicketPriority>(priority), Enum.Parse<TicketCategory>(category));

        var dueAt = Clock.DueAt(p, c, Local(queued));

        Assert.Equal(due, LocalText(dueAt));
        Assert.Equal(due, LocalText(Clock.LevelAt(p, c, dueAt, 1)));
        Assert.Equal(level2, LocalText(Clock.LevelAt(p, c, dueAt, 2)));
        Assert.Equal(Clock.Target(p), Clock.Between(p, c, Local(queued), dueAt));
    }

    [Theory]
    //          queued Friday 17:55, due Monday 08:00 (normal)
    [InlineData("2026-11-27 18:30", "waiting", "due Mon 08:00")]
    [InlineData("2026-11-29 23:00", "waiting", "due Mon 08:00")]
    [InlineData("2026-11-30 07:40", "ok",      "20 min left")]                // the "not late on Monday at 07:40"
    [InlineData("2026-11-30 07:50", "soon",    "10 min left")]
    [InlineData("2026-11-30 07:31", "ok",      "29 min left")]
    [InlineData("2026-11-30 07:59:30", "soon", "under 1 min left")]
    [InlineData("2026-11-30 08:45", "late",    "45 min over target")]
    [InlineData("2026-11-30 17:40", "late",    "9 h 30 over target")]
    public void Countdown_OnASchoolTimeTicket_WaitsOutOfHours_AndCountsOnlyWorkingTime(string now, string css, string text)
    {
        var queued = Local("2026-11-27 17:55");
        var due = Clock.DueAt(TicketPriority.Normal, TicketCategory.Furniture, queued);
        var at = now.Length > 16
            ? Local(now[..16]).AddSeconds(int.Parse(now[17..], CultureInfo.InvariantCulture))
            : Local(now);

        var countdown = Clock.CountdownOf(TicketPriority.Normal, TicketCategory.Furniture, queued, due, at);

        Assert.Equal((css, text), (countdown.Css, countdown.Text));
    }

    [Fact]
    public void Countdown_OfAnUrgentTicket_RunsAtNight()
    {
        var queued = Local("2026-11-28 03:00");
        var due = Clock.DueAt(TicketPriority.Urgent, TicketCategory.Plumbing, queued);

        Assert.Equal(new Countdown("soon", "2 min left"), Clock.CountdownOf(TicketPriority.Urgent, TicketCategory.Plumbing, queued, due, Local("2026-11-28 03:03")));
        Assert.Equal(new Countdown("late", "5 min over target"), Clock.CountdownOf(TicketPriority.Urgent, TicketCategory.Plumbing, queued, due, Local("2026-11-28 03:10")));
    }

    [Fact]
    public void Countdown_JustPastADeadlineAtClosing_SaysSinceWhen()
    {
        var queued = Local("2026-11-27 17:00");
        var due = Clock.DueAt(TicketPriority.Normal, TicketCategory.Furniture, queued); // Friday 17:30, closing time

        Assert.Equal(new Countdown("late", "over target since Fri 17:30"),
            Clock.CountdownOf(TicketPriority.Normal, TicketCategory.Furniture, queued, due, Local("2026-11-28 09:00")));
    }

    [Fact]
    public void Stamp_SetsEachStepsDuration_OnTheTicketsOwnTime()
    {
        var ticket = new Ticket
        {
            TrackingCode = "ABCDEFGHJK", Description = "Stool", Priority = TicketPriority.Normal, Category = TicketCategory.Furniture,
            ReportedAt = Local("2026-11-27 17:20"), ClaimedAt = Local("2026-11-30 07:45"), OnSiteAt = Local("2026-11-30 08:00"),
        };
        var urgent = new Ticket
        {
            TrackingCode = "ABCDEFGHJM", Description = "Leak", Priority = TicketPriority.Urgent, Category = TicketCategory.Plumbing,
            ReportedAt = Local("2026-11-27 17:20"), ClaimedAt = Local("2026-11-27 17:50"), OnSiteAt = Local("2026-11-27 18:10"), ResolvedAt = Local("2026-11-27 19:20"),
        };

        Clock.Stamp(ticket);
        Clock.Stamp(urgent);

        Assert.Equal((TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(40), (TimeSpan?)null), (ticket.TimeToClaim, ticket.TimeToOnSite, ticket.TimeToResolve));
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(50), TimeSpan.FromHours(2)), (urgent.TimeToClaim, urgent.TimeToOnSite, urgent.TimeToResolve));
    }

    [Theory]
    [InlineData("Normal", "2026-11-28 10:00", "0571-8888-1234",
        "Received on Saturday at 10:00, outside office hours: the office opens Mon 07:30, and your report will be looked at then. Urgent or dangerous? Call 0571-8888-1234.")]
    [InlineData("Normal", "2027-01-01 09:15", null,
        "Received on Friday (New Year's Day) at 09:15, outside office hours: the office opens Mon 07:30, and your report will be looked at then. Urgent or dangerous? Tell the nearest member of staff.")]
    [InlineData("Low", "2026-11-30 06:50", "0571-8888-1234",
        "Received on Monday at 06:50, outside office hours: the office opens 07:30, and your report will be looked at then. Urgent or dangerous? Call 0571-8888-1234.")]
    [InlineData("Urgent", "2026-11-28 22:00", "0571-8888-1234",
        "Received on Saturday at 22:00, outside office hours: urgent reports are passed on at once, day and night. If anyone is in danger, call 0571-8888-1234 now.")]
    [InlineData("Normal", "2026-11-27 16:00", "0571-8888-1234",
        "Received on Friday at 16:00. The office has closed since: the office opens Mon 07:30, and your report will be looked at then. Urgent or dangerous? Call 0571-8888-1234.")]
    public void OutOfHoursNotice_SaysWhenTheReportWillBeLookedAt(string priority, string at, string? phone, string expected)
    {
        // Read at the report's time, or (one made in office hours) on the Saturday after.
        var now = Clock.IsOpen(Local(at)) ? Local("2026-11-28 09:00") : Local(at);
        Assert.Equal(expected, Clock.OutOfHoursNotice(Enum.Parse<TicketPriority>(priority), TicketCategory.Furniture, Local(at), now, phone));
    }

    [Fact]
    public void OutOfHoursNotice_IsNothing_WhileTheOfficeIsOpen()
    {
        Assert.Null(Clock.OutOfHoursNotice(TicketPriority.Normal, TicketCategory.Furniture, Local("2026-11-28 10:00"), Local("2026-11-30 07:30"), "1"));
    }
}
