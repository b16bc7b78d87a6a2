using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration.Contract;

public sealed partial class OpenApiContractTests
{
    /// <summary>
    /// The administrator's and the office's day: accounts (of the walk's own people; the demo users keep their roles),
    /// office displays and a screen pairing, area and calendar imports, a QR poster, the reports and the audit log.
    /// </summary>
    private static async Task WalkAdminAsync(Walk walk)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var admin = await walk.AsAsync("admin");
        using var dispatcher = await walk.AsAsync("dispatcher");

        var person = await AdminWalkAccountsAsync(walk, admin, dispatcher, run);
        await AdminWalkDisplaysAsync(walk, admin, run);
        await AdminWalkAreaImportAsync(walk, admin, dispatcher, run);
        await AdminWalkCalendarImportAsync(admin, dispatcher);
        await AdminWalkReportsAsync(walk, dispatcher, person);
        await AdminWalkAuditAsync(admin, person);
    }

    private sealed record AdminWalkPerson(string UserId, string Email, int StaffId, string Name);

    private static StringContent AdminJsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AdminJsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<string> AdminUserIdAsync(Walk walk, string email)
    {
        await using var db = await walk.Factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private static async Task<AdminWalkPerson> AdminWalkAccountsAsync(Walk walk, HttpClient admin, HttpClient dispatcher, string run)
    {
        const string Users = "/api/admin/users";
        var list = await admin.GetAsync(Users);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains((await AdminJsonOf(list)).EnumerateArray(), a => a.GetProperty("email").GetString() == "admin@demo.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.GetAsync(Users)).StatusCode);

        // The walk's own people: one with a password, one who gets a first-sign-in link.
        var email = $"walk.{run}@school.example";
        var created = await admin.PostAsJsonAsync(Users, new { email, name = $"Walk Person {run}", phone = "555-0100", roles = new[] { "Staff" }, password = "Walk-Password-9!" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await AdminJsonOf(created);
        var person = new AdminWalkPerson(account.GetProperty("userId").GetString()!, email, account.GetProperty("staffId").GetInt32(), $"Walk Person {run}");
        Assert.Equal($"/api/admin/users/{person.UserId}", created.Headers.Location?.OriginalString);
        Assert.Equal(["Staff"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var linked = await admin.PostAsJsonAsync(Users, new { email = $"walk.link.{run}@school.example", name = "Walk Newcomer", roles = new[] { "Principal" } });
        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        Assert.Equal("FirstSignIn", (await AdminJsonOf(linked)).GetProperty("firstSignInLink").GetProperty("purpose").GetString());

        var invalid = await admin.PostAsJsonAsync(Users, new { email = "not-an-address", name = "", roles = new[] { "Wizard" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await AdminJsonOf(invalid)).GetProperty("errors").TryGetProperty("roles", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Users, new { email, name = "Again", roles = new[] { "Staff" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync(Users, AdminJsonBody("{not json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.PostAsJsonAsync(Users, new { email = $"walk.no.{run}@school.example", name = "No", roles = new[] { "Staff" } })).StatusCode);

        var roles = await admin.PutAsJsonAsync($"{Users}/{person.UserId}/roles", new { roles = new[] { "Staff", "Dispatcher" } });
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        Assert.Equal(["Dispatcher", "Staff"], (await AdminJsonOf(roles)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"{Users}/{person.UserId}/roles", new { roles = new[] { "Staff" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"{Users}/{person.UserId}/roles", new { roles = new[] { "Wizard" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"{Users}/{person.UserId}/roles", new { roles = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"{Users}/no-such-user/roles", new { roles = new[] { "Staff" } })).StatusCode);

        var off = await admin.PostAsJsonAsync($"{Users}/{person.UserId}/active", new { active = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await AdminJsonOf(off)).GetProperty("isActive").GetBoolean());
        var on = await admin.PostAsJsonAsync($"{Users}/{person.UserId}/active", new { active = true });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await AdminJsonOf(on)).GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"{Users}/{person.UserId}/active", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync($"{Users}/{person.UserId}/active", AdminJsonBody("""{"active":"yes"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"{Users}/no-such-user/active", new { active = true })).StatusCode);
        // Refused before anything changes: an administrator cannot lock themselves out.
        var adminId = await AdminUserIdAsync(walk, "admin@demo.example");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"{Users}/{adminId}/active", new { active = false })).StatusCode);
        return person;
    }

    private static async Task AdminWalkDisplaysAsync(Walk walk, HttpClient admin, string run)
    {
        const string Displays = "/api/admin/displays";
        var name = $"Walk TV {run}";
        var created = await admin.PostAsJsonAsync(Displays, new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issued = await AdminJsonOf(created);
        var id = issued.GetProperty("display").GetProperty("id").GetInt32();
        Assert.Equal($"{Displays}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("WaitingForPairing", issued.GetProperty("display").GetProperty("state").GetString());
        Assert.StartsWith("/pair?code=", issued.GetProperty("pairPath").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Displays, new { name })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Displays, new { name = "" })).StatusCode);

        var list = await admin.GetAsync(Displays);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains((await AdminJsonOf(list)).EnumerateArray(), d => d.GetProperty("id").GetInt32() == id);

        var renewed = await admin.PostAsync($"{Displays}/{id}/code", null);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var code = (await AdminJsonOf(renewed)).GetProperty("code").GetString();
        Assert.NotEqual(issued.GetProperty("code").GetString(), code);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"{Displays}/999999/code", null)).StatusCode);

        // The screen: its own client, which the pairing signs in as the display.
        using var screen = walk.Anonymous();
        Assert.Equal(HttpStatusCode.BadRequest, (await screen.PostAsJsonAsync("/api/displays/pair", new { code = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await screen.PostAsJsonAsync("/api/displays/pair", new { code = issued.GetProperty("code").GetString() })).StatusCode);
        var paired = await screen.PostAsJsonAsync("/api/displays/pair", new { code });
        Assert.Equal(HttpStatusCode.OK, paired.StatusCode);
        var display = await AdminJsonOf(paired);
        Assert.Equal((id, name), (display.GetProperty("id").GetInt32(), display.GetProperty("name").GetString()));
        using var rival = walk.Anonymous();
        Assert.Equal(HttpStatusCode.Conflict, (await rival.PostAsJsonAsync("/api/displays/pair", new { code })).StatusCode);
        // A paired display is one screen: no second code for it.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"{Displays}/{id}/code", null)).StatusCode);

        var revoked = await admin.PostAsync($"{Displays}/{id}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("Revoked", (await AdminJsonOf(revoked)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"{Displays}/{id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"{Displays}/999999/revoke", null)).StatusCode);
    }

    private static async Task AdminWalkAreaImportAsync(Walk walk, HttpClient admin, HttpClient dispatcher, string run)
    {
        const string Header = "code,name,parentCode,kind,ownerEmail,backupEmail\n";
        var code = $"WALK-{run}".ToUpperInvariant();
        HttpRequestMessage Import(string rows, string type = "text/csv", bool script = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import") { Content = new StringContent(Header + rows, Encoding.UTF8, type) };
            if (script)
            {
                request.Headers.Add("X-Requested-With", "DispatchBoard");
            }
            return request;
        }

        var created = await admin.SendAsync(Import($"{code},Walk Hall,,General,,\n"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var counts = await AdminJsonOf(created);
        Assert.Equal((1, 0), (counts.GetProperty("created").GetInt32(), counts.GetProperty("updated").GetInt32()));
        var updated = await admin.SendAsync(Import($"{code},Walk Hall (east),,General,,\n"));
        Assert.Equal(1, (await AdminJsonOf(updated)).GetProperty("updated").GetInt32());
        var badRows = await admin.SendAsync(Import($"{code}-2,,NO-SUCH-PARENT,Castle,,\n"));
        Assert.Equal(HttpStatusCode.BadRequest, badRows.StatusCode);
        Assert.True((await AdminJsonOf(badRows)).GetProperty("errors").TryGetProperty("rows", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import($"{code}-3,Shed,,General,,\n", script: false))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import($"{code}-4,Shed,,General,,\n", "text/plain"))).StatusCode);
        // A form upload without the app's antiforgery token (a page elsewhere) is refused.
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Header + $"{code}-5,Shed,,General,,\n")), "file", "areas.csv" } };
        var forged = await admin.PostAsync("/api/areas/import", form);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.SendAsync(Import($"{code}-6,Shed,,General,,\n"))).StatusCode);

        var qr = await dispatcher.GetAsync($"/api/areas/{code}/qr.svg");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await dispatcher.GetAsync("/api/areas/NO-SUCH-AREA/qr.svg")).StatusCode);
    }

    private static async Task AdminWalkCalendarImportAsync(HttpClient admin, HttpClient dispatcher)
    {
        static HttpRequestMessage Import(string body, string type, string query = "", bool script = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/calendar/import" + query) { Content = new StringContent(body, Encoding.UTF8, type) };
            if (script)
            {
                request.Headers.Add("X-Requested-With", "DispatchBoard");
            }
            return request;
        }
        const string csv = "Name,Kind,From,To\r\nWalk closure,Closure,2033-03-07,2033-03-08\r\n";

        var preview = await admin.SendAsync(Import(csv, "text/csv", "?dryRun=true"));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewed = await AdminJsonOf(preview);
        Assert.Equal((false, true, 1), (previewed.GetProperty("imported").GetBoolean(), previewed.GetProperty("dryRun").GetBoolean(), previewed.GetProperty("added").GetInt32()));
        var row = previewed.GetProperty("rows")[0];
        Assert.Equal(("Add", "Closure", "2033-03-07"), (row.GetProperty("status").GetString(), row.GetProperty("kind").GetString(), row.GetProperty("from").GetString()));

        var imported = await admin.SendAsync(Import(csv, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.True((await AdminJsonOf(imported)).GetProperty("imported").GetBoolean());
        var again = await AdminJsonOf(await admin.SendAsync(Import(csv, "text/csv")));
        Assert.Equal((0, "AlreadyThere"), (again.GetProperty("added").GetInt32(), again.GetProperty("rows")[0].GetProperty("status").GetString()));

        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:walk\r\nDTSTART;VALUE=DATE:20330411\r\nDTEND;VALUE=DATE:20330412\r\nSUMMARY:Walk skeleton day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        var events = await admin.SendAsync(Import(ics, "text/calendar", "?kind=SkeletonDay"));
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal("SkeletonDay", (await AdminJsonOf(events)).GetProperty("rows")[0].GetProperty("kind").GetString());

        var errors = await admin.SendAsync(Import("Name,Kind,From,To\nWalk bad day,Closure,2033-02-30,\n", "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, errors.StatusCode);
        Assert.Equal("Error", (await AdminJsonOf(errors)).GetProperty("rows")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import(csv, "text/csv", script: false))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import(csv, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import(csv, "text/csv", "?dryRun=maybe"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(Import("", "text/csv"))).StatusCode);
        var big = "Name,From\n" + string.Concat(Enumerable.Repeat("A long name for a day that is not real,2033-08-08\n", 30_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await admin.SendAsync(Import(big, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.SendAsync(Import(csv, "text/csv", "?dryRun=true"))).StatusCode);
    }

    private static async Task AdminWalkReportsAsync(Walk walk, HttpClient dispatcher, AdminWalkPerson person)
    {
        // Today's report has a job of the walk's own, reported, taken and fixed, so its times are not all empty.
        using (var reporter = walk.Anonymous())
        {
            var reported = await reporter.PostAsJsonAsync("/api/tickets", new
            {
                areaCode = "A204", category = "DoorsWindows", description = "Walk: the cupboard door hangs loose", urgent = false, reporterName = "Walk Reporter", reporterContact = (string?)null,
            });
            Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
            var ticketId = (await AdminJsonOf(reported)).GetProperty("id").GetInt32();
            var changes = walk.Factory.Services.GetRequiredService<TicketChanges>();
            var office = new Actor(await AdminUserIdAsync(walk, "dispatcher@demo.example"), "Dispatcher", CanDispatch: true);
            var fixer = new Actor(person.UserId, person.Name, CanDispatch: false, StaffId: person.StaffId);
            Assert.True((await changes.AssignAsync(ticketId, person.StaffId, office)).IsOk);
            Assert.True((await changes.MoveAsync(ticketId, TicketStatus.OnSite, null, fixer)).IsOk);
            Assert.True((await changes.MoveAsync(ticketId, TicketStatus.Resolved, "Tightened the hinges.", fixer)).IsOk);
        }

        foreach (var query in new[] { "?period=Day", "?period=Week", "", "?period=Month&from=2026-01-15", "?period=Semester", "?period=Custom&from=2026-01-01&to=2026-12-31" })
        {
            var report = await dispatcher.GetAsync("/api/reports" + query);
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        }
        var today = await AdminJsonOf(await dispatcher.GetAsync("/api/reports?period=Day"));
        Assert.True(today.GetProperty("totals").GetProperty("resolved").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await dispatcher.GetAsync("/api/reports?period=Fortnight")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dispatcher.GetAsync("/api/reports?period=Custom&from=2026-11-20&to=2026-11-01")).StatusCode);

        var tickets = await dispatcher.GetAsync("/api/reports/tickets.csv?period=Day");
        Assert.Equal(HttpStatusCode.OK, tickets.StatusCode);
        Assert.Equal("text/csv", tickets.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Walk: the cupboard door hangs loose", await tickets.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await dispatcher.GetAsync("/api/reports/tickets.csv?period=Custom&from=2026-01-01")).StatusCode);
        foreach (var table in new[] { "areas", "categories", "staff", "days", "teamwork" })
        {
            var file = await dispatcher.GetAsync($"/api/reports/{table}.csv?period=Day");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.StartsWith($"attachment; filename=\"{table}-", file.Content.Headers.ContentDisposition?.ToString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await dispatcher.GetAsync("/api/reports/rooms.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dispatcher.GetAsync("/api/reports/days.csv?period=Month&from=1999-12-01")).StatusCode);
    }

    private static async Task AdminWalkAuditAsync(HttpClient admin, AdminWalkPerson person)
    {
        var all = await admin.GetAsync("/api/admin/audit.csv");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType?.MediaType);
        var created = await admin.GetAsync($"/api/admin/audit.csv?kind=UserCreated&text={Uri.EscapeDataString(person.Email)}&from=2000-01-01&to=2099-12-31");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains(person.Email, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/audit.csv?kind=Everything")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/audit.csv?from=2026-13-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/audit.csv?from=2026-11-30&to=2026-11-01")).StatusCode);
    }
}
