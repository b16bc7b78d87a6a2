using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// Planning a repair around the lessons through the API. The suite's school has no lessons (TestHours.AlwaysOpen), so
/// any future time today or tomorrow is free; the bell arithmetic is tested in BellScheduleTests and PlannedRepairTests.
/// </summary>
public sealed class PlanApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<int> ReportAsync(string areaCode)
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode, category = "Furniture", description = "Desk wobbles" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Dispatcher_PlansAndClears_StaffWhoHaveNotClaimedItMayNot_BadInputNamesTheField()
    {
        var id = await ReportAsync("A102");
        var dispatcher = await factory.SignedInAsync("dispatcher");
        var staff = await factory.SignedInAsync("staff1");
        var at = DateTimeOffset.UtcNow.AddHours(2);
        var plan = Json($$"""{"slot":"At","at":"{{at:O}}"}""");

        var planned = await dispatcher.PutAsync($"/api/tickets/{id}/plan", plan);
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var ticket = await BodyAsync(planned);
        Assert.Equal(at.ToUnixTimeMilliseconds(), ticket.GetProperty("plannedFor").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.True(ticket.GetProperty("inTeachingRoom").GetBoolean());

        var notTheirs = await staff.PutAsync($"/api/tickets/{id}/plan", Json($$"""{"slot":"At","at":"{{at:O}}"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);
        Assert.Equal("Only the dispatcher or the person who claimed the job plans it.", (await BodyAsync(notTheirs)).GetProperty("detail").GetString());

        var badSlot = await dispatcher.PutAsync($"/api/tickets/{id}/plan", Json("""{"slot":"Soon"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badSlot.StatusCode);
        Assert.True((await BodyAsync(badSlot)).GetProperty("errors").TryGetProperty("slot", out _));
        var past = await dispatcher.PutAsync($"/api/tickets/{id}/plan", Json($$"""{"slot":"At","at":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.EndsWith("has passed: plan a later time.", (await BodyAsync(past)).GetProperty("errors").GetProperty("at")[0].GetString());

        var cleared = await dispatcher.DeleteAsync($"/api/tickets/{id}/plan");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await BodyAsync(cleared)).GetProperty("plannedFor").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await dispatcher.DeleteAsync($"/api/tickets/{id}/plan")).StatusCode);

        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.Equal(2, detail.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "Planned"));
    }

    [Fact]
    public async Task TheClaimer_PlansTheirJob_ButNotOneOutsideATeachingRoom()
    {
        var classroom = await ReportAsync("A103");
        var toilets = await ReportAsync("A-1F-WC");
        var staff = await factory.SignedInAsync("staff1");
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/tickets/{classroom}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/tickets/{toilets}/claim", null)).StatusCode);
        var plan = $$"""{"slot":"At","at":"{{DateTimeOffset.UtcNow.AddHours(1):O}}"}""";

        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsync($"/api/tickets/{classroom}/plan", Json(plan))).StatusCode);
        var refused = await staff.PutAsync($"/api/tickets/{toilets}/plan", Json(plan));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Toilets, floor 1 is not a teaching room: there are no lessons to wait for.", (await BodyAsync(refused)).GetProperty("detail").GetString());
    }
}
