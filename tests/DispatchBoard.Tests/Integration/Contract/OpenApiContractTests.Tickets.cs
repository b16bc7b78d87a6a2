using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.ReporterMail;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration.Contract;

public sealed partial class OpenApiContractTests
{
    /// <summary>
    /// Reporting and the board's work on tickets: areas, intake and tracking, "me too" and merges, claims and moves, plans,
    /// helpers, triage and notes, escalations and the principal's decision, photos, and the one-click stop of e-mails.
    /// Every ticket it works on it reports itself.
    /// </summary>
    private static async Task WalkTicketsAsync(Walk walk)
    {
        const int Unknown = 999_999;
        using var reporter = walk.Anonymous();
        using var staff1 = await walk.AsAsync("staff1");
        using var staff2 = await walk.AsAsync("staff2");
        using var dispatcher = await walk.AsAsync("dispatcher");
        using var principal = await walk.AsAsync("principal");
        var services = walk.Factory.Services;

        static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

        static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status,
                $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode} {text}");
            return text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true
                ? JsonSerializer.Deserialize<JsonElement>(text)
                : default;
        }

        async Task<(int Id, string Code)> ReportAsync(string areaCode, string category, string description, string? reporterContact = null)
        {
            var body = await Expect(await reporter.PostAsJsonAsync("/api/tickets", new { areaCode, category, description, reporterContact }),
                HttpStatusCode.Created);
            return (body.GetProperty("id").GetInt32(), body.GetProperty("trackingCode").GetString()!);
        }

        async Task<int> StaffIdAsync(string who)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
            return await db.Staff.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == $"{who}@demo.example")).Select(s => s.Id).SingleAsync();
        }

        var staff2Id = await StaffIdAsync("staff2");
        var staff3Id = await StaffIdAsync("staff3");

        // Areas: the report form's picker.
        var areas = await Expect(await reporter.GetAsync("/api/areas"), HttpStatusCode.OK);
        Assert.Contains(areas.EnumerateArray(), a => a.GetProperty("code").GetString() == "A301");

        // Reporting: a report, a bad one, an oversized one.
        var report = await Expect(await reporter.PostAsJsonAsync("/api/tickets",
            new { areaCode = "A301", category = "Lighting", description = "Contract walk: lights flicker", urgent = false }), HttpStatusCode.Created);
        var (lights, lightsCode) = (report.GetProperty("id").GetInt32(), report.GetProperty("trackingCode").GetString()!);
        Assert.Equal("New", report.GetProperty("status").GetString());
        Assert.Equal($"/track/{lightsCode}", report.GetProperty("trackingUrl").GetString());
        var invalid = await Expect(await reporter.PostAsync("/api/tickets", Json("""{"areaCode":"A301","category":"Lighting"}""")), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("description", out _));
        await Expect(await reporter.PostAsync("/api/tickets", Json($$"""{"areaCode":"A301","category":"Lighting","description":"{{new string('x', 70_000)}}"}""")),
            HttpStatusCode.RequestEntityTooLarge);

        // Tracking.
        var tracked = await Expect(await reporter.GetAsync($"/api/tickets/track/{lightsCode}"), HttpStatusCode.OK);
        Assert.Equal(lightsCode, tracked.GetProperty("trackingCode").GetString());
        await Expect(await reporter.GetAsync("/api/tickets/track/ZZZZZZZZZZ"), HttpStatusCode.NotFound);

        // The staff's list and details.
        var list = await Expect(await staff1.GetAsync("/api/tickets?open=true&take=500"), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("id").GetInt32() == lights);
        await Expect(await staff1.GetAsync("/api/tickets?take=0"), HttpStatusCode.BadRequest);
        var detail = await Expect(await staff1.GetAsync($"/api/tickets/{lights}"), HttpStatusCode.OK);
        Assert.Equal(lights, detail.GetProperty("ticket").GetProperty("id").GetInt32());
        await Expect(await staff1.GetAsync($"/api/tickets/{Unknown}"), HttpStatusCode.NotFound);

        // Claim and move: staff1 fixes the lights; the reporter confirms.
        Assert.Equal("Claimed", (await Expect(await staff1.PostAsync($"/api/tickets/{lights}/claim", null), HttpStatusCode.OK)).GetProperty("status").GetString());
        await Expect(await staff2.PostAsync($"/api/tickets/{lights}/claim", null), HttpStatusCode.Conflict);
        await Expect(await staff1.PostAsync($"/api/tickets/{Unknown}/claim", null), HttpStatusCode.NotFound);
        var (waiting, waitingCode) = await ReportAsync("A302", "Lighting", "Contract walk: a waiting report");
        await Expect(await dispatcher.PostAsync($"/api/tickets/{waiting}/claim", null), HttpStatusCode.Forbidden);
        await Expect(await staff1.PostAsync($"/api/tickets/{lights}/transition", Json("""{"to":"Fixed"}""")), HttpStatusCode.BadRequest);
        await Expect(await staff1.PostAsync($"/api/tickets/{lights}/transition", Json("""{"to":"Resolved","note":"Done"}""")), HttpStatusCode.Conflict);
        await Expect(await staff2.PostAsync($"/api/tickets/{lights}/transition", Json("""{"to":"OnSite"}""")), HttpStatusCode.Forbidden);
        await Expect(await staff1.PostAsync($"/api/tickets/{Unknown}/transition", Json("""{"to":"OnSite"}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PostAsync($"/api/tickets/{lights}/transition", Json("""{"to":"OnSite"}""")), HttpStatusCode.OK);
        var resolved = await Expect(await staff1.PostAsync($"/api/tickets/{lights}/transition", Json("""{"to":"Resolved","note":"New tube fitted"}""")),
            HttpStatusCode.OK);
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());

        await Expect(await reporter.PostAsync($"/api/tickets/track/{lightsCode}/confirm", Json("""{"rating":9}""")), HttpStatusCode.BadRequest);
        await Expect(await reporter.PostAsync($"/api/tickets/track/{waitingCode}/confirm", Json("""{"rating":5}""")), HttpStatusCode.Conflict);
        await Expect(await reporter.PostAsync("/api/tickets/track/ZZZZZZZZZZ/confirm", Json("""{"rating":5}""")), HttpStatusCode.NotFound);
        var confirmed = await Expect(await reporter.PostAsync($"/api/tickets/track/{lightsCode}/confirm", Json("""{"rating":5,"comment":"Bright again"}""")),
            HttpStatusCode.OK);
        Assert.Equal("Closed", confirmed.GetProperty("status").GetString());
        await Expect(await reporter.PostAsync($"/api/tickets/track/{lightsCode}/reopen", Json("""{"comment":"Flickers again"}""")), HttpStatusCode.Conflict);

        // Reopen: another fix the reporter does not accept.
        var (tap, tapCode) = await ReportAsync("A303", "Plumbing", "Contract walk: tap drips");
        await Expect(await staff1.PostAsync($"/api/tickets/{tap}/claim", null), HttpStatusCode.OK);
        await Expect(await staff1.PostAsync($"/api/tickets/{tap}/transition", Json("""{"to":"OnSite"}""")), HttpStatusCode.OK);
        await Expect(await staff1.PostAsync($"/api/tickets/{tap}/transition", Json("""{"to":"Resolved","note":"New washer"}""")), HttpStatusCode.OK);
        await Expect(await reporter.PostAsync($"/api/tickets/track/{tapCode}/reopen", Json("{}")), HttpStatusCode.BadRequest);
        await Expect(await reporter.PostAsync("/api/tickets/track/ZZZZZZZZZZ/reopen", Json("""{"comment":"Still drips"}""")), HttpStatusCode.NotFound);
        var reopened = await Expect(await reporter.PostAsync($"/api/tickets/track/{tapCode}/reopen", Json("""{"comment":"Still drips"}""")), HttpStatusCode.OK);
        Assert.Equal("New", reopened.GetProperty("status").GetString());

        // Assign (the dispatcher).
        var assigned = await Expect(await dispatcher.PostAsync($"/api/tickets/{tap}/assign", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.OK);
        Assert.Equal(staff2Id, assigned.GetProperty("claimedById").GetInt32());
        await Expect(await dispatcher.PostAsync($"/api/tickets/{tap}/assign", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.Conflict);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{tap}/assign", Json("{}")), HttpStatusCode.BadRequest);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{Unknown}/assign", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PostAsync($"/api/tickets/{tap}/assign", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.Forbidden);

        // Plans: a classroom job may wait for a break; a toilet's may not.
        var (desk, _) = await ReportAsync("A304", "Furniture", "Contract walk: desk wobbles");
        var (toilet, _) = await ReportAsync("A-3F-WC", "Furniture", "Contract walk: loose seat");
        var at = DateTimeOffset.UtcNow.AddHours(2).ToString("O");
        var planned = await Expect(await dispatcher.PutAsync($"/api/tickets/{desk}/plan", Json($$"""{"slot":"At","at":"{{at}}"}""")), HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, planned.GetProperty("plannedFor").ValueKind);
        await Expect(await dispatcher.PutAsync($"/api/tickets/{desk}/plan", Json("""{"slot":"Soon"}""")), HttpStatusCode.BadRequest);
        await Expect(await staff1.PutAsync($"/api/tickets/{desk}/plan", Json($$"""{"slot":"At","at":"{{at}}"}""")), HttpStatusCode.Forbidden);
        await Expect(await dispatcher.PutAsync($"/api/tickets/{toilet}/plan", Json($$"""{"slot":"At","at":"{{at}}"}""")), HttpStatusCode.Conflict);
        await Expect(await dispatcher.PutAsync($"/api/tickets/{Unknown}/plan", Json($$"""{"slot":"At","at":"{{at}}"}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.DeleteAsync($"/api/tickets/{desk}/plan"), HttpStatusCode.Forbidden);
        var cleared = await Expect(await dispatcher.DeleteAsync($"/api/tickets/{desk}/plan"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("plannedFor").ValueKind);
        await Expect(await dispatcher.DeleteAsync($"/api/tickets/{desk}/plan"), HttpStatusCode.Conflict);
        await Expect(await dispatcher.DeleteAsync($"/api/tickets/{Unknown}/plan"), HttpStatusCode.NotFound);

        // Helpers: staff1 leads, staff2 helps.
        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/claim", null), HttpStatusCode.OK);
        var helped = await Expect(await staff1.PostAsync($"/api/tickets/{desk}/helpers", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.OK);
        Assert.Contains(helped.GetProperty("helpers").EnumerateArray(), h => h.GetProperty("staffId").GetInt32() == staff2Id);
        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/helpers", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.Conflict);
        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/helpers", Json("{}")), HttpStatusCode.BadRequest);
        await Expect(await staff2.PostAsync($"/api/tickets/{desk}/helpers", Json($$"""{"staffId":{{staff3Id}}}""")), HttpStatusCode.Forbidden);
        await Expect(await staff1.PostAsync($"/api/tickets/{Unknown}/helpers", Json($$"""{"staffId":{{staff2Id}}}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/helpers/me/done", null), HttpStatusCode.Forbidden);
        await Expect(await staff2.PostAsync($"/api/tickets/{desk}/helpers/me/done", null), HttpStatusCode.OK);
        await Expect(await staff2.PostAsync($"/api/tickets/{desk}/helpers/me/done", null), HttpStatusCode.Conflict);
        await Expect(await staff2.PostAsync($"/api/tickets/{Unknown}/helpers/me/done", null), HttpStatusCode.NotFound);
        await Expect(await staff2.DeleteAsync($"/api/tickets/{desk}/helpers/{staff2Id}"), HttpStatusCode.Forbidden);
        var unhelped = await Expect(await staff1.DeleteAsync($"/api/tickets/{desk}/helpers/{staff2Id}"), HttpStatusCode.OK);
        Assert.Empty(unhelped.GetProperty("helpers").EnumerateArray());
        await Expect(await staff1.DeleteAsync($"/api/tickets/{desk}/helpers/{staff2Id}"), HttpStatusCode.Conflict);
        await Expect(await staff1.DeleteAsync($"/api/tickets/{Unknown}/helpers/{staff2Id}"), HttpStatusCode.NotFound);

        // Triage: corrections, bulk changes, notes.
        var corrected = await Expect(await dispatcher.PatchAsync($"/api/tickets/{waiting}", Json("""{"priority":"Low","locationDetail":"By the door"}""")),
            HttpStatusCode.OK);
        Assert.Equal("Low", corrected.GetProperty("priority").GetString());
        await Expect(await dispatcher.PatchAsync($"/api/tickets/{waiting}", Json("{}")), HttpStatusCode.BadRequest);
        await Expect(await dispatcher.PatchAsync($"/api/tickets/{lights}", Json("""{"priority":"Urgent"}""")), HttpStatusCode.Conflict);
        await Expect(await dispatcher.PatchAsync($"/api/tickets/{Unknown}", Json("""{"priority":"Urgent"}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PatchAsync($"/api/tickets/{waiting}", Json("""{"priority":"Urgent"}""")), HttpStatusCode.Forbidden);

        var bulk = await Expect(await dispatcher.PostAsync("/api/tickets/bulk", Json($$"""{"ids":[{{waiting}},{{lights}}],"action":"Priority","priority":"Normal"}""")),
            HttpStatusCode.OK);
        Assert.Equal(1, bulk.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, bulk.GetProperty("refused").GetInt32());
        Assert.False(bulk.GetProperty("results")[1].GetProperty("ok").GetBoolean());
        await Expect(await dispatcher.PostAsync("/api/tickets/bulk", Json("""{"ids":[],"action":"Shred"}""")), HttpStatusCode.BadRequest);

        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/notes", Json("""{"note":"Bring the spirit level"}""")), HttpStatusCode.OK);
        await Expect(await staff1.PostAsync($"/api/tickets/{desk}/notes", Json("""{"note":""}""")), HttpStatusCode.BadRequest);
        await Expect(await staff1.PostAsync($"/api/tickets/{Unknown}/notes", Json("""{"note":"Hello"}""")), HttpStatusCode.NotFound);
        MultipartFormDataContent NoteForm()
        {
            var file = new ByteArrayContent(TestImages.Png(40, 30));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            return new MultipartFormDataContent { { new StringContent("The desk leg, before"), "note" }, { file, "photos", "leg.png" } };
        }
        using (var withoutHeader = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{desk}/notes") { Content = NoteForm() })
        {
            await Expect(await staff1.SendAsync(withoutHeader), HttpStatusCode.BadRequest);
        }
        using (var withHeader = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{desk}/notes") { Content = NoteForm() })
        {
            withHeader.Headers.Add("X-Requested-With", "DispatchBoard");
            Assert.Equal(desk, (await Expect(await staff1.SendAsync(withHeader), HttpStatusCode.OK)).GetProperty("id").GetInt32());
        }

        // Escalation: staff1 puts a claimed job to the principal, who decides.
        var (step, _) = await ReportAsync("A-3F-ST", "SafetyHazard", "Contract walk: cracked step");
        await Expect(await staff1.PostAsync($"/api/tickets/{step}/escalate", Json("""{"reason":"Purchase","note":"Needs a new step"}""")), HttpStatusCode.Conflict);
        await Expect(await staff1.PostAsync($"/api/tickets/{step}/claim", null), HttpStatusCode.OK);
        await Expect(await staff1.PostAsync($"/api/tickets/{step}/escalate", Json("""{"reason":"Whim","note":"x"}""")), HttpStatusCode.BadRequest);
        await Expect(await staff2.PostAsync($"/api/tickets/{step}/escalate", Json("""{"reason":"Purchase","note":"Not mine"}""")), HttpStatusCode.Forbidden);
        await Expect(await staff1.PostAsync($"/api/tickets/{Unknown}/escalate", Json("""{"reason":"Purchase","note":"x"}""")), HttpStatusCode.NotFound);
        var escalated = await Expect(await staff1.PostAsync($"/api/tickets/{step}/escalate", Json("""{"reason":"Purchase","note":"Needs a new step"}""")),
            HttpStatusCode.OK);
        Assert.Equal("Escalated", escalated.GetProperty("status").GetString());
        var inbox = await Expect(await principal.GetAsync("/api/escalations"), HttpStatusCode.OK);
        var escalation = inbox.EnumerateArray().Single(i => i.GetProperty("ticket").GetProperty("ticket").GetProperty("id").GetInt32() == step)
            .GetProperty("escalation").GetProperty("id").GetInt32();
        await Expect(await staff1.GetAsync("/api/escalations"), HttpStatusCode.Forbidden);
        await Expect(await principal.PostAsync($"/api/escalations/{escalation}/decision", Json("""{"decision":"Maybe"}""")), HttpStatusCode.BadRequest);
        await Expect(await principal.PostAsync($"/api/escalations/{Unknown}/decision", Json("""{"decision":"Approved"}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PostAsync($"/api/escalations/{escalation}/decision", Json("""{"decision":"Approved"}""")), HttpStatusCode.Forbidden);
        var approved = await Expect(await principal.PostAsync($"/api/escalations/{escalation}/decision", Json("""{"decision":"Approved","note":"Buy it."}""")),
            HttpStatusCode.OK);
        Assert.Equal("Claimed", approved.GetProperty("status").GetString());
        await Expect(await principal.PostAsync($"/api/escalations/{escalation}/decision", Json("""{"decision":"Rejected","note":"No"}""")), HttpStatusCode.Conflict);

        // Already reported and "me too" (anonymous).
        var (noticeboard, _) = await ReportAsync("A401", "Other", "Contract walk: noticeboard fell down");
        var offer = await Expect(await reporter.GetAsync("/api/tickets/already-reported?areaCode=A401&category=Other"), HttpStatusCode.OK);
        Assert.Equal(noticeboard, offer.GetProperty("ticketId").GetInt32());
        await Expect(await reporter.GetAsync("/api/tickets/already-reported?areaCode=A402&category=Cleaning"), HttpStatusCode.NoContent);
        await Expect(await reporter.GetAsync("/api/tickets/already-reported?areaCode=NOWHERE&category=Other"), HttpStatusCode.BadRequest);
        async Task<HttpResponseMessage> MeTooAsync(object body, bool header = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets/me-too") { Content = JsonContent.Create(body) };
            if (header)
            {
                request.Headers.Add("X-Requested-With", "DispatchBoard");
            }
            return await reporter.SendAsync(request);
        }
        await Expect(await MeTooAsync(new { ticketId = noticeboard, areaCode = "A401", category = "Other" }, header: false), HttpStatusCode.BadRequest);
        var meToo = await Expect(await MeTooAsync(new { ticketId = noticeboard, areaCode = "A401", category = "Other", reporterName = "Lily" }),
            HttpStatusCode.Created);
        Assert.StartsWith("/track/", meToo.GetProperty("trackingUrl").GetString());
        await Expect(await MeTooAsync(new { ticketId = noticeboard, areaCode = "A401", category = "Lighting" }), HttpStatusCode.Conflict);
        await Expect(await MeTooAsync(new { ticketId = Unknown, areaCode = "A401", category = "Other" }), HttpStatusCode.NotFound);

        // Duplicates and merges (the dispatcher).
        var (first, _) = await ReportAsync("A402", "Plumbing", "Contract walk: radiator leaks");
        var (second, _) = await ReportAsync("A402", "Plumbing", "Contract walk: water under the radiator");
        var duplicates = await Expect(await staff1.GetAsync($"/api/tickets/{second}/duplicates"), HttpStatusCode.OK);
        Assert.Contains(duplicates.EnumerateArray(), t => t.GetProperty("id").GetInt32() == first);
        var merged = await Expect(await dispatcher.PostAsync($"/api/tickets/{second}/merge", Json($$"""{"into":{{first}}}""")), HttpStatusCode.OK);
        Assert.Equal(first, merged.GetProperty("duplicate").GetProperty("mergedIntoId").GetInt32());
        await Expect(await dispatcher.PostAsync($"/api/tickets/{second}/merge", Json($$"""{"into":{{first}}}""")), HttpStatusCode.Conflict);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{second}/merge", Json("{}")), HttpStatusCode.BadRequest);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{first}/merge", Json($$"""{"into":{{Unknown}}}""")), HttpStatusCode.NotFound);
        await Expect(await staff1.PostAsync($"/api/tickets/{first}/merge", Json($$"""{"into":{{second}}}""")), HttpStatusCode.Forbidden);
        var reporters = await Expect(await staff1.GetAsync($"/api/tickets/{first}/reporters"), HttpStatusCode.OK);
        Assert.Equal([second], reporters.GetProperty("mergedHere").EnumerateArray().Select(m => m.GetInt32()));
        var unmerged = await Expect(await dispatcher.PostAsync($"/api/tickets/{second}/unmerge", null), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, unmerged.GetProperty("duplicate").GetProperty("mergedIntoId").ValueKind);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{second}/unmerge", null), HttpStatusCode.Conflict);
        await Expect(await dispatcher.PostAsync($"/api/tickets/{Unknown}/unmerge", null), HttpStatusCode.NotFound);

        // Photos: a report with a photo (the report form's way), seen by staff, the principal and the reporter.
        var withPhoto = await services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A403", "Furniture", "Contract walk: broken chair", false, null, null, Photos: [new PhotoUpload("chair.jpg", TestImages.Jpeg(800, 600))]),
            TicketChannel.Web, null, "198.51.100.61");
        Assert.True(withPhoto.IsOk, withPhoto.Describe());
        var photoCode = withPhoto.Value!.TrackingCode;
        var photo = (await Expect(await staff1.GetAsync($"/api/tickets/{withPhoto.Value.Id}"), HttpStatusCode.OK)).GetProperty("photos")[0].GetProperty("id").GetInt32();
        foreach (var path in new[] { $"/photos/{photo}", $"/photos/{photo}/thumb" })
        {
            await Expect(await staff1.GetAsync(path), HttpStatusCode.OK);
            var served = await principal.GetAsync(path);
            await Expect(served, HttpStatusCode.OK);
            Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        }
        await Expect(await staff1.GetAsync($"/photos/{Unknown}"), HttpStatusCode.NotFound);
        await Expect(await staff1.GetAsync($"/photos/{Unknown}/thumb"), HttpStatusCode.NotFound);
        foreach (var path in new[] { $"/track/{photoCode}/photos/{photo}", $"/track/{photoCode}/photos/{photo}/thumb" })
        {
            var served = await reporter.GetAsync(path);
            await Expect(served, HttpStatusCode.OK);
            Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        }
        await Expect(await reporter.GetAsync($"/track/{lightsCode}/photos/{photo}"), HttpStatusCode.NotFound);
        await Expect(await reporter.GetAsync($"/track/{lightsCode}/photos/{photo}/thumb"), HttpStatusCode.NotFound);

        // The one-click stop of a reporter's e-mails, as a mail program sends it.
        var (mailed, mailedCode) = await ReportAsync("B301", "Lighting", "Contract walk: e-mail me", "walk.reporter@school.example");
        var token = services.GetRequiredService<ReporterMailStops>().Token(new ReporterMessage
        {
            RecipientTicketId = mailed, RecipientCode = mailedCode, ToAddress = "walk.reporter@school.example", Subject = "", Body = "",
        });
        FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);
        var oneClick = $"/track/{mailedCode}/stop-emails/one-click?t={Uri.EscapeDataString(token)}";
        var stopped = await Expect(await reporter.PostAsync(oneClick, OneClick()), HttpStatusCode.OK);
        Assert.True(stopped.GetProperty("stopped").GetBoolean());
        await Expect(await reporter.PostAsync($"/track/{mailedCode}/stop-emails/one-click?t=tampered", OneClick()), HttpStatusCode.BadRequest);
        var opened = await reporter.GetAsync(oneClick);
        await Expect(opened, HttpStatusCode.Redirect);
        Assert.Equal($"/track/{mailedCode}/stop-emails?t={Uri.EscapeDataString(token)}", opened.Headers.Location!.OriginalString);
    }
}
