using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Tests.Hosting;

public class SettingsValidationTests
{
    private static IServiceProvider Build(bool production, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddDispatchOptions(production)
            .AddDispatchCore()
            .BuildServiceProvider();
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("sqlserver")]
    public void DatabaseProvider_NeitherSqliteNorPostgres_IsRefusedNamingTheSetting(string provider)
    {
        var services = Build(production: false, ("Database:Provider", provider));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        Assert.Contains("Database:Provider", error.Message);
        Assert.Contains(provider, error.Message);
    }

    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    public void DatabaseProvider_IsSqliteByDefault_AndPostgresWhenNamed(string? value, DatabaseProvider expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Database:Provider", value)]).Build();

        Assert.Equal(expected, DatabaseOptions.From(configuration));
    }

    [Fact]
    public void Postgres_WithoutAConnectionString_IsRefusedNamingIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Database:Provider", "Postgres")]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => DatabaseOptions.PostgresConnectionString(configuration));
        Assert.Contains("ConnectionStrings:Dispatch", error.Message);
    }

    [Fact]
    public void DemoSeed_InProductionWithoutPassword_IsRefusedWithAMessage()
    {
        var services = Build(production: true, ("Demo:Seed", "true"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DemoOptions>>().Value);
        Assert.Contains("Demo:Password", error.Message);
    }

    [Fact]
    public void DemoSeed_InProductionWithExplicitPassword_IsAllowed()
    {
        var services = Build(production: true, ("Demo:Seed", "true"), ("Demo:Password", "Explicit-Pass-1"));

        Assert.True(services.GetRequiredService<IOptions<DemoOptions>>().Value.Seed);
    }

    [Fact]
    public void DemoCulture_NotALanguageOfTheApp_IsRefusedNamingTheOnesThereAre()
    {
        var services = Build(production: false, ("Demo:Culture", "klingon"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DemoOptions>>().Value);
        Assert.Contains("Demo:Culture is not a language of this app; use one of en, zh-Hans", error.Message);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("8.00:00:00")]
    public void DuplicateWindow_OutOfRange_NamesTheKey(string window)
    {
        var services = Build(production: false, ("Dispatch:DuplicateWindow", window));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DispatchOptions>>().Value);
        Assert.Contains("Dispatch:DuplicateWindow", error.Message);
    }

    [Fact]
    public void SchoolTimeZone_Unknown_NamesTheKey()
    {
        var services = Build(production: false, ("School:TimeZone", "Mars/Olympus_Mons"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SchoolOptions>>().Value);
        Assert.Contains("School:TimeZone", error.Message);
    }

    [Fact]
    public void SchoolDefaultCulture_NotALanguageOfTheApp_NamesTheKeyAndTheLanguagesThereAre()
    {
        var services = Build(production: false, ("School:DefaultCulture", "fr"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SchoolOptions>>().Value);
        Assert.Contains("School:DefaultCulture 'fr' is not a language of this app; use one of en, zh-Hans.", error.Message);
    }

    [Fact]
    public void RosterSchedule_NotACron_NamesTheKey()
    {
        var services = Build(production: false, ("Roster:Schedule", "every minute"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DispatchBoard.Web.Staff.RosterOptions>>().Value);
        Assert.Contains("Roster:Schedule 'every minute' is not a cron expression", error.Message);
    }

    [Fact]
    public void WorkingHours_EveryWeekdayClosed_IsRefusedAtStart()
    {
        var services = Build(production: false,
            ("Calendar:WorkingHours:Monday:0", "closed"), ("Calendar:WorkingHours:Tuesday:0", "closed"), ("Calendar:WorkingHours:Wednesday:0", "closed"),
            ("Calendar:WorkingHours:Thursday:0", "closed"), ("Calendar:WorkingHours:Friday:0", "closed"), ("Calendar:WorkingHours:MakeUpDay:0", "08:00-12:00"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WorkingHoursOptions>>().Value);
        Assert.Contains("Calendar:WorkingHours: every weekday is closed; give at least one day working hours", error.Message);
    }

    [Fact]
    public void CalendarSemester_EndingBeforeItStarts_NamesTheKey()
    {
        var services = Build(production: false,
            ("Calendar:Semesters:0:Name", "Spring 2027"), ("Calendar:Semesters:0:StartsOn", "2027-07-02"), ("Calendar:Semesters:0:EndsOn", "2027-02-22"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CalendarOptions>>().Value);
        Assert.Contains("Calendar:Semesters 'Spring 2027' ends", error.Message);
    }

    [Theory]
    //          setting                                  value          message
    [InlineData("Calendar:WorkingHours:Monday:0",       "7:30-25:00",  "Calendar:WorkingHours:Monday '7:30-25:00' is not a time range like 07:30-17:30")]
    [InlineData("Calendar:WorkingHours:Tuesday:0",      "07:30",       "Calendar:WorkingHours:Tuesday '07:30' is not a time range like 07:30-17:30")]
    [InlineData("Calendar:WorkingHours:Friday:0",       "17:30-07:30", "Calendar:WorkingHours:Friday '17:30-07:30' ends before it starts")]
    [InlineData("Calendar:WorkingHours:Saturday:0",     "09:00-09:00", "Calendar:WorkingHours:Saturday '09:00-09:00' ends before it starts")]
    [InlineData("Calendar:WorkingHours:Holiday:0",      "8-12",        "Calendar:WorkingHours:Holiday '8-12' is not a time range")]
    [InlineData("Calendar:WorkingHours:Monday:0",       "24:00-24:00", "Calendar:WorkingHours:Monday '24:00-24:00' is not a time range like 07:30-17:30")]
    [InlineData("Calendar:WorkingHours:MakeUpDay:0",    "22:00-02:00", "Calendar:WorkingHours:MakeUpDay '22:00-02:00' ends before it starts (a range cannot cross midnight)")]
    public void WorkingHours_BadRange_NamesTheKey(string key, string value, string message)
    {
        var services = Build(production: false, (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WorkingHoursOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    //          setting                     value        message
    [InlineData("Meetings:OnHoliday",       "Sometimes", "Meetings:OnHoliday 'Sometimes' must be Move (a meeting on a holiday moves to the next school day) or Skip")]
    [InlineData("Meetings:OnHoliday",       "1",         "Meetings:OnHoliday '1' must be Move")]
    [InlineData("Meetings:MoveWithinDays",  "0",         "Meetings:MoveWithinDays must be between 1 and 28 days.")]
    [InlineData("Inspections:CalendarCheckSchedule", "nightly", "Inspections:CalendarCheckSchedule 'nightly' is not a cron expression")]
    public void MeetingsAndRounds_BadHolidaySetting_NamesTheKey(string key, string value, string message)
    {
        var services = Build(production: false, (key, value));

        var error = Assert.Throws<OptionsValidationException>(() =>
            key.StartsWith("Meetings", StringComparison.Ordinal)
                ? services.GetRequiredService<IOptions<Web.Meetings.MeetingOptions>>().Value
                : (object)services.GetRequiredService<IOptions<Web.Inspections.InspectionOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(null, OnHoliday.Move)]
    [InlineData("skip", OnHoliday.Skip)]
    [InlineData("Move", OnHoliday.Move)]
    public void Meetings_OnHoliday_ReadsMoveOrSkip(string? value, OnHoliday expected)
    {
        var services = value is null ? Build(production: false) : Build(production: false, ("Meetings:OnHoliday", value));

        Assert.Equal(expected, services.GetRequiredService<IOptions<Web.Meetings.MeetingOptions>>().Value.HolidayPolicy);
    }

    [Theory]
    //          setting                          value          message
    [InlineData("Calendar:Bells:Monday:0",      "8:00-8:45",   "Calendar:Bells:Monday '8:00-8:45' is not a time range like 07:30-17:30")]
    [InlineData("Calendar:Bells:Saturday:0",    "10:45-10:00", "Calendar:Bells:Saturday '10:45-10:00' ends before it starts")]
    public void Bells_BadPeriod_NamesTheKey(string key, string value, string message)
    {
        var services = Build(production: false, (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BellOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void WorkingHours_OverlappingRanges_AreRefused()
    {
        var services = Build(production: false,
            ("Calendar:WorkingHours:Wednesday:0", "13:00-17:30"), ("Calendar:WorkingHours:Wednesday:1", "07:30-13:30"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WorkingHoursOptions>>().Value);
        Assert.Contains("Calendar:WorkingHours:Wednesday '07:30-13:30' overlaps '13:00-17:30'", error.Message);
    }

    [Fact]
    public void WorkingHours_ConfiguredDaysReplaceTheDefaults()
    {
        var services = Build(production: false,
            ("Calendar:WorkingHours:Monday:0", "08:00-12:00"), ("Calendar:WorkingHours:Monday:1", "12:00-16:00"),
            ("Calendar:WorkingHours:Friday:0", "closed"), ("Calendar:WorkingHours:Holiday:0", "08:00-12:00"));

        var hours = services.GetRequiredService<IOptions<WorkingHoursOptions>>().Value;
        var calendar = new WorkingCalendar(TimeZoneInfo.Utc, hours, []);

        Assert.Equal([(new TimeOnly(8, 0), new TimeOnly(12, 0)), (new TimeOnly(12, 0), new TimeOnly(16, 0))], calendar.HoursOn(new DateOnly(2026, 3, 2)));
        Assert.Equal([(new TimeOnly(7, 30), new TimeOnly(17, 30))], calendar.HoursOn(new DateOnly(2026, 3, 3)));
        Assert.Empty(calendar.HoursOn(new DateOnly(2026, 3, 6)));
        Assert.Empty(calendar.HoursOn(new DateOnly(2026, 3, 7)));
        Assert.Equal(["08:00-12:00"], hours.HolidayRanges);
    }

    [Fact]
    public void WorkingHours_EmptyListOrClosed_ClosesTheDay()
    {
        var json = """{ "Calendar": { "WorkingHours": { "Monday": [], "Tuesday": [ "closed" ] } } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var hours = new WorkingHoursOptions();
        configuration.GetSection(WorkingHoursOptions.Section).Bind(hours);

        var calendar = new WorkingCalendar(TimeZoneInfo.Utc, hours, []);

        Assert.Empty(calendar.HoursOn(new DateOnly(2026, 3, 2)));
        Assert.Empty(calendar.HoursOn(new DateOnly(2026, 3, 3)));
        Assert.True(calendar.IsSchoolDay(new DateOnly(2026, 3, 4)));
    }

    [Fact]
    public void ACalendarDayThatEndsBeforeItStarts_StopsTheStart_NamingIt()
    {
        var services = Build(production: false, ("Calendar:Days:0:Name", "Winter break"), ("Calendar:Days:0:From", "2027-02-21"),
            ("Calendar:Days:0:To", "2027-01-23"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CalendarOptions>>().Value);
        Assert.Contains("Calendar:Days 'Winter break': It ends (2027-01-23) before it starts", error.Message);
    }

    [Fact]
    public void IntakeLimit_OutOfRange_IsRefused()
    {
        var services = Build(production: false, ("Intake:PermitLimit", "0"));

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<IntakeOptions>>().Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    public void DisplaySignInDays_OutOfRange_IsRefusedNamingTheSetting(string days)
    {
        var services = Build(production: false, ("Displays:SignInDays", days));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DispatchBoard.Web.Displays.DisplayOptions>>().Value);
        Assert.Contains("SignInDays", error.Message);
    }

    [Fact]
    public void DisplaySignInDays_DefaultsToAYear()
    {
        Assert.Equal(365, Build(production: false).GetRequiredService<IOptions<DispatchBoard.Web.Displays.DisplayOptions>>().Value.SignInDays);
    }

    [Fact]
    public void Backup_Defaults_AreFourteenNightlyCopiesBesideTheDatabase()
    {
        var backup = Build(production: false).GetRequiredService<IOptions<DispatchBoard.Web.Backups.BackupOptions>>().Value;

        Assert.Equal((14, "30 3 * * *", null), (backup.Keep, backup.Schedule, backup.Folder));
    }

    [Fact]
    public async Task Boot_WithBackupKeepZeroAndABadSchedule_StopsBeforeServing_NamingBothKeys()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Backup:Keep"] = "0";
        builder.Configuration["Backup:Schedule"] = "nightly";
        builder.Configuration["Jobs:Enabled"] = "false";
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.AddDispatchBoard();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Backup:Keep is 0: keep at least 1 backup.", error.Message);
        Assert.Contains("Backup:Schedule 'nightly' is not a cron expression.", error.Message);
    }
}
