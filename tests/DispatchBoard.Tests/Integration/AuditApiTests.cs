using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Reports;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The audit log through the real code paths: each event a person or an attacker causes over HTTP leaves one line saying
/// who, what and from where (each test comes from its own address); the page and the CSV are for administrators only.
/// </summary>
public sealed class AuditApiTests(ClientAddressFactory factory) : IClassFixture<ClientAddressFactory>
{
    private static object Credentials(string email, string password = TestData.Password) => new { email, password };

    private async Task<List<AuditEntry>> LinesFromAsync(string address)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Address == address).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<HttpClient> SignedInFromAsync(string who, string address)
    {
        var client = factory.From(address);
        (await client.PostAsJsonAsync("/api/auth/login", Credentials($"{who}@demo.example"))).EnsureSuccessStatusCode();
        return client;
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task SignInSuccessFailureThrottleAndSignOuts_AreRecordedWithWhoAndWhere_NeverAPassword()
    {
        const string address = "198.51.100.11";
        var client = factory.From(address);
        for (var i = 0; i < Web.Auth.SignInThrottle.FreeFailuresPerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", Credentials("staff4@demo.example", $"Guess-{i}!"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/auth/login", Credentials("staff4@demo.example", "Guess-x!"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/auth/login", Credentials("staff4@demo.example", "Guess-y!"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", Credentials("nobody@demo.example", "Guess-z!"))).StatusCode);
        var staff1 = await SignedInFromAsync("staff1", address);
        Assert.Equal(HttpStatusCode.NoContent, (await staff1.PostAsync("/api/auth/logout", null)).StatusCode);
        var staff2 = await SignedInFromAsync("staff2", address);
        Assert.Equal(HttpStatusCode.NoContent, (await staff2.PostAsync("/api/auth/logout-everywhere", null)).StatusCode);

        var lines = await LinesFromAsync(address);

        var failed = lines.Where(l => l.Kind == AuditKind.SignInFailed && l.Subject == "staff4@demo.example").ToList();
        Assert.Equal(Web.Auth.SignInThrottle.FreeFailuresPerAccount, failed.Count);
        // A failure is about the account, not by its owner: whoever typed the password is unknown.
        Assert.All(failed, l => Assert.Equal(((string?)null, "wrong password"), (l.ActorUserId, l.Details)));
        // Two refused attempts within a minute: one line, so a flood cannot fill the log.
        var throttled = Assert.Single(lines, l => l.Kind == AuditKind.SignInThrottled);
        Assert.Equal("staff4@demo.example", throttled.Subject);
        var unknown = Assert.Single(lines, l => l.Kind == AuditKind.SignInFailed && l.Subject == "nobody@demo.example");
        Assert.Equal((null, "no such account"), (unknown.ActorUserId, unknown.Details));
        Assert.Equal(["Wang Lei", "Li Na"], lines.Where(l => l.Kind == AuditKind.SignIn).Select(l => l.ActorName));
        var signOut = Assert.Single(lines, l => l.Kind == AuditKind.SignOut);
        Assert.Equal(("Wang Lei", "staff1@demo.example"), (signOut.ActorName, signOut.Subject));
        var everywhere = Assert.Single(lines, l => l.Kind == AuditKind.SignOutEverywhere);
        Assert.Equal((await UserIdAsync("staff2@demo.example"), "Li Na"), (everywhere.ActorUserId, everywhere.ActorName));
        Assert.All(lines, l => Assert.True(l.At > DateTimeOffset.UtcNow.AddMinutes(-5) && l.At <= DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.DoesNotContain(lines, l => $"{l.Subject}{l.Details}".Contains("Guess", StringComparison.Ordinal)
                                          || $"{l.Subject}{l.Details}".Contains(TestData.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccountCreationRoleChangesAndDeactivation_ThroughTheApi_AreRecordedWithTheAdminAndAddress()
    {
        const string address = "198.51.100.20";
        var admin = await SignedInFromAsync("admin", address);
        var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { email = "audit.person@school.example", name = "Audit Person", roles = new[] { "Staff" }, password = "Audit-Password-9!" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = await UserIdAsync("audit.person@school.example");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Staff", "Dispatcher" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/users/{userId}/active", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/users/{userId}/active", new { active = true })).StatusCode);

        var lines = (await LinesFromAsync(address)).Where(l => l.Kind != AuditKind.SignIn).ToList();

        Assert.Equal([AuditKind.UserCreated, AuditKind.RoleChanged, AuditKind.UserDeactivated, AuditKind.UserReactivated], lines.Select(l => l.Kind));
        var adminId = await UserIdAsync("admin@demo.example");
        Assert.All(lines, l => Assert.Equal((adminId, "Alex Morgan", "audit.person@school.example"), (l.ActorUserId, l.ActorName, l.Subject)));
        Assert.Equal("Audit Person: Staff → Dispatcher, Staff", lines[1].Details);
        Assert.DoesNotContain(lines, l => l.Details!.Contains("Audit-Password-9!", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisplayCodesPairingAndRevoke_AreRecorded_ThePairingScreenByItsAddress()
    {
        const string adminAddress = "198.51.100.30";
        const string screenAddress = "2001:db8:30::abcd";
        var admin = await SignedInFromAsync("admin", adminAddress);
        var created = await (await admin.PostAsJsonAsync("/api/admin/displays", new { name = "Audit TV" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("display").GetProperty("id").GetInt32();
        var fresh = await (await admin.PostAsync($"/api/admin/displays/{id}/code", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, (await factory.From(screenAddress).PostAsJsonAsync("/api/displays/pair",
            new { code = fresh.GetProperty("code").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/displays/{id}/revoke", null)).StatusCode);

        var adminLines = (await LinesFromAsync(adminAddress)).Where(l => l.Kind != AuditKind.SignIn).ToList();
        var screenLine = Assert.Single(await LinesFromAsync(screenAddress));

        Assert.Equal([AuditKind.PairingCodeIssued, AuditKind.PairingCodeIssued, AuditKind.DisplayRevoked], adminLines.Select(l => l.Kind));
        Assert.All(adminLines, l => Assert.Equal(("Alex Morgan", "Display Audit TV"), (l.ActorName, l.Subject)));
        // The full address, not the /64 that limits count by.
        Assert.Equal((AuditKind.DisplayPaired, null, "Display Audit TV"), (screenLine.Kind, screenLine.ActorUserId, screenLine.Subject));
        var code = fresh.GetProperty("code").GetString()!;
        Assert.DoesNotContain(adminLines.Append(screenLine), l => (l.Details ?? "").Contains(code.Replace("-", ""), StringComparison.Ordinal)
                                                                  || (l.Details ?? "").Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AreaImport_ThroughTheApi_IsRecordedWithWhatItChanged()
    {
        const string address = "198.51.100.35";
        var admin = await SignedInFromAsync("admin", address);
        var csv = "code,name,parentCode,kind,ownerEmail,backupEmail\nAUD-1,Audit Hall,,General,,\nAUD-2,Audit Room,AUD-1,Classroom,,\n";
        admin.DefaultRequestHeaders.Add("X-Requested-With", "DispatchBoard");
        var response = await admin.PostAsync("/api/areas/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var line = Assert.Single(await LinesFromAsync(address), l => l.Kind == AuditKind.AreaImported);

        Assert.Equal(("Alex Morgan", "2 area(s)"), (line.ActorName, line.Subject));
        Assert.Equal("2 created, 0 updated: AUD-1, AUD-2", line.Details);
    }

    [Theory]
    [InlineData("staff1")]
    [InlineData("dispatcher")]
    [InlineData("principal")]
    public async Task AuditCsvAndPage_AreRefusedToEveryoneButAdmins(string who)
    {
        var client = await factory.SignedInAsync(who);

        var csv = await client.GetAsync("/api/admin/audit.csv");
        var page = await client.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Forbidden, csv.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/access-denied", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AuditCsvAndPage_Anonymous_AreAskedToSignIn_AdminsGetThem()
    {
        var anonymous = factory.Anonymous();
        var admin = await factory.SignedInAsync("admin");

        var csv = await anonymous.GetAsync("/api/admin/audit.csv");
        var page = await anonymous.GetAsync("/admin/audit");
        var adminCsv = await admin.GetAsync("/api/admin/audit.csv");
        var adminPage = await admin.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, csv.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, adminCsv.StatusCode);
        Assert.Equal("text/csv", adminCsv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
        Assert.Contains("Audit log", await adminPage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AuditCsv_TakesThePageFilters_AndNeutralizesFormulasTypedByAnAttacker()
    {
        const string address = "198.51.100.40";
        const string formula = "=cmd|' /C calc'!A0";
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.From(address).PostAsJsonAsync("/api/auth/login", Credentials(formula, "x"))).StatusCode);
        var admin = await SignedInFromAsync("admin", address);
        var adminId = await UserIdAsync("admin@demo.example");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

        async Task<List<AuditCsvRow>> CsvAsync(string query)
        {
            var response = await admin.GetAsync("/api/admin/audit.csv?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return CsvExport.Read<AuditCsvRow>(await response.Content.ReadAsStreamAsync());
        }

        var failed = await CsvAsync($"kind=SignInFailed&text={Uri.EscapeDataString("198.51.100.40")}");
        var adminSignIns = await CsvAsync($"kind=SignIn&person={adminId}&from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var yesterday = await CsvAsync($"text=198.51.100.40&to={today.AddDays(-1):yyyy-MM-dd}");
        var raw = await (await admin.GetAsync($"/api/admin/audit.csv?text={Uri.EscapeDataString("cmd|")}")).Content.ReadAsStringAsync();
        var badKind = await admin.GetAsync("/api/admin/audit.csv?kind=Nope");

        var row = Assert.Single(failed);
        Assert.Equal("'" + formula, row.Subject);
        Assert.DoesNotContain("\n" + formula, raw.Replace("\r", ""));
        Assert.DoesNotContain(",=cmd", raw);
        Assert.NotEmpty(adminSignIns);
        Assert.All(adminSignIns, r => Assert.Equal(("SignIn", "Alex Morgan"), (r.Kind, r.Person)));
        Assert.Contains(adminSignIns, r => r.Address == address);
        Assert.Empty(yesterday);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("\"kind\"", await badKind.Content.ReadAsStringAsync());
    }
}
