using System.Net;
using System.Net.Http.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.ReporterMail;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The key ring in the database: two app instances on one database accept each other's sign-in cookies and stop links,
/// and an upgrade from the key folder keeps everyone signed in. Each test has its own database (the instances share it).
/// </summary>
public sealed class SharedKeyRingTests
{
    private const string Reporter = "zhao.min@school.example";

    [Fact]
    public async Task ACookieAndAStopLinkMadeOnOneInstance_AreAcceptedOnAnotherOnTheSameDatabase()
    {
        await using var school = await SchoolAsync();
        var a = school.AnotherInstance();
        var cookie = await SignInAsync(a, "dispatcher");
        var (id, code, token) = await ReportWithStopLinkAsync(a);
        await a.DisposeAsync();

        // Nothing the instances share is a local file: no key folder beside the database.
        Assert.False(Directory.Exists(Path.Combine(school.DataDirectory, "keys")));
        await using var b = school.AnotherInstance();
        var me = await MeAsync(b, cookie);
        var stopped = await b.Server.CreateClient().PostAsync(OneClickPath(code, token), OneClick());

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("dispatcher@demo.example", await me.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.True(await StoppedAsync(b, id));
    }

    [Fact]
    public async Task ACookieOfAnotherKeyRing_IsRefused()
    {
        // The other side of the test above: the instance checks the cookie against its key ring, it does not take any.
        await using var other = await SchoolAsync();
        await using var school = await SchoolAsync();
        // Both databases are copies of one seeded school, key ring included: this one starts over with a key of its own.
        Assert.NotEqual(0, await TestDatabase.ExecuteAsync(school.DataDirectory, "DELETE FROM \"DataProtectionKeys\""));
        var cookie = await SignInAsync(other, "dispatcher");

        var me = await MeAsync(school, cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task PeopleSignedInBeforeTheUpgrade_StaySignedIn_OldStopLinksWork_AndTheKeyFolderIsImportedOnce()
    {
        await using var school = await SchoolAsync();
        var folder = new DirectoryInfo(Path.Combine(school.DataDirectory, "keys"));
        // The previous version: the same app with its key ring in data/keys.
        var before = school.AnotherInstance(b => b.ConfigureTestServices(s => s.Configure<KeyManagementOptions>(o =>
            o.XmlRepository = new FileSystemXmlRepository(folder, NullLoggerFactory.Instance))));
        var cookie = await SignInAsync(before, "staff1");
        var (id, code, token) = await ReportWithStopLinkAsync(before);
        await before.DisposeAsync();
        var oldKeys = folder.GetFiles("*.xml").Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToList();
        Assert.NotEmpty(oldKeys);

        await using var after = school.AnotherInstance();
        var me = await MeAsync(after, cookie);
        var stopped = await after.Server.CreateClient().PostAsync(OneClickPath(code, token), OneClick());
        var imported = await StoredNamesAsync(after);
        await using var restarted = school.AnotherInstance();
        _ = restarted.Server;

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("staff1@demo.example", await me.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.True(await StoppedAsync(after, id));
        Assert.All(oldKeys, name => Assert.Equal(1, imported.Count(n => n == name)));
        Assert.Equal(imported, await StoredNamesAsync(restarted));
    }

    [Fact]
    public async Task TheDatabaseIsMigratedAndTheOldKeysImported_BeforeDataProtectionFirstReadsTheKeyRing()
    {
        await using var school = await SchoolAsync();

        var started = school.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.Contains("DataProtectionHostedService", started);
        Assert.True(started.IndexOf(nameof(DatabaseInitializer)) < started.IndexOf("DataProtectionHostedService"),
            "Hosted services start in this order: " + string.Join(", ", started));
    }

    private static async Task<DispatchBoardFactory> SchoolAsync()
    {
        var school = new DispatchBoardFactory();
        await school.InitializeAsync();
        return school;
    }

    /// <summary>Signs in through the API and returns the sign-in cookie as a browser would send it back.</summary>
    private static async Task<string> SignInAsync(WebApplicationFactory<Program> instance, string who)
    {
        var response = await instance.Server.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = $"{who}@demo.example", password = TestData.Password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var parts = response.Headers.GetValues("Set-Cookie")
            .Select(c => c.Split(';')[0])
            .Where(c => c.StartsWith("DispatchBoard.Auth", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(parts);
        return string.Join("; ", parts);
    }

    private static Task<HttpResponseMessage> MeAsync(WebApplicationFactory<Program> instance, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        return instance.Server.CreateClient().SendAsync(request);
    }

    /// <summary>A report with an e-mail address, and the stop link the instance would put in the reporter's e-mail.</summary>
    private static async Task<(int Id, string Code, string Token)> ReportWithStopLinkAsync(WebApplicationFactory<Program> instance)
    {
        var response = await instance.Server.CreateClient().PostAsJsonAsync("/api/tickets",
            new { areaCode = "A204", category = "Lighting", description = "Key ring test", reporterContact = Reporter });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = (await response.Content.ReadFromJsonAsync<Reported>())!;
        var token = instance.Services.GetRequiredService<ReporterMailStops>().Token(new ReporterMessage
        {
            RecipientTicketId = ticket.Id, RecipientCode = ticket.TrackingCode, ToAddress = Reporter, Subject = "", Body = "",
        });
        return (ticket.Id, ticket.TrackingCode, token);
    }

    private static string OneClickPath(string code, string token) => $"/track/{code}/stop-emails/one-click?t={Uri.EscapeDataString(token)}";

    private static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);

    private static async Task<bool> StoppedAsync(WebApplicationFactory<Program> instance, int id)
    {
        await using var db = await instance.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.Where(t => t.Id == id).Select(t => t.ReporterEmailsStopped).SingleAsync();
    }

    private static async Task<List<string?>> StoredNamesAsync(WebApplicationFactory<Program> instance)
    {
        await using var db = await instance.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.FriendlyName).ToListAsync();
    }

    private sealed record Reported(int Id, string TrackingCode);
}
