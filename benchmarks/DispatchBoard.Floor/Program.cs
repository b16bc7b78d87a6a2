using System.Text.Json;
using DispatchBoard.Floor;
using DispatchBoard.Floor.Components;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;

// The benchmarks' floor (see the project file). Started by the benchmark runner:
//   dotnet DispatchBoard.Floor.dll --urls http://127.0.0.1:PORT [--database path/to/dispatch.db]
var builder = WebApplication.CreateBuilder(args);
// Served from the build output, as DispatchBoard is served from its publish (blazor.web.js is all the page loads).
builder.WebHost.UseStaticWebAssets();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddSingleton<PostedItems>();
var app = builder.Build();

app.UseAntiforgery();
app.MapStaticAssets();
app.MapHub<FloorHub>("/hub");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapGet("/health", () => "ok");

// Fan-out floor: the body goes to every hub client as it came (DispatchBoard sends a TicketDto of the same size).
app.MapPost("/broadcast", async (HttpRequest request, IHubContext<FloorHub> hub) =>
{
    var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
    _ = hub.Clients.All.SendAsync("TicketChanged", body);
    return Results.Accepted();
});

// Board floor: the item is added to the list every open page shows.
app.MapPost("/items", (PostedItem item, PostedItems items) =>
{
    items.Add(item);
    return Results.Accepted();
});

// Intake floor: one row inserted with plain ADO.NET into a copy of DispatchBoard's SQLite database, with its pragmas.
var database = app.Configuration["database"];
if (database is not null)
{
    var connectionString = new SqliteConnectionStringBuilder { DataSource = database }.ToString();
    app.MapPost("/intake", async (PostedReport report) =>
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
            await pragmas.ExecuteNonQueryAsync();
        }
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "Tickets" ("TrackingCode","AreaId","Category","Priority","Description","Channel","Status","ReportedAt","QueuedAt",
                "ResponseDueAt","ReopenCount","Version","EscalationLevel","ReportCount","ReporterEmailsStopped","WaitingForOpening")
            VALUES (@code,@area,@category,'Normal',@description,'Web','New',@now,@now,@now,0,1,0,1,0,0)
            RETURNING "Id"
            """;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        insert.Parameters.AddWithValue("@code", Convert.ToHexString(Guid.NewGuid().ToByteArray())[..10]);
        insert.Parameters.AddWithValue("@area", report.AreaId);
        insert.Parameters.AddWithValue("@category", report.Category);
        insert.Parameters.AddWithValue("@description", report.Description);
        insert.Parameters.AddWithValue("@now", now);
        var id = (long)(await insert.ExecuteScalarAsync())!;
        return Results.Created($"/intake/{id}", new { id });
    });
}

app.Run();

namespace DispatchBoard.Floor
{
    public sealed class FloorHub : Hub;

    public sealed record PostedItem(string Id, string Text);

    public sealed record PostedReport(int AreaId, string Category, string Description);

    /// <summary>The items every open page shows; a page re-renders when one is added.</summary>
    public sealed class PostedItems
    {
        private readonly Lock _lock = new();
        private readonly List<PostedItem> _items = [];

        public event Action? Changed;

        public IReadOnlyList<PostedItem> Snapshot()
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }

        public void Add(PostedItem item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }
            Changed?.Invoke();
        }
    }
}
