using DispatchBoard.Testing;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Reports;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// A hand-made week (5–11 Oct 2026 at a school in Asia/Shanghai) whose every figure is known: six tickets reported,
/// claimed after 2, 4, 6, 8 and 10 minutes (one never), on site after 10–40, resolved after 30–120.
/// </summary>
public sealed class ReportServiceTests : IAsyncLifetime
{
    private static readonly ReportPeriod Week = new(PeriodKind.Custom, new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 11), "test week");
    private static readonly TimeSpan Target = TimeSpan.FromMinutes(30);

    private TestData _data = default!;

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync();
        var areas = await _data.Get<AreaDirectory>().GetAsync();
        await using var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var wang = await db.Staff.SingleAsync(s => s.DisplayName == "Wang Lei");
        var li = await db.Staff.SingleAsync(s => s.DisplayName == "Li Na");
        DateTimeOffset Local(int day, int hour, int minute) => new DateTimeOffset(2026, 10, day, hour, minute, 0, TimeSpan.FromHours(8));

        Ticket Make(string area, TicketCategory category, DateTimeOffset reported, int? claim, int? onSite, int? resolve, int? staffId,
            int reopens = 0, int? rating = null)
        {
            var status = resolve is not null ? TicketStatus.Resolved : claim is not null ? TicketStatus.Claimed : TicketStatus.New;
            return new Ticket
            {
                TrackingCode = TrackingCode.New(), AreaId = areas.ByCode[area].Id, Category = category, Priority = TicketPriority.Normal,
                Description = "test", Channel = TicketChannel.Web, Status = status, ReportedAt = reported, QueuedAt = reported,
                ResponseDueAt = reported + Target, ClaimedAt = reported.AddMinutes(claim ?? 0), OnSiteAt = reported.AddMinutes(onSite ?? 0),
                ResolvedAt = reported.AddMinutes(resolve ?? 0), ClaimedById = staffId, ReopenCount = reopens, Rating = rating, Version = 1,
            };
        }

        db.Tickets.AddRange(
            Fix(Make("A204", TicketCategory.Lighting, Local(6, 9, 0), 2, 10, 30, wang.Id, rating: 5)),
            Fix(Make("A204", TicketCategory.Lighting, Local(6, 10, 0), 4, 20, 60, wang.Id)),
            Fix(Make("B201", TicketCategory.DoorsWindows, Local(7, 9, 0), 6, 30, 90, li.Id)),
            Fix(Make("B201", TicketCategory.DoorsWindows, Local(8, 9, 0), 8, 40, 120, li.Id, reopens: 1, rating: 3)),
            Fix(Make("A102", TicketCategory.Furniture, Local(9, 9, 0), 10, null, null, wang.Id)),
            // 00:30 at the school on the first day: in the week by the school's clock, though 4 October in UTC.
            Fix(Make("A-2F-WC", TicketCategory.Plumbing, Local(5, 0, 30), null, null, null, null)),
            // Outside the week.
            Fix(Make("A204", TicketCategory.Lighting, Local(4, 23, 30), 1, 2, 3, wang.Id)),
            Fix(Make("A204", TicketCategory.Lighting, Local(12, 0, 10), 1, 2, 3, wang.Id)));

        var hazardTicket = Fix(Make("PLAY", TicketCategory.SafetyHazard, Local(4, 20, 0), 1, 2, 3, li.Id)); // reported before the week: only the round counts it
        db.Tickets.Add(hazardTicket);
        await db.SaveChangesAsync();
        var play = areas.ByCode["PLAY"].Id;
        var done = new InspectionRound { AreaId = play, WeekOf = new DateOnly(2026, 10, 5), ScheduledFor = Local(5, 7, 30), DueAt = Local(6, 0, 0),
            CreatedAt = Local(5, 7, 30), CompletedAt = Local(5, 15, 0) };
        done.Items.Add(new InspectionItem { AreaId = play, Text = "Swings", Result = InspectionResult.Hazard, TicketId = hazardTicket.Id });
        done.Items.Add(new InspectionItem { AreaId = play, Text = "Fence", Result = InspectionResult.Ok });
        var late = new InspectionRound { AreaId = areas.ByCode["GATE"].Id, WeekOf = new DateOnly(2026, 10, 5), ScheduledFor = Local(5, 7, 30),
            DueAt = Local(6, 0, 0), CreatedAt = Local(5, 7, 30) };
        late.Items.Add(new InspectionItem { AreaId = late.AreaId, Text = "Gate", Result = InspectionResult.Pending });
        db.InspectionRounds.AddRange(done, late);
        await db.SaveChangesAsync();
    }

    private static Ticket Fix(Ticket t)
    {
        // Timestamps the ticket never reached are empty, not "reported + 0".
        if (t.Status == TicketStatus.New)
        {
            t.ClaimedAt = null;
        }
        if (t.OnSiteAt == t.ReportedAt)
        {
            t.OnSiteAt = null;
        }
        if (t.ResolvedAt == t.ReportedAt)
        {
            t.ResolvedAt = null;
        }
        return t;
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task Totals_CountsRatesAndRatings()
    {
        var report = await _data.Get<ReportService>().BuildAsync(Week);

        var t = report.Totals;
        Assert.Equal((6, 4, 2), (t.Reported, t.Resolved, t.Open));
        Assert.Equal((5, 6), (t.ClaimedOnTime, t.Measured));
        Assert.Equal(83.33, t.Compliance!.Value, 2);
        Assert.Equal(16.67, t.ReopenRate!.Value, 2);
        Assert.Equal((4.0, 2), (t.AverageRating, t.Rated));
    }

    [Fact]
    public async Task CancelledDuplicates_AreReported_ButNeverLateClaims()
    {
        await using (var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var reported = new DateTimeOffset(2026, 10, 6, 9, 5, 0, TimeSpan.FromHours(8));
            db.Tickets.Add(new Ticket
            {
                TrackingCode = TrackingCode.New(), AreaId = (await _data.Get<AreaDirectory>().GetAsync()).ByCode["A204"].Id, Category = TicketCategory.Lighting,
                Priority = TicketPriority.Normal, Description = "same light again", Channel = TicketChannel.Qr, Status = TicketStatus.Cancelled,
                ReportedAt = reported, QueuedAt = reported, ResponseDueAt = reported + Target, ClosedAt = reported.AddHours(2), Version = 2,
            });
            await db.SaveChangesAsync();
        }

        var report = await _data.Get<ReportService>().BuildAsync(Week);

        Assert.Equal((7, 2), (report.Totals.Reported, report.Totals.Open));
        Assert.Equal((5, 6), (report.Totals.ClaimedOnTime, report.Totals.Measured));
        var lighting = report.ByCategory.Single(r => r.Label == "Lighting & electrical");
        Assert.Equal((3, 2, 2), (lighting.Reported, lighting.ClaimedOnTime, lighting.Measured));
    }

    [Fact]
    public async Task Percentiles_AreNearestRank()
    {
        var report = await _data.Get<ReportService>().BuildAsync(Week);

        Assert.Equal(new Percentiles(5, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(10)), report.TimeToClaim);
        Assert.Equal(new Percentiles(4, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40)), report.TimeToOnSite);
        Assert.Equal(new Percentiles(4, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(120)), report.TimeToResolve);
    }

    [Fact]
    public async Task Breakdowns_ByCategoryAreaAndStaff()
    {
        var report = await _data.Get<ReportService>().BuildAsync(Week);

        var lighting = report.ByCategory.Single(r => r.Label == "Lighting & electrical");
        Assert.Equal((2, 2, 0, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60)), (lighting.Reported, lighting.Resolved, lighting.Open, lighting.MedianResolve, lighting.P90Resolve));
        var doors = report.ByCategory.Single(r => r.Label == "Doors & windows");
        Assert.Equal((TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(120)), (doors.MedianResolve, doors.P90Resolve));
        var plumbing = report.ByCategory.Single(r => r.Label == "Plumbing & water");
        Assert.Equal((1, 0, 1, 0, 1), (plumbing.Reported, plumbing.Resolved, plumbing.Open, plumbing.ClaimedOnTime, plumbing.Measured));
        Assert.Equal(0, plumbing.Compliance);

        var room = report.ByArea.Single(r => r.Label.EndsWith("Room 204", StringComparison.Ordinal));
        Assert.Equal("Teaching Building A › Floor 2 › Room 204", room.Label);
        Assert.Equal(2, room.Reported);

        var wang = report.ByStaff.Single(r => r.Label == "Wang Lei");
        Assert.Equal((3, 2, 1, TimeSpan.FromMinutes(30)), (wang.Reported, wang.Resolved, wang.Open, wang.MedianResolve));
        Assert.Equal(2, report.ByStaff.Count);
    }

    [Fact]
    public async Task Teamwork_CreditsJobsLedAndJobsHelped_Apart_ForJobsFixedInThePeriodOnly()
    {
        await using (var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            var staff = await db.Staff.ToDictionaryAsync(s => s.DisplayName, s => s.Id);
            var tickets = await db.Tickets.Where(t => t.Description == "test").ToListAsync();
            int At(int day, int hour, int minute) => tickets.Single(t => t.ReportedAt == new DateTimeOffset(2026, 10, day, hour, minute, 0, TimeSpan.FromHours(8))).Id;
            TicketHelper Helps(int ticketId, string who, bool done = false) => new()
            {
                TicketId = ticketId, StaffId = staff[who], AddedAt = DateTimeOffset.UnixEpoch, AddedByName = "Zhou Min", DoneAt = done ? DateTimeOffset.UnixEpoch : null,
            };
            db.TicketHelpers.AddRange(
                Helps(At(6, 9, 0), "Li Na", done: true), Helps(At(6, 9, 0), "Zhang Wei"), // Wang Lei's first fix, two helpers
                Helps(At(8, 9, 0), "Wang Lei"),                                            // Li Na's fix, Wang Lei helped
                Helps(At(9, 9, 0), "Zhang Wei"),                                           // still open: no credit yet
                Helps(At(12, 0, 10), "Liu Yang"));                                         // fixed after the week
            await db.SaveChangesAsync();
        }

        var report = await _data.Get<ReportService>().BuildAsync(Week);

        Assert.Equal([("Wang Lei", 2, 1), ("Li Na", 2, 1), ("Zhang Wei", 0, 1)], report.Teamwork.Select(r => (r.Name, r.Led, r.Helped)));
        await using var csv = new MemoryStream();
        await CsvExport.WriteAsync(CsvExport.Rows(report.Teamwork), csv, CancellationToken.None);
        csv.Position = 0;
        Assert.Equal(new TeamworkCsvRow("Zhang Wei", 0, 1), CsvExport.Read<TeamworkCsvRow>(csv)[2]);
    }

    [Fact]
    public async Task Days_FollowTheSchoolsMidnights_AndInspectionsAreCounted()
    {
        var report = await _data.Get<ReportService>().BuildAsync(Week);

        Assert.Equal(7, report.Days.Count);
        Assert.Equal([1, 2, 1, 1, 1, 0, 0], report.Days.Select(d => d.Reported));
        Assert.Equal([0, 2, 1, 1, 0, 0, 0], report.Days.Select(d => d.Resolved));
        Assert.Equal(new InspectionTotals(2, 1, 1, 1, 1), report.Inspections);
        Assert.Equal(50, report.Inspections.OnTimeRate);
    }

    [Fact]
    public async Task RoundsNotYetDue_AreNeitherOnTimeNorLate()
    {
        var reports = _data.Get<ReportService>();
        await _data.Get<InspectionService>().CreateWeekAsync("0 8 * * TUE"); // fired at 08:00 today; due by the end of the day, and it is 10:00
        await using var db = await _data.Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var thisWeek = await db.InspectionRounds.Where(r => r.WeekOf == new DateOnly(2026, 11, 23)).ToListAsync();
        Assert.NotEmpty(thisWeek);
        Assert.All(thisWeek, r => Assert.True(r.CompletedAt is null && r.DueAt > _data.Time.GetUtcNow()));

        var early = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Week));
        var first = thisWeek[0];
        first.CompletedAt = _data.Time.GetUtcNow();
        await db.SaveChangesAsync();
        var oneDone = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Week));
        _data.Time.SetUtcNow(thisWeek.Max(r => r.DueAt).AddMinutes(1));
        var afterDeadline = await reports.BuildAsync(await reports.PeriodAsync(PeriodKind.Week));

        Assert.Equal(new InspectionTotals(0, 0, 0, 0, 0), early.Inspections);
        Assert.Null(early.Inspections.OnTimeRate);
        Assert.Equal((1, 1, 100.0), (oneDone.Inspections.Rounds, oneDone.Inspections.CompletedOnTime, oneDone.Inspections.OnTimeRate));
        Assert.Equal((thisWeek.Count, 1), (afterDeadline.Inspections.Rounds, afterDeadline.Inspections.CompletedOnTime));
    }

    [Fact]
    public async Task Periods_DayWeekMonth_AreSchoolDays()
    {
        var reports = _data.Get<ReportService>(); // the fake clock: Tuesday 24 Nov 2026, 10:00 at the school

        Assert.Equal((new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 24)), Range(await reports.PeriodAsync(PeriodKind.Day)));
        Assert.Equal((new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29)), Range(await reports.PeriodAsync(PeriodKind.Week)));
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), Range(await reports.PeriodAsync(PeriodKind.Month)));
        Assert.Equal((new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)), Range(await reports.PeriodAsync(PeriodKind.Month, new DateOnly(2026, 2, 17))));
    }

    private static (DateOnly, DateOnly) Range(ReportPeriod p) => (p.From, p.To);
}
