using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Reports;

namespace DispatchBoard.Tests.Integration;

public sealed class ReportsApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/api/reports?period=Month&from=0001-01-01")]
    [InlineData("/api/reports?period=Custom&from=9999-12-01&to=9999-12-31")]
    [InlineData("/api/reports/tickets.csv?period=Custom&from=0001-01-01&to=0001-01-31")]
    [InlineData("/api/reports?period=Month&from=2100-01-01")]
    public async Task DatesAtTheCalendarsEdges_AreA400NamingThePeriod_NotA500(string url)
    {
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var response = await dispatcher.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"period\"", body);
        Assert.Contains("Choose dates between 2000-01-01 and 2099-12-31.", body);
    }

    [Fact]
    public async Task Reports_AreForTheOffice_AndABadPeriodIsNamed()
    {
        var anonymous = await factory.Anonymous().GetAsync("/api/reports");
        var staff = await (await factory.SignedInAsync("staff1")).GetAsync("/api/reports/tickets.csv");
        var dispatcher = await factory.SignedInAsync("dispatcher");
        var badKind = await dispatcher.GetAsync("/api/reports?period=Fortnight");
        var backwards = await dispatcher.GetAsync("/api/reports/areas.csv?period=Custom&from=2026-11-20&to=2026-11-01");
        var unknownTable = await dispatcher.GetAsync("/api/reports/rooms.csv");
        var principal = await (await factory.SignedInAsync("principal")).GetAsync("/api/reports?period=Week");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("\"period\"", await badKind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("The end date is before the start date", await backwards.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownTable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, principal.StatusCode);
    }

    [Fact]
    public async Task TicketsCsv_CarriesTodaysReports_WithCommasQuotesNewlinesAndChinese_AsTheTotalsCountThem()
    {
        var description = $"窗户关不上, the \"big\" one\nsecond line {Guid.NewGuid():N}";
        var reported = await factory.Anonymous().PostAsync("/api/tickets", JsonContent.Create(new
        {
            areaCode = "A204", category = "DoorsWindows", description, urgent = false, reporterName = "李老师", reporterContact = (string?)null,
        }));
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var csv = await dispatcher.GetAsync("/api/reports/tickets.csv?period=Day");
        var report = await dispatcher.GetFromJsonAsync<JsonElement>("/api/reports?period=Day");
        var categories = await dispatcher.GetAsync("/api/reports/categories.csv?period=Day");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment; filename=\"tickets-", csv.Content.Headers.ContentDisposition?.ToString());
        var rows = CsvExport.Read<TicketCsvRow>(await csv.Content.ReadAsStreamAsync());
        var mine = Assert.Single(rows, r => r.Description == description);
        Assert.Equal(("A204", "DoorsWindows", "New"), (mine.AreaCode, mine.Category, mine.Status));
        Assert.Equal(report.GetProperty("totals").GetProperty("reported").GetInt32(), rows.Count);
        var byCategory = CsvExport.Read<BreakdownCsvRow>(await categories.Content.ReadAsStreamAsync());
        Assert.Equal(rows.Count, byCategory.Sum(r => r.Reported));
        Assert.Contains(byCategory, r => r.Name == "Doors & windows" && r.Reported >= 1);
    }

    [Fact]
    public async Task Suggestions_StaffSubmit_OnlyThePrincipalReviews_AndTheAuthorReadsTheReply()
    {
        var staff = await factory.SignedInAsync("staff3");
        var principal = await factory.SignedInAsync("principal");

        var bad = await staff.PostAsync("/api/suggestions", Json("""{"title":"","category":"Boats","costEstimate":-1}"""));
        var sent = await staff.PostAsync("/api/suggestions", Json("""{"title":"Hooks for mops in every cleaning cupboard","body":"They dry faster.","category":"Cleaning","costEstimate":120}"""));
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var listByStaff = await staff.GetAsync("/api/suggestions");
        var reviewByStaff = await staff.PostAsync($"/api/suggestions/{id}/review", Json("""{"status":"Accepted","reply":"Mine!"}"""));
        var badStatus = await principal.PostAsync($"/api/suggestions/{id}/review", Json("""{"status":"Maybe","reply":"Hmm"}"""));
        var accepted = await principal.PostAsync($"/api/suggestions/{id}/review", Json("""{"status":"Accepted","reply":"Yes, buy them."}"""));
        var mine = await staff.GetFromJsonAsync<JsonElement>("/api/suggestions/mine");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.All(["\"title\"", "\"category\"", "\"costEstimate\""], field => Assert.Contains(field, problem));
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listByStaff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewByStaff.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("\"status\"", await badStatus.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var answered = Assert.Single(mine.EnumerateArray(), s => s.GetProperty("id").GetInt32() == id);
        Assert.Equal(("Accepted", "Yes, buy them."), (answered.GetProperty("status").GetString(), answered.GetProperty("reply").GetString()));
    }
}
