using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;

namespace DispatchBoard.Tests.Integration;

/// <summary>Issue 12, triage over HTTP: PATCH /api/tickets/{id}, POST /api/tickets/{id}/notes, POST /api/tickets/bulk.</summary>
public sealed class TriageApiTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<(int Id, string Code)> ReportAsync(string area = "A204")
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets", new { areaCode = area, category = "Lighting", description = "Lights out" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Patch_CorrectsTheArea_AndTheTrackingApiShowsIt_WhileBadFieldsAreNamed()
    {
        var (id, code) = await ReportAsync();
        var dispatcher = await factory.SignedInAsync("dispatcher");

        var corrected = await dispatcher.PatchAsync($"/api/tickets/{id}", Json("""{"areaCode":"B203","category":"Furniture"}"""));
        var bad = await dispatcher.PatchAsync($"/api/tickets/{id}", Json("""{"priority":"Huge","areaCode":"NOPE"}"""));
        var nothing = await dispatcher.PatchAsync($"/api/tickets/{id}", Json("{}"));
        var byStaff = await (await factory.SignedInAsync("staff1")).PatchAsync($"/api/tickets/{id}", Json("""{"priority":"Urgent"}"""));

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal("B203", (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("areaCode").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("priority", out _));
        Assert.True(errors.TryGetProperty("areaCode", out _));
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("Nothing to change", await nothing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, byStaff.StatusCode);
        var view = await factory.Anonymous().GetFromJsonAsync<JsonElement>($"/api/tickets/track/{code}");
        Assert.EndsWith("Room 203", view.GetProperty("areaName").GetString());
        Assert.Equal("Furniture", view.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Notes_AsJson_AndAsAFormWithAPhoto_TheNotePhotoIsNeverServedOnTheTrackingLink()
    {
        var (id, code) = await ReportAsync();
        var staff = await factory.SignedInAsync("staff2");

        var asJson = await staff.PostAsync($"/api/tickets/{id}/notes", Json("""{"note":"Bring the tall ladder"}"""));
        var form = new MultipartFormDataContent
        {
            { new StringContent("The socket, before"), "note" },
        };
        var file = new ByteArrayContent(TestImages.Png(40, 30));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "photos", "socket.png");
        using var withoutHeader = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{id}/notes") { Content = form };
        var refused = await staff.SendAsync(withoutHeader);
        using var withHeader = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{id}/notes") { Content = form };
        withHeader.Headers.Add("X-Requested-With", "DispatchBoard");
        var asForm = await staff.SendAsync(withHeader);

        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-Requested-With", await refused.Content.ReadAsStringAsync());
        Assert.True(asForm.StatusCode == HttpStatusCode.OK, await asForm.Content.ReadAsStringAsync());
        Assert.Equal("New", (await asForm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var detail = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        var photo = detail.GetProperty("photos").EnumerateArray().Single();
        Assert.Equal("Note", photo.GetProperty("kind").GetString());
        var photoId = photo.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/photos/{photoId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Anonymous().GetAsync($"/track/{code}/photos/{photoId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Anonymous().GetAsync($"/track/{code}/photos/{photoId}/thumb")).StatusCode);
        var view = await factory.Anonymous().GetFromJsonAsync<JsonElement>($"/api/tickets/track/{code}");
        Assert.DoesNotContain("ladder", view.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("socket", view.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bulk_ListsEachTicket_OkOrTheRefusal()
    {
        var (first, _) = await ReportAsync("A201");
        var (second, _) = await ReportAsync("A202");
        var dispatcher = await factory.SignedInAsync("dispatcher");
        Assert.Equal(HttpStatusCode.OK, (await dispatcher.PostAsync($"/api/tickets/{second}/transition",
            Json("""{"to":"Cancelled","note":"Reported twice"}"""))).StatusCode);

        var response = await dispatcher.PostAsync("/api/tickets/bulk", Json($$"""{"ids":[{{first}},{{second}}],"action":"priority","priority":"Urgent"}"""));
        var tooMany = await dispatcher.PostAsync("/api/tickets/bulk",
            Json($$"""{"ids":[{{string.Join(",", Enumerable.Range(1, 101))}}],"action":"cancel","note":"x"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("succeeded").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.True(results[0].GetProperty("ok").GetBoolean());
        Assert.False(results[1].GetProperty("ok").GetBoolean());
        Assert.Contains("only open tickets", results[1].GetProperty("refusal").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("ids", out _));
    }
}
