using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// A person reads the app in their language: the one they chose with the switch (a cookie), else their browser's,
/// else the school's; the API's refusals too, while its identifiers (statuses, categories) stay English.
/// </summary>
public sealed class LanguageTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private const string CultureCookie = ".AspNetCore.Culture";

    [Fact]
    public async Task TheSwitch_KeepsTheChoiceInACookie_AndGoesBackToThePage()
    {
        var response = await factory.Anonymous().GetAsync("/language/zh-Hans?back=%2Ftrack%2FABC%3Fx%3D1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/track/ABC?x=1", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CultureCookie + "=", StringComparison.Ordinal));
        Assert.Contains("c%3Dzh-Hans%7Cuic%3Dzh-Hans", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    [InlineData("/report\r\nSet-Cookie: x=1")]
    public async Task TheSwitch_GoesBackOnlyToAPageOfTheApp(string back)
    {
        var response = await factory.Anonymous().GetAsync($"/language/en?back={Uri.EscapeDataString(back)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnUnknownLanguage_IsRefusedWithTheLanguagesThereAre_AndNoCookie()
    {
        var response = await factory.Anonymous().GetAsync("/language/klingon?back=/report");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("'klingon' is not a language of this app; use one of en, zh-Hans.", problem.GetProperty("detail").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.5", null)]
    [InlineData("en-US,en;q=0.9", "zh-Hans")]
    [InlineData(null, "zh-Hans")]
    public async Task AReportWithMissingFields_IsRefusedInTheReadersLanguage_AndNothingIsStored(string? acceptLanguage, string? chosen)
    {
        var before = await TicketCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets")
        {
            Content = JsonContent.Create(new { areaCode = "", category = "Weather", description = " " }),
        };
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }
        if (chosen is not null)
        {
            request.Headers.Add("Cookie", $"{CultureCookie}=c%3D{chosen}%7Cuic%3D{chosen}");
        }

        var response = await factory.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("部分内容填写有误", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("请选择出问题的地点。", errors.GetProperty("areaCode")[0].GetString());
        Assert.Equal("请填写问题描述。", errors.GetProperty("description")[0].GetString());
        // The category names in the message are the API's identifiers, in English whatever the reader's language.
        Assert.Equal("“Weather”不是问题类别；请使用以下之一：Lighting, DoorsWindows, Furniture, Plumbing, SafetyHazard, Cleaning, Other。",
            errors.GetProperty("category")[0].GetString());
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task WithoutAChoiceOrABrowserLanguageTheAppHas_TheSchoolsLanguageIsUsed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(new { }) };
        request.Headers.AcceptLanguage.ParseAdd("fr-FR,de;q=0.8");

        var response = await factory.Anonymous().SendAsync(request);

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Some fields are not valid", problem.GetProperty("title").GetString());
        Assert.Equal("Choose the area where the problem is.", problem.GetProperty("errors").GetProperty("areaCode")[0].GetString());
    }

    [Theory]
    [InlineData("zh-CN", "zh-Hans", "值班人员会立即看到你的报修，无需登录。", "The staff on duty see your report at once.")]
    [InlineData("en-GB", "en", "The staff on duty see your report at once. No account needed.", "值班人员")]
    public async Task TheReportPage_IsMarkedWithTheReadersLanguage_AndReadsInIt(string browser, string lang, string shown, string notShown)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/report");
        request.Headers.AcceptLanguage.ParseAdd(browser);

        var html = await (await factory.Anonymous().SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains($"<html lang=\"{lang}\">", html);
        // As characters, not one HTML entity per character.
        Assert.Contains(shown, html);
        Assert.DoesNotContain(notShown, html);
    }

    [Fact]
    public async Task TheSwitch_WhileSignedIn_KeepsTheLanguageOnTheAccount_SoItFollowsThePersonToAnotherBrowser()
    {
        var office = await factory.SignedInAsync("staff3");

        var switched = await office.GetAsync("/language/zh-Hans?back=/account");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/account", switched.Headers.Location!.OriginalString);
        Assert.Equal("zh-Hans", await CultureOfAsync("staff3"));
        // This browser's sign-in is issued again with the language in it.
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("DispatchBoard.Auth=", StringComparison.Ordinal));

        // Another browser: no language cookie, a browser asking for English. The account's language wins.
        var phone = await factory.SignedInAsync("staff3");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var html = await (await phone.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"zh-Hans\">", html);
        Assert.Contains("我的账户", html);

        // And back: English on the account, for the next sign-in anywhere.
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/language/en?back=/account")).StatusCode);
        Assert.Equal("en", await CultureOfAsync("staff3"));
        using var chinese = new HttpRequestMessage(HttpMethod.Get, "/account");
        chinese.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var again = await (await (await factory.SignedInAsync("staff3")).SendAsync(chinese)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", again);
        Assert.Contains("My account", again);
    }

    [Theory]
    [InlineData("zh-CN", "报修编号,报修时间,区域代码,区域,类别,优先级,状态,来源,描述")]
    [InlineData("en-GB", "TrackingCode,ReportedAt,AreaCode,Area,Category,Priority,Status,Channel,Description")]
    public async Task TheTicketsCsv_HasItsHeadersInTheReadersLanguage_WithTheByteOrderMarkExcelNeeds(string browser, string headers)
    {
        var dispatcher = await factory.SignedInAsync("dispatcher");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports/tickets.csv?period=Semester");
        request.Headers.AcceptLanguage.ParseAdd(browser);

        var response = await dispatcher.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.StartsWith(headers + ",", lines[0]);
        // The values stay the same in every language: codes and the English names of categories.
        Assert.Contains(lines.Skip(1), l => l.Contains(",Lighting,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSwitch_Anonymous_TouchesNoAccount()
    {
        var before = await CultureOfAsync("staff4");

        Assert.Equal(HttpStatusCode.Redirect, (await factory.Anonymous().GetAsync("/language/zh-Hans?back=/report")).StatusCode);

        Assert.Equal(before, await CultureOfAsync("staff4"));
    }

    private async Task<string?> CultureOfAsync(string who)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.NormalizedEmail == $"{who.ToUpperInvariant()}@DEMO.EXAMPLE").Select(u => u.Culture).SingleAsync();
    }

    private async Task<int> TicketCountAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.CountAsync();
    }
}

/// <summary>A Chinese school: <c>School:DefaultCulture</c> is zh-Hans.</summary>
public sealed class ChineseSchoolFactory : DispatchBoardFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("School:DefaultCulture", "zh-Hans");
    }
}

/// <summary>In a Chinese school, whoever asks for no language the app has reads Chinese; an English browser, English.</summary>
public sealed class ChineseSchoolTests(ChineseSchoolFactory factory) : IClassFixture<ChineseSchoolFactory>
{
    [Theory]
    [InlineData(null, "请选择出问题的地点。")]
    [InlineData("fr-FR", "请选择出问题的地点。")]
    [InlineData("en-US", "Choose the area where the problem is.")]
    public async Task ARefusal_IsInTheSchoolsLanguage_UnlessTheBrowserAsksForAnotherTheAppHas(string? browser, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(new { }) };
        if (browser is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(browser);
        }

        var response = await factory.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, problem.GetProperty("errors").GetProperty("areaCode")[0].GetString());
    }
}
