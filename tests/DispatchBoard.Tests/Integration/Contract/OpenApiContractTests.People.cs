using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration.Contract;

/// <summary>
/// The people's part of the scripted day: signing in and out, one's own password and the administrator's reset link,
/// notifications, push devices, meetings and the calendar feed, duty, suggestions and safety rounds.
/// </summary>
public sealed partial class OpenApiContractTests
{
    private static async Task WalkPeopleAsync(Walk walk)
    {
        var staff = await walk.AsAsync("staff2");
        var principal = await walk.AsAsync("principal");
        var dispatcher = await walk.AsAsync("dispatcher");
        var admin = await walk.AsAsync("admin");
        using var anonymous = walk.Anonymous();

        await WalkAccountsAsync(walk, admin, anonymous);
        await WalkSuggestionsAndNotificationsAsync(staff, principal);
        await WalkPushAsync(staff, principal);
        await WalkMeetingsAndCalendarAsync(walk, staff, anonymous);
        await WalkDutyAsync(staff, dispatcher);
        await WalkRoundsAsync(walk, staff);

        foreach (var client in new[] { staff, principal, dispatcher, admin })
        {
            client.Dispose();
        }
    }

    private static StringContent PeopleJson(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage ScriptPost(string url, object? body, bool scriptHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (scriptHeader)
        {
            request.Headers.Add("X-Requested-With", "DispatchBoard");
        }
        return request;
    }

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Signing in and out, and passwords, on an account of the walk's own (the demo users' passwords stay as they are).</summary>
    private static async Task WalkAccountsAsync(Walk walk, HttpClient admin, HttpClient anonymous)
    {
        const string newPassword = "Walk-Fresh-Start-2027";
        const string linkPassword = "Walk-By-Link-2027";
        var who = $"walk-people-{Guid.NewGuid():N}"[..24];
        var email = $"{who}@demo.example";
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { email, name = "Wally Walker", roles = new[] { "Staff" }, password = TestData.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = (await BodyOf(created)).GetProperty("userId").GetString()!;

        // Sign-in: a body missing its fields, a wrong password, then the right one.
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsJsonAsync("/api/auth/login", new { })).StatusCode);
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        using var person = await walk.AsAsync(who);
        var me = await person.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(email, (await BodyOf(me)).GetProperty("email").GetString());

