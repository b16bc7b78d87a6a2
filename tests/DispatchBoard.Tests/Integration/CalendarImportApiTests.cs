using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DispatchBoard.Web.Calendar;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// POST /api/admin/calendar/import (issue 11): CSV or iCalendar from a script (the X-Requested-With header, as the area
/// import), a dry run for the preview, all or nothing, problem details naming line and field.
/// </summary>
public sealed class CalendarImportApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private const string Url = "/api/admin/calendar/import";

    private static HttpRequestMessage Post(string body, string type, string query = "", bool scriptHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url + query) { Content = new StringContent(body, Encoding.UTF8, type) };
        if (scriptHeader)
        {
            request.Headers.Add("X-Requested-With", "DispatchBoard");
        }
        return request;
    }

    private async Task<IReadOnlyList<CalendarPeriod>> EntriesAsync() => await factory.Services.GetRequiredService<CalendarPeriods>().ListAsync();

    [Fact]
    public async Task ACsvFile_IsPreviewedByADryRun_ThenImported_ThenSkippedTheSecondTime()
    {
        var admin = await factory.SignedInAsync("admin");
        const string csv = "\uFEFFName,Kind,From,To\r\n\"Field trip, whole school\",Closure,2031-03-03,2031-03-04\r\n";

        var preview = await admin.SendAsync(Post(csv, "text/csv", "?dryRun=true"));
        var previewBody = JsonNode.Parse(await preview.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(1, previewBody["added"]!.GetValue<int>());
        Assert.False(previewBody["imported"]!.GetValue<bool>());
        Assert.DoesNotContain(await EntriesAsync(), e => e.Name == "Field trip, whole school");

        var imported = await admin.SendAsync(Post(csv, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.True(JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["imported"]!.GetValue<bool>());
        Assert.Single(await EntriesAsync(), e => e.Name == "Field trip, whole school" && e.To == new DateOnly(2031, 3, 4));

        var again = JsonNode.Parse(await (await admin.SendAsync(Post(csv, "text/csv"))).Content.ReadAsStringAsync())!;
        Assert.Equal(0, again["added"]!.GetValue<int>());
        Assert.Equal("AlreadyThere", again["rows"]![0]!["status"]!.GetValue<string>());
        Assert.Single(await EntriesAsync(), e => e.Name == "Field trip, whole school");
    }

    [Fact]
    public async Task AnICalendarFile_IsImported_WithTheKindAsked()
    {
        var admin = await factory.SignedInAsync("admin");
        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20310407\r\nDTEND;VALUE=DATE:20310409\r\nSUMMARY:Inset days\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var response = await admin.SendAsync(Post(ics, "text/calendar", "?kind=skeleton"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(), e => e.Name == "Inset days");
        Assert.Equal((CalendarDayKind.SkeletonDay, new DateOnly(2031, 4, 7), new DateOnly(2031, 4, 8)), (entry.Kind, entry.From, entry.To));
    }

    [Fact]
    public async Task AFileWithErrors_Is400NamingLineAndField_AndNothingIsImported()
    {
        var admin = await factory.SignedInAsync("admin");
        const string csv = "Name,Kind,From,To\nGood day,Closure,2031-05-05,\nBad day,Closure,2031-02-30,\nMake-up,make-up,2031-05-07,\n";

        var response = await admin.SendAsync(Post(csv, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Nothing was imported", problem["detail"]!.GetValue<string>());
        Assert.Contains("'2031-02-30' is not a date", problem["errors"]!["line 3.from"]![0]!.GetValue<string>());
        Assert.Contains("weekday already", problem["errors"]!["line 4.from"]![0]!.GetValue<string>());
        Assert.Equal("Add", problem["rows"]![0]!["status"]!.GetValue<string>());
        Assert.DoesNotContain(await EntriesAsync(), e => e.Name == "Good day");
    }

    [Theory]
    [InlineData("text/csv", false, HttpStatusCode.BadRequest, "X-Requested-With")]
    [InlineData("text/calendar", false, HttpStatusCode.BadRequest, "X-Requested-With")]
    [InlineData("text/plain", true, HttpStatusCode.BadRequest, "text/csv or text/calendar")]
    [InlineData("application/x-www-form-urlencoded", true, HttpStatusCode.BadRequest, "text/csv or text/calendar")]
    public async Task ABodyAPageCouldSend_IsRefused_AndNothingIsImported(string type, bool scriptHeader, HttpStatusCode status, string message)
    {
        var admin = await factory.SignedInAsync("admin");
        var body = type == "text/calendar"
            ? "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310606\r\nSUMMARY:Forged\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            : "Name,From\nForged,2031-06-06\n";

        var response = await admin.SendAsync(Post(body, type, scriptHeader: scriptHeader));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await EntriesAsync(), e => e.Name == "Forged");
    }

    [Fact]
    public async Task ADispatcher_IsRefused()
    {
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var response = await dispatcher.SendAsync(Post("Name,From\nNot mine,2031-07-07\n", "text/csv"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(await EntriesAsync(), e => e.Name == "Not mine");
    }

    [Fact]
    public async Task AFileOverOneMegabyte_Is413()
    {
        var admin = await factory.SignedInAsync("admin");
        var big = "Name,From\n" + string.Concat(Enumerable.Repeat("A long name for a day that is not real,2031-08-08\n", 30_000));

        var response = await admin.SendAsync(Post(big, "text/csv"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("?dryRun=maybe", "dryRun")]
    [InlineData("?kind=party", "kind")]
    public async Task ABadQuery_NamesItsField(string query, string field)
    {
        var admin = await factory.SignedInAsync("admin");

        var response = await admin.SendAsync(Post("Name,From\nQuery day,2031-09-09\n", "text/csv", query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]);
    }
}
