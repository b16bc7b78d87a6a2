using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.WorkingTime;

/// <summary>Importing the school calendar (issue 11): all or nothing, through AddAsync's rules, idempotent, administrators only.</summary>
public sealed class CalendarImportTests : IAsyncLifetime
{
    private TestData _data = default!;
    private CalendarPeriods _periods = default!;
    private Actor _admin = default!;

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>(TestHours.SchoolWeek()));
        _periods = _data.Get<CalendarPeriods>();
        _admin = await _data.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private Task<ServiceResult<CalendarImportResult>> CsvAsync(string csv, Actor? actor = null, bool dryRun = false, CalendarDayKind kind = CalendarDayKind.Closure) =>
        _periods.ImportAsync(new CalendarImportRequest(Encoding.UTF8.GetBytes(csv), CalendarImportFormat.Csv, kind, dryRun), actor ?? _admin);

    private Task<int> CountAsync() => _data.QueryAsync(db => db.CalendarPeriods.CountAsync());

    private const string SchoolYear = """
        Name,Kind,From,To
        "Winter break, all staff off",Closure,2027-01-23,2027-02-21
        Make-up Saturday,make-up,2027-01-16,
        Open day,skeleton,2026-12-05,
        国庆节,放假,2027-10-01,2027-10-07
        """;

    [Fact]
    public async Task AGoodFile_AddsEveryRow_AndTheWorkingCalendarFollowsAtOnce()
    {
        Assert.True((await _periods.WorkingCalendarAsync()).IsSchoolDay(new DateOnly(2027, 1, 25)));

        var result = await CsvAsync(SchoolYear);

        Assert.True(result.IsOk, result.Describe());
        Assert.True(result.Value!.Imported);
        Assert.Equal(4, result.Value.Added);
        var calendar = await _periods.WorkingCalendarAsync();
        Assert.False(calendar.IsSchoolDay(new DateOnly(2027, 1, 25)));
        Assert.True(calendar.IsSchoolDay(new DateOnly(2027, 1, 16)));
        Assert.Equal(CalendarDayKind.SkeletonDay, calendar.SpecialDay(new DateOnly(2026, 12, 5))?.Kind);
        Assert.Equal("Winter break, all staff off", (await _periods.ListAsync()).Single(e => e.From == new DateOnly(2027, 1, 23)).Name);
    }

    [Fact]
    public async Task TheSameFileTwice_AddsNothingTheSecondTime()
    {
        Assert.Equal(4, (await CsvAsync(SchoolYear)).Value!.Added);

        var again = await CsvAsync(SchoolYear);

        Assert.True(again.IsOk, again.Describe());
        Assert.Equal(0, again.Value!.Added);
        Assert.Equal(4, again.Value.AlreadyThere);
        Assert.All(again.Value.Rows, r => Assert.Contains("Already there", r.Message));
        Assert.Equal(4, await CountAsync());
    }

    [Fact]
    public async Task OneBadRow_ImportsNothing_AndEveryProblemNamesItsLineAndField()
    {
        var result = await CsvAsync(SchoolYear + "\nLabour Day,Closure,2027-05-01,2027-04-30\nMake-up,make-up,2027-05-10,\nSummer,Closure,2027-13-01,");

        Assert.True(result.IsOk, result.Describe());
        Assert.False(result.Value!.Imported);
        Assert.Equal(3, result.Value.Errors);
        Assert.Equal(["line 6.to", "line 7.from", "line 8.from"], result.Value.FieldErrors().Keys.Order());
        Assert.Contains("before it starts", result.Value.FieldErrors()["line 6.to"][0]);
        Assert.Contains("is a weekday already", result.Value.FieldErrors()["line 7.from"][0]);
        Assert.Equal(0, await CountAsync());
        Assert.True((await _periods.WorkingCalendarAsync()).IsSchoolDay(new DateOnly(2027, 1, 25)));
    }

    [Fact]
    public async Task ARowOverlappingTheCalendarOrAnEarlierRow_IsAnError_NamingTheOther()
    {
        Assert.True((await _periods.AddAsync(new CalendarPeriodInput("Sports week", CalendarDayKind.SkeletonDay, new(2026, 12, 7), new(2026, 12, 11)), _admin)).IsOk);

        var result = await CsvAsync("Name,Kind,From,To\nInset day,Closure,2026-12-10,\nBreak,Closure,2027-01-20,2027-01-30\nFair,skeleton,2027-01-29,2027-02-02\n");

        var errors = result.Value!.FieldErrors();
        Assert.Contains("overlaps 'Sports week'", errors["line 2.from"][0]);
        Assert.Contains("overlaps 'Break' on line 3", errors["line 4.from"][0]);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task ADayAlreadyOfThatKind_IsSkipped_NotAnOverlap()
    {
        var result = await CsvAsync("Name,Kind,From,To\nSpring Festival,Closure,2027-02-06,2027-02-12\nChinese New Year,Closure,2027-02-06,\nLantern,Closure,2027-02-06,2027-02-12\n");

        Assert.True(result.Value!.Imported);
        Assert.Equal(1, result.Value.Added);
        Assert.Equal("Inside 'Spring Festival' on line 2; skipped.", result.Value.Rows[1].Message);
        Assert.Equal(CalendarImportStatus.AlreadyThere, result.Value.Rows[2].Status);
    }

    [Fact]
    public async Task TheLimitsOfAddAsync_Apply_120DaysAndTheYears()
    {
        var result = await CsvAsync("Name,Kind,From,To\nTypo,Closure,2026-12-01,2027-12-01\nOld,Closure,1999-12-31,\n");

        var errors = result.Value!.FieldErrors();
        Assert.Contains("at most 120", errors["line 2.to"][0]);
        Assert.Contains("between 2000 and 2099", errors["line 3.from"][0]);
    }

    [Fact]
    public async Task ADryRun_SaysWhatItWouldDo_AndStoresNothing()
    {
        var preview = await CsvAsync(SchoolYear, dryRun: true);

        Assert.True(preview.Value!.CanImport);
        Assert.False(preview.Value.Imported);
        Assert.Equal(4, preview.Value.Added);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task OnlyAnAdministratorAsTheDatabaseHasItNow_Imports()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");

        var refused = await CsvAsync(SchoolYear, dispatcher);
        var stale = await CsvAsync(SchoolYear, dispatcher with { IsAdmin = true });
        var staleDryRun = await CsvAsync(SchoolYear, dispatcher with { IsAdmin = true }, dryRun: true);

        Assert.Equal(ResultKind.Forbidden, refused.Kind);
        Assert.Equal(ResultKind.Forbidden, stale.Kind);
        Assert.Equal(ResultKind.Forbidden, staleDryRun.Kind);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task AnUnreadableFile_IsRefusedNamingTheFile()
    {
        var result = await CsvAsync("Title,Start\nx,y\n");

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains("file", result.Errors.Keys);
    }

    [Fact]
    public async Task AGoogleHolidayFeed_ImportsItsPublicHolidaysOnce()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Calendars", "holidays-china-google.ics"));
        var request = new CalendarImportRequest(bytes, CalendarImportFormat.ICalendar);

        var first = await _periods.ImportAsync(request, _admin);
        var second = await _periods.ImportAsync(request, _admin);

        Assert.True(first.Value!.Imported, string.Join("\n", first.Value.Rows.Where(r => r.Status == CalendarImportStatus.Error)));
        Assert.Equal(19, first.Value.Added);
        Assert.Equal("Inside 'Chinese New Year' on line 52; skipped.", first.Value.Rows.Single(r => r.Name == "Spring Festival").Message);
        Assert.Equal(8, first.Value.Skipped);
        Assert.Equal(0, second.Value!.Added);
        Assert.Equal(19, await CountAsync());
        var calendar = await _periods.WorkingCalendarAsync();
        Assert.False(calendar.IsSchoolDay(new DateOnly(2026, 10, 5)));
        Assert.True(calendar.IsSchoolDay(new DateOnly(2026, 9, 10)));
    }
}