        // Guessing on one account: past the free failures, a 429 with Retry-After.
        var guessed = $"walk-nobody-{Guid.NewGuid():N}"[..24] + "@demo.example";
        HttpResponseMessage guess;
        var attempts = 0;
        do
        {
            guess = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = guessed, password = "guess" });
        }
        while (guess.StatusCode == HttpStatusCode.Unauthorized && ++attempts < SignInThrottle.FreeFailuresPerAccount + 2);
        Assert.Equal(HttpStatusCode.TooManyRequests, guess.StatusCode);
        Assert.NotNull(guess.Headers.RetryAfter);

        // The person's own password: the script header, a wrong current password, then the change (this client stays in).
        var change = new { currentPassword = TestData.Password, newPassword, repeatPassword = newPassword };
        Assert.Equal(HttpStatusCode.BadRequest, (await person.SendAsync(ScriptPost("/api/account/password", change, scriptHeader: false))).StatusCode);
        var wrongCurrent = await person.SendAsync(ScriptPost("/api/account/password", change with { currentPassword = "not-my-password" }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await BodyOf(wrongCurrent)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await person.SendAsync(ScriptPost("/api/account/password", change))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/auth/me")).StatusCode);

        // The administrator's reset link: the header, an unknown account, then the link.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(ScriptPost($"/api/admin/users/{userId}/reset-link", null, scriptHeader: false))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(ScriptPost("/api/admin/users/no-such-user/reset-link", null))).StatusCode);
        var made = await admin.SendAsync(ScriptPost($"/api/admin/users/{userId}/reset-link", null));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var link = await BodyOf(made);
        Assert.Equal("PasswordReset", link.GetProperty("purpose").GetString());
        var token = Uri.UnescapeDataString(new Uri(link.GetProperty("url").GetString()!).Query.TrimStart('?').Split('=', 2)[1]);

        // The link, used by whoever holds it: the header, passwords that differ, then the new password; used once only.
        var set = new { token, password = linkPassword, repeatPassword = linkPassword };
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.SendAsync(ScriptPost("/api/account/set-password", set, scriptHeader: false))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await anonymous.SendAsync(ScriptPost("/api/account/set-password", set with { repeatPassword = "Something-Else-2027" }))).StatusCode);
        var done = await anonymous.SendAsync(ScriptPost("/api/account/set-password", set));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(email, (await BodyOf(done)).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.SendAsync(ScriptPost("/api/account/set-password", set))).StatusCode);
        // Setting it ended every session, this one's too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("/api/auth/me")).StatusCode);

        // Signing out, each on a client of its own: everywhere (every session ends), and on one device (with or without a body).
        using var laptop = await SignInWithAsync(walk, email, linkPassword);
        using var phone = await SignInWithAsync(walk, email, linkPassword);
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.PostAsync("/api/auth/logout-everywhere", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/auth/me")).StatusCode);
        using var tablet = await SignInWithAsync(walk, email, linkPassword);
        Assert.Equal(HttpStatusCode.NoContent,
            (await tablet.PostAsJsonAsync("/api/auth/logout", new { pushEndpoint = "https://push.example.com/walk-nothing-here" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tablet.GetAsync("/api/auth/me")).StatusCode);
        using var signedOut = walk.Anonymous();
        Assert.Equal(HttpStatusCode.BadRequest, (await signedOut.PostAsync("/api/auth/logout", PeopleJson("{ not json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await signedOut.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedOut.PostAsync("/api/auth/logout-everywhere", null)).StatusCode);

        // A deactivated account gets no reset link.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/users/{userId}/active", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(ScriptPost($"/api/admin/users/{userId}/reset-link", null))).StatusCode);
    }

    private static async Task<HttpClient> SignInWithAsync(Walk walk, string email, string password)
    {
        var client = walk.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    /// <summary>A suggestion from staff, answered by the principal, who is told of it in their notifications.</summary>
    private static async Task WalkSuggestionsAndNotificationsAsync(HttpClient staff, HttpClient principal)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsync("/api/suggestions", PeopleJson("""{"title":"","category":"Boats","costEstimate":-1}"""))).StatusCode);
        var sent = await staff.PostAsync("/api/suggestions",
            PeopleJson("""{"title":"Walk: a second bench by the gym","body":"Parents wait there at pick-up.","category":"Purchasing","costEstimate":350.5}"""));
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var id = (await BodyOf(sent)).GetProperty("id").GetInt32();
        var mine = await staff.GetAsync("/api/suggestions/mine");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Contains((await BodyOf(mine)).EnumerateArray(), s => s.GetProperty("id").GetInt32() == id);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync($"/api/suggestions/{id}/review", PeopleJson("""{"status":"Accepted","reply":"Mine!"}"""))).StatusCode);

        var all = await principal.GetAsync("/api/suggestions");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Contains((await BodyOf(all)).EnumerateArray(), s => s.GetProperty("id").GetInt32() == id);
        Assert.Equal(HttpStatusCode.BadRequest, (await principal.PostAsync($"/api/suggestions/{id}/review", PeopleJson("""{"status":"Maybe"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await principal.PostAsync("/api/suggestions/999999/review", PeopleJson("""{"status":"UnderReview"}"""))).StatusCode);
        var reviewing = await principal.PostAsync($"/api/suggestions/{id}/review", PeopleJson("""{"status":"UnderReview","reply":"Looking at prices."}"""));
        Assert.Equal(HttpStatusCode.OK, reviewing.StatusCode);
        Assert.Equal("UnderReview", (await BodyOf(reviewing)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await principal.PostAsync($"/api/suggestions/{id}/review", PeopleJson("""{"status":"Accepted","reply":"Yes, order it."}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await principal.PostAsync($"/api/suggestions/{id}/review", PeopleJson("""{"status":"Declined","reply":"No."}"""))).StatusCode);

        // The principal was told of the suggestion; the author of the answer.
        var bell = await principal.GetAsync("/api/notifications");
        Assert.Equal(HttpStatusCode.OK, bell.StatusCode);
        var items = (await BodyOf(bell)).GetProperty("items");
        var told = items.EnumerateArray().First(n => n.GetProperty("title").GetString()!.Contains("Walk: a second bench", StringComparison.Ordinal));
        var read = await principal.PostAsync($"/api/notifications/{told.GetProperty("id").GetInt64()}/read", null);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await principal.PostAsync("/api/notifications/999999999/read", null)).StatusCode);
        var staffBell = await BodyOf(await staff.GetAsync("/api/notifications"));
        Assert.True(staffBell.GetProperty("unread").GetInt32() > 0);
        var all2 = await staff.PostAsync("/api/notifications/read-all", null);
        Assert.Equal(HttpStatusCode.OK, all2.StatusCode);
        Assert.True((await BodyOf(all2)).GetProperty("marked").GetInt32() > 0);
        Assert.Equal(0, (await BodyOf(await staff.GetAsync("/api/notifications"))).GetProperty("unread").GetInt32());
    }

    /// <summary>A phone subscribes to push alerts, gets a test, and is removed (not by someone else).</summary>
    private static async Task WalkPushAsync(HttpClient staff, HttpClient principal)
    {
        await using var pushService = await TestPushService.StartAsync();
        using var device = new TestDevice(pushService.Url("walk-people-phone"));

        var key = await staff.GetAsync("/api/push/key");
        Assert.Equal(HttpStatusCode.OK, key.StatusCode);
        Assert.False(string.IsNullOrEmpty((await BodyOf(key)).GetProperty("publicKey").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("/api/push/subscriptions",
            device.Request() with { Endpoint = "https://intranet.school.example/admin" })).StatusCode);
        var subscribed = await staff.PostAsJsonAsync("/api/push/subscriptions", device.Request("Walk phone"));
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        var id = (await BodyOf(subscribed)).GetProperty("id").GetInt64();
        var devices = await staff.GetAsync("/api/push/subscriptions");
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Contains((await BodyOf(devices)).EnumerateArray(), d => d.GetProperty("id").GetInt64() == id);

        var test = await staff.PostAsync("/api/push/test", null);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        Assert.True((await BodyOf(test)).GetProperty("devices").GetInt32() >= 1);
        await pushService.WaitForAsync(r => r.Any(x => x.Device == "walk-people-phone"));

        Assert.Equal(HttpStatusCode.NotFound, (await principal.DeleteAsync($"/api/push/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/push/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.DeleteAsync($"/api/push/subscriptions/{id}")).StatusCode);
    }

    /// <summary>The meetings list, and a person's calendar feed by its secret address.</summary>
    private static async Task WalkMeetingsAndCalendarAsync(Walk walk, HttpClient staff, HttpClient anonymous)
    {
        await walk.Factory.Services.GetRequiredService<MeetingScheduler>().CreateOneOffAsync(
            new OneOffInput("Walk: playground fence review", DateTimeOffset.UtcNow.AddDays(2), 45, "Staff Room", "The east side", ["Staff"]),
            new Actor("walk", "Walk", CanDispatch: true));
        var meetings = await staff.GetAsync("/api/meetings");
        Assert.Equal(HttpStatusCode.OK, meetings.StatusCode);
        Assert.Contains((await BodyOf(meetings)).EnumerateArray(), m => m.GetProperty("title").GetString() == "Walk: playground fence review");

        var address = await staff.PostAsync("/api/me/calendar-token", null);
        Assert.Equal(HttpStatusCode.OK, address.StatusCode);
        var feedUrl = new Uri((await BodyOf(address)).GetProperty("url").GetString()!);
        var feed = await anonymous.GetAsync(feedUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("Walk: playground fence review", await feed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/00000000000000000000000000000000deadbeef.ics")).StatusCode);
    }

    /// <summary>The staff list, and a staff member's own duty switch (a dispatcher has none).</summary>
    private static async Task WalkDutyAsync(HttpClient staff, HttpClient dispatcher)
    {
        var list = await dispatcher.GetAsync("/api/staff");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.NotEmpty((await BodyOf(list)).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsync("/api/staff/me/duty", PeopleJson("{}"))).StatusCode);
        var on = await staff.PostAsync("/api/staff/me/duty", PeopleJson("""{"onDuty":true}"""));
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await BodyOf(on)).GetProperty("onDuty").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await dispatcher.PostAsync("/api/staff/me/duty", PeopleJson("""{"onDuty":true}"""))).StatusCode);
    }

    /// <summary>This week's safety rounds: a line checked OK, a hazard that becomes a ticket, and a line recorded twice.</summary>
    private static async Task WalkRoundsAsync(Walk walk, HttpClient staff)
    {
        await walk.Factory.Services.GetRequiredService<InspectionService>().CreateWeekAsync("* * * * *");
        var rounds = await staff.GetAsync("/api/rounds");
        Assert.Equal(HttpStatusCode.OK, rounds.StatusCode);
        var open = (await BodyOf(rounds)).EnumerateArray()
            .First(r => r.GetProperty("completedAt").ValueKind == JsonValueKind.Null && r.GetProperty("total").GetInt32() - r.GetProperty("done").GetInt32() >= 2);
        var roundId = open.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/rounds/999999")).StatusCode);
        var detail = await staff.GetAsync($"/api/rounds/{roundId}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var pending = (await BodyOf(detail)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("result").GetString() == "Pending").Select(i => i.GetProperty("id").GetInt32()).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsync($"/api/rounds/items/{pending[0]}", PeopleJson("""{"result":"Hazard"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PostAsync("/api/rounds/items/999999", PeopleJson("""{"result":"Ok"}"""))).StatusCode);
        var ok = await staff.PostAsync($"/api/rounds/items/{pending[0]}", PeopleJson("""{"result":"Ok","note":"Checked on the walk"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Ok", (await BodyOf(ok)).GetProperty("result").GetString());
        var hazard = await staff.PostAsync($"/api/rounds/items/{pending[1]}", PeopleJson("""{"result":"Hazard","hazard":"Walk: loose handrail"}"""));
        Assert.Equal(HttpStatusCode.OK, hazard.StatusCode);
        Assert.Equal(JsonValueKind.Number, (await BodyOf(hazard)).GetProperty("ticketId").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/api/rounds/items/{pending[1]}", PeopleJson("""{"result":"Ok"}"""))).StatusCode);
    }
}
