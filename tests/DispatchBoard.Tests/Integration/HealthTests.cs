using System.Net;
using System.Text.Json;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

public sealed class HealthTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body, response);
    }

    private static string StatusOf(JsonElement body, string check) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == check).GetProperty("status").GetString()!;

    [Fact]
    public async Task Ready_OnAWorkingApp_NamesEachCheckHealthy_AndIsNeverCached()
    {
        var (status, body, response) = await GetAsync(factory.Anonymous(), "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "jobs", "migrations"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Live_AsksNothing_AndAnswersHealthy()
    {
        var (status, body, _) = await GetAsync(factory.Anonymous(), "/health/live");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }
}

/// <summary>The same app on a database file that is not a database: ready fails naming the database, live does not.</summary>
public sealed class BrokenDatabaseHealthTests : IDisposable
{
    private readonly DispatchBoardFactory _factory = new();

    [Fact]
    public async Task Ready_WhenTheDatabaseCannotBeRead_Is503NamingIt_WithoutAnyDetail_WhileLiveStays200()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        var client = _factory.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        // The tables go away under the running app (a restore gone wrong, a disk fault): its queries fail.
        await using (var scope = _factory.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgres ? "DROP TABLE \"Areas\" CASCADE;" : "PRAGMA foreign_keys = OFF; DROP TABLE \"Areas\";");
        }

        var ready = await client.GetAsync("/health/ready");
        var text = await ready.Content.ReadAsStringAsync();
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database").GetProperty("status").GetString());
        Assert.DoesNotContain("Areas", text);
        Assert.DoesNotContain("Data Source", text);
        Assert.DoesNotContain("Host=", text);
        Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
