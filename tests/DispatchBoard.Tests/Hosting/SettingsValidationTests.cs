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
    public void SchoolTimeZone_Unknown_NamesTheKey()
    {
        var services = Build(production: false, ("School:TimeZone", "Mars/Olympus_Mons"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SchoolOptions>>().Value);
        Assert.Contains("School:TimeZone", error.Message);
    }

    [Fact]
    public void CalendarSemester_EndingBeforeItStarts_NamesTheKey()
    {
        var services = Build(production: false,
            ("Calendar:Semesters:0:Name", "Spring 2027"), ("Calendar:Semesters:0:StartsOn", "2027-07-02"), ("Calendar:Semesters:0:EndsOn", "2027-02-22"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CalendarOptions>>().Value);
        Assert.Contains("Calendar:Semesters 'Spring 2027' ends", error.Message);
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
}
