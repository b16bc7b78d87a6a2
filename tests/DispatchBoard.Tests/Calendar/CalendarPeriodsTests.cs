using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.WorkingTime;

/// <summary>The school's holidays and make-up days, and the working calendar they make (issue 11's first step).</summary>
public sealed class CalendarPeriodsTests : IAsyncLifetime
{
    private TestData _data = default!;
    private CalendarPeriods _entries = default!;
    private Actor _admin = default!;

    // Monday 2026-12-07 is a normal school day; Saturday 2026-12-12 is not.
    private static readonly DateOnly Monday = new(2026, 12, 7);
    private static readonly DateOnly Saturday = new(2026, 12, 12);

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>(TestHours.SchoolWeek())
        {
            ["Calendar:Days:0:Name"] = "Founders' Day",
            ["Calendar:Days:0:Kind"] = "Closure",
            ["Calendar:Days:0:From"] = "2026-12-18",
        });
        _entries = _data.Get<CalendarPeriods>();
        _admin = await _data.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task AClosure_MakesItsDaysNoSchoolDays_AndRemovingItGivesThemBack()
    {
        Assert.True((await _entries.WorkingCalendarAsync()).IsSchoolDay(Monday));

        var added = await _entries.AddAsync(new CalendarPeriodInput("Heating repair closure", CalendarDayKind.Closure, Monday, Monday.AddDays(1)), _admin);

        Assert.True(added.IsOk, added.Describe());
        var closed = await _entries.WorkingCalendarAsync();
        Assert.False(closed.IsSchoolDay(Monday));
        Assert.False(closed.IsSchoolDay(Monday.AddDays(1)));
        Assert.True(closed.IsSchoolDay(Monday.AddDays(2)));
        Assert.True((await _entries.RemoveAsync(added.Value!.Id, _admin)).IsOk);
        Assert.True((await _entries.WorkingCalendarAsync()).IsSchoolDay(Monday));
    }

    [Fact]
    public async Task AMakeUpSaturday_IsASchoolDay()
    {
        Assert.False((await _entries.WorkingCalendarAsync()).IsSchoolDay(Saturday));

        var added = await _entries.AddAsync(new CalendarPeriodInput("Make-up day", CalendarDayKind.MakeUpDay, Saturday, null), _admin);

        Assert.True(added.IsOk, added.Describe());
        Assert.True((await _entries.WorkingCalendarAsync()).IsSchoolDay(Saturday));
    }

    [Fact]
    public async Task AnEntryOverlappingAnother_IsRefused_NamingIt()
    {
        Assert.True((await _entries.AddAsync(new CalendarPeriodInput("Winter break", CalendarDayKind.Closure, new(2027, 1, 23), new(2027, 2, 21)), _admin)).IsOk);

        var clash = await _entries.AddAsync(new CalendarPeriodInput("Make-up day", CalendarDayKind.MakeUpDay, new(2027, 2, 20), null), _admin);

        Assert.Equal(ResultKind.Conflict, clash.Kind);
        Assert.Contains("'Winter break'", clash.Message);
    }

    [Theory]
    [InlineData("", "Closure", "2026-12-07", "2026-12-07", "Name is required.")]
    [InlineData("Break", "Closure", "2026-12-10", "2026-12-07", "ends (2026-12-07) before it starts")]
    [InlineData("Break", "Closure", "2026-12-07", "2027-12-07", "check the year")]
    [InlineData("Make-up", "MakeUpDay", "2026-12-07", "2026-12-07", "is a weekday already")]
    [InlineData("Break", "Closure", "1926-12-07", "1926-12-08", "between 2000 and 2099")]
    public async Task ABadEntry_IsRefusedWithAMessage_AndNothingIsStored(string name, string kind, string from, string to, string message)
    {
        var before = await _data.QueryAsync(db => db.CalendarPeriods.CountAsync());

        var result = await _entries.AddAsync(new CalendarPeriodInput(name, Enum.Parse<CalendarDayKind>(kind), DateOnly.Parse(from), DateOnly.Parse(to)), _admin);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains(message, string.Join(" ", result.Errors.Values.SelectMany(v => v)));
        Assert.Equal(before, await _data.QueryAsync(db => db.CalendarPeriods.CountAsync()));
    }

    [Fact]
    public async Task OnlyAnAdministratorAsTheDatabaseHasItNow_EditsTheCalendar()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var staleAdmin = dispatcher with { IsAdmin = true };

        var refused = await _entries.AddAsync(new CalendarPeriodInput("Closure", CalendarDayKind.Closure, Monday, null), staleAdmin);

        Assert.Equal(ResultKind.Forbidden, refused.Kind);
    }

    [Fact]
    public async Task TheConfiguredDays_AreAddedOnce_HoweverOftenTheAppStarts()
    {
        await _entries.SyncConfigurationAsync();
        await _entries.SyncConfigurationAsync();

        var founders = Assert.Single(await _entries.ListAsync(), e => e.Name == "Founders' Day");
        Assert.Equal(new DateOnly(2026, 12, 18), founders.To);
        Assert.False((await _entries.WorkingCalendarAsync()).IsSchoolDay(new DateOnly(2026, 12, 18)));
    }

    [Fact]
    public async Task AddingAndRemovingAnEntry_IsWrittenToTheAuditLog_WithWhoAndWhat()
    {
        var added = await _entries.AddAsync(new CalendarPeriodInput("Heating repair closure", CalendarDayKind.Closure, Monday, Monday.AddDays(1)), _admin);
        Assert.True((await _entries.RemoveAsync(added.Value!.Id, _admin)).IsOk);

        var lines = await _data.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditEntries.Where(e => e.Kind == DispatchBoard.Web.Audit.AuditKind.CalendarChanged).OrderBy(e => e.Id)));
        Assert.Equal(
            [("Heating repair closure", $"Closure {Monday:yyyy-MM-dd} to {Monday.AddDays(1):yyyy-MM-dd} added"),
             ("Heating repair closure", $"Closure {Monday:yyyy-MM-dd} to {Monday.AddDays(1):yyyy-MM-dd} removed")],
            lines.Select(l => (l.Subject, l.Details)));
        Assert.All(lines, l => Assert.Equal(_admin.UserId, l.ActorUserId));
    }
}
