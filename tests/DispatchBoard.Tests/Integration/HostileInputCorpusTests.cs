using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// The hostile-input corpus (tests/Shared/hostile-inputs.json) against every anonymous endpoint and field, every staff
/// write of the API, and the services the Blazor forms call. For every try: never a 5xx (nor an exception out of a
/// service); a refusal (4xx, or a service's non-Ok result) stores nothing (row counts, ticket versions, edited texts and
/// photo files unchanged); an accepted text is stored as sent, in the one documented normal form: trimmed of leading and
/// trailing white space, and white space only is no value (<see cref="ValidationErrors.Text"/>).
/// </summary>
public sealed class HostileInputCorpusTests(DispatchBoardFactory factory, ITestOutputHelper output) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task EveryHostileCase_AtEveryEndpointAndForm_NeverA5xx_RefusalsStoreNothing_AcceptedTextIsStoredAsSent()
    {
        var watch = Stopwatch.StartNew();
        var run = await CorpusRun.StartAsync(factory);

        await run.AnonymousEndpointsAsync();
        await run.StaffWritesAsync();
        await run.FormServicesAsync();
        await run.PhotosAsync();
        await run.AreaImportAsync();
        await run.CalendarImportAsync();
        await run.ExportsAsync();

        var summary = $"Hostile-input corpus: {HostileInputs.Cases.Count} cases, {run.Tries} tries ({run.Accepted} accepted, {run.Refused} refused), " +
                      $"5xx seen: {run.ServerErrors}, failures: {run.Failures.Count}, {watch.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(summary);
        foreach (var (target, time) in run.TimeByTarget.OrderByDescending(t => t.Value).Take(12))
        {
            output.WriteLine($"  {time.TotalSeconds,6:F1} s  {target}");
            Console.WriteLine($"  {time.TotalSeconds,6:F1} s  {target}");
        }
        Console.WriteLine(summary);
        Assert.True(HostileInputs.Cases.Count >= 300, $"The corpus has only {HostileInputs.Cases.Count} cases.");
        Assert.True(run.Failures.Count == 0, summary + "\n" + string.Join("\n", run.Failures.Take(60)));
    }

    [Fact]
    public async Task Login_AnEmailWithALineBreak_IsRefusedAs400_SoItCannotForgeALogLine()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/auth/login",
            new { email = "x@demo.example\r\nwarn: Sign-in succeeded for admin@demo.example", password = "wrong" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"email\"", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every upload the corpus makes goes through here (one place to change if PhotoUpload changes shape).</summary>
    private static PhotoUpload Upload(string fileName, byte[] content) => new(fileName, content);

    private sealed class CorpusRun
    {
        private readonly DispatchBoardFactory _factory;
        private readonly System.Data.Common.DbConnection _store;
        private readonly string _photoFolder;
        private HttpClient _anonymous = default!, _dispatcher = default!, _admin = default!, _principal = default!, _staff = default!;
        private Actor _dispatcherActor = default!, _adminActor = default!;
        private string _trackingCode = default!;
        private int _ticketId, _escalationId, _suggestionId, _roundItemId, _meetingId, _areaId, _semesterId;
        private string _staffUserId = default!;
        private int _unique;

        public int Tries { get; private set; }
        public int Accepted { get; private set; }
        public int Refused { get; private set; }
        public int ServerErrors { get; private set; }
        public List<string> Failures { get; } = [];
        public Dictionary<string, TimeSpan> TimeByTarget { get; } = [];

        private void Timed(string target, TimeSpan elapsed)
        {
            var key = target.Split(" (")[0];
            TimeByTarget[key] = TimeByTarget.GetValueOrDefault(key) + elapsed;
        }

        private CorpusRun(DispatchBoardFactory factory)
        {
            _factory = factory;
            var configuration = factory.Services.GetRequiredService<IConfiguration>();
            _store = TestDatabase.Open(factory.DataDirectory);
            _photoFolder = Path.Combine(DispatchBoardServices.DataDirectory(configuration, factory.Services.GetRequiredService<IHostEnvironment>()), "photos");
        }

        public static async Task<CorpusRun> StartAsync(DispatchBoardFactory factory)
        {
            var run = new CorpusRun(factory);
            await run.ArrangeAsync();
            return run;
        }

        private T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

        private async Task ArrangeAsync()
        {
            _anonymous = _factory.Anonymous();
            _dispatcher = await _factory.SignedInAsync("dispatcher");
            _admin = await _factory.SignedInAsync("admin");
            _principal = await _factory.SignedInAsync("principal");
            _staff = await _factory.SignedInAsync("staff1");
            _dispatcherActor = await ActorAsync("dispatcher");
            _adminActor = await ActorAsync("admin");

            var intake = Get<TicketIntake>();
            var reported = (await intake.ReportAsync(new ReportTicket("A204", "Lighting", "Corpus: the ticket staff writes go to", false, null, null),
                TicketChannel.Phone, _dispatcherActor)).Value!;
            _ticketId = reported.Id;
            _trackingCode = reported.TrackingCode;

            var escalated = await Get<TicketIntake>().ReportAsync(new ReportTicket("A204", "Furniture", "Corpus: escalated", false, null, null),
                TicketChannel.Phone, _dispatcherActor);
            (await _staff.PostAsync($"/api/tickets/{escalated.Value!.Id}/claim", null)).EnsureSuccessStatusCode();
            var escalation = await _staff.PostAsJsonAsync($"/api/tickets/{escalated.Value!.Id}/escalate", new { reason = "Purchase", note = "Corpus" });
            escalation.EnsureSuccessStatusCode();
            _escalationId = (await QueryAsync(db => db.Escalations.Where(e => e.TicketId == escalated.Value.Id).Select(e => e.Id).FirstAsync()));

            var suggestion = await _staff.PostAsJsonAsync("/api/suggestions", new { title = "Corpus", body = "Corpus suggestion", category = "Repairs" });
            suggestion.EnsureSuccessStatusCode();
            _suggestionId = (await suggestion.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();

            var rounds = await _staff.GetFromJsonAsync<JsonNode>("/api/rounds");
            _roundItemId = await QueryAsync(db => db.InspectionItems.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync());
            _ = rounds;

            var meeting = await Get<MeetingScheduler>().CreateOneOffAsync(new OneOffInput("Corpus meeting",
                Get<TimeProvider>().GetUtcNow().AddDays(3), 60, "Office", null, ["Staff", "Dispatcher"]), _dispatcherActor);
            _meetingId = Must(meeting).Id;

            var area = await Get<AreaService>().SaveAsync(null, new AreaInput("Z800", "Corpus room", "TA", AreaLevel.Room, AreaKind.Classroom, null, null), _adminActor);
            _areaId = Must(area).Id;
            var today = DateOnly.FromDateTime(Get<TimeProvider>().GetUtcNow().UtcDateTime);
            _semesterId = Must(await Get<PlanService>().CreateSemesterAsync(new SemesterInput("Corpus term", today.AddDays(30), today.AddDays(150)), null, _dispatcherActor)).Id;
            _staffUserId = (await ActorAsync("staff2")).UserId;
        }

        private static T Must<T>(ServiceResult<T> result) => result.IsOk
            ? result.Value!
            : throw new InvalidOperationException($"Arrange: {result.Kind} {result.Describe()}");

        private async Task<Actor> ActorAsync(string who)
        {
            await using var scope = _factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync($"{who}@demo.example"))!;
            var roles = await users.GetRolesAsync(user);
            var staffId = await QueryAsync(db => db.Staff.Where(m => m.UserId == user.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync());
            return new Actor(user.Id, user.DisplayName, roles.Contains(Roles.Dispatcher) || roles.Contains(Roles.Admin),
                roles.Contains(Roles.Principal), roles.Contains(Roles.Admin), staffId);
        }

        private async Task<T> QueryAsync<T>(Func<DispatchDbContext, Task<T>> query)
        {
            await using var db = await Get<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
            return await query(db);
        }

        // ---------------------------------------------------------------------------------------------- what is stored

        /// <summary>
        /// Row counts of what a write can add, plus what an edit changes (ticket versions, area names, meeting notes,
        /// round lines, checklists, roles), plus the photo files on disk. Alerts are left out: they are delivered in the
        /// background after a commit and may land during a later try.
        /// </summary>
        private string Fingerprint()
        {
            using var command = _store.CreateCommand();
            command.CommandText = _fingerprintQuery ??= FingerprintQuery();
            var rows = (string)command.ExecuteScalar()!;
            var files = Directory.Exists(_photoFolder) ? Directory.EnumerateFiles(_photoFolder, "*", SearchOption.AllDirectories).Count() : 0;
            return $"{rows}:{files}";
        }

        private string? _fingerprintQuery;

        /// <summary>Alerts, deliveries and reminders are background work; Identity's tokens and EF's own tables are not data.</summary>
        private static readonly string[] Unwatched = ["Notifications", "PushDeliveries", "Reminders", "AspNetUserTokens", "sqlite_sequence", "__EFMigrationsHistory", "__EFMigrationsLock"];

        /// <summary>The same watch in PostgreSQL's words (its SUM of text is an error, not SQLite's 0: text is compared whole).</summary>
        private static readonly (string Table, string Expression)[] PostgresEdits =
        [
            ("Tickets", "COALESCE(SUM(\"Version\"), 0)"), ("Areas", "COALESCE(SUM(LENGTH(\"Name\")), 0) || '/' || COALESCE(SUM(LENGTH(\"Code\")), 0)"),
            ("Suggestions", "COALESCE(SUM(LENGTH(COALESCE(\"Reply\", ''))), 0) || '/' || COALESCE(md5(string_agg(\"Status\", ',' ORDER BY \"Id\")), '')"),
            ("Meetings", "COALESCE(SUM(LENGTH(COALESCE(\"Agenda\", '')) + LENGTH(COALESCE(\"Minutes\", ''))), 0)"), ("ChecklistItems", "COALESCE(SUM(LENGTH(\"Text\")), 0)"),
            ("InspectionItems", "COALESCE(SUM(LENGTH(COALESCE(\"Note\", ''))), 0) || '/' || COALESCE(md5(string_agg(\"Result\", ',' ORDER BY \"Id\")), '')"),
            ("StaffMembers", "COALESCE(SUM(LENGTH(\"DisplayName\")), 0) || '/' || COALESCE(SUM(CASE WHEN \"OnDuty\" THEN 1 ELSE 0 END), 0)"),
            ("AspNetUsers", "COALESCE(SUM(CASE WHEN \"IsActive\" THEN 1 ELSE 0 END), 0)"), ("Escalations", "COALESCE(SUM(LENGTH(COALESCE(\"DecisionNote\", ''))), 0)"),
        ];

        private static readonly (string Table, string Expression)[] Edits =
        [
            ("Tickets", "TOTAL(Version)"), ("Areas", "TOTAL(LENGTH(Name)) || '/' || TOTAL(LENGTH(Code))"), ("Suggestions", "TOTAL(LENGTH(COALESCE(Reply, ''))) || '/' || TOTAL(Status)"),
            ("Meetings", "TOTAL(LENGTH(COALESCE(Agenda, '')) + LENGTH(COALESCE(Minutes, '')))"), ("ChecklistItems", "TOTAL(LENGTH(Text))"),
            ("InspectionItems", "TOTAL(LENGTH(COALESCE(Note, ''))) || '/' || TOTAL(Result)"), ("StaffMembers", "TOTAL(LENGTH(DisplayName)) || '/' || TOTAL(OnDuty)"),
            ("AspNetUsers", "TOTAL(IsActive)"), ("Escalations", "TOTAL(LENGTH(COALESCE(DecisionNote, '')))"),
        ];

        private string FingerprintQuery()
        {
            using var list = _store.CreateCommand();
            list.CommandText = TestDatabase.IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
                : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            var tables = new List<string>();
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            var terms = tables.Where(t => !Unwatched.Contains(t) && !t.StartsWith("Hangfire", StringComparison.Ordinal))
                .Select(t => $"(SELECT COUNT(*) FROM \"{t}\")")
                .Concat((TestDatabase.IsPostgres ? PostgresEdits : Edits).Where(e => tables.Contains(e.Table)).Select(e => $"(SELECT {e.Expression} FROM \"{e.Table}\")"));
            return "SELECT " + string.Join(" || ':' || ", terms);
        }

        private void Fail(string target, HostileCase c, string what) => Failures.Add($"{target} × {c.Id}: {what}");

        private static string? Normalised(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        // --------------------------------------------------------------------------------------------- HTTP plumbing

        private sealed record JsonTarget(
            string Name,
            Func<CorpusRun, HttpClient> Client,
            HttpMethod Method,
            Func<CorpusRun, string> Url,
            Func<CorpusRun, Dictionary<string, string>> Base,
            string[] TextFields,
            bool Heavy = false,
            bool RefusalMayWrite = false,
            Func<CorpusRun, JsonNode?, string, Task<string?>>? Stored = null);

        private static string Json(string? value) => JsonSerializer.Serialize(value);

        private static readonly JsonTarget[] JsonTargets =
        [
            new("POST /api/tickets", r => r._anonymous, HttpMethod.Post, _ => "/api/tickets",
                r => new() { ["areaCode"] = Json("A204"), ["category"] = Json("Lighting"), ["description"] = Json("Corpus report"),
                    ["urgent"] = "false", ["reporterName"] = Json("Corpus"), ["reporterContact"] = Json("corpus@example.com"), ["locationDetail"] = Json("By the door") },
                ["description", "reporterName+reporterContact+locationDetail", "areaCode", "category"],
                Stored: async (r, created, field) =>
                {
                    var detail = await r._dispatcher.GetFromJsonAsync<JsonNode>($"/api/tickets/{created!["id"]!.GetValue<int>()}");
                    return detail!["ticket"]![field]?.GetValue<string>();
                }),
            new("POST /api/tickets/track/{code}/confirm", r => r._anonymous, HttpMethod.Post, r => $"/api/tickets/track/{r._trackingCode}/confirm",
                _ => new() { ["rating"] = "5", ["comment"] = Json("Thanks") }, ["comment"]),
            new("POST /api/tickets/track/{code}/reopen", r => r._anonymous, HttpMethod.Post, r => $"/api/tickets/track/{r._trackingCode}/reopen",
                _ => new() { ["comment"] = Json("Still broken") }, ["comment"]),
            new("POST /api/displays/pair", r => r._anonymous, HttpMethod.Post, _ => "/api/displays/pair", _ => new() { ["code"] = Json("ABCD-1234") }, ["code"]),
            // A refused sign-in may be recorded (an audit of failures); it changes nothing else.
            new("POST /api/auth/login", r => r._anonymous, HttpMethod.Post, _ => "/api/auth/login",
                _ => new() { ["email"] = Json("nobody@demo.example"), ["password"] = Json("wrong") }, ["email", "password"], Heavy: true, RefusalMayWrite: true),
            new("POST /api/tickets/{id}/transition", r => r._dispatcher, HttpMethod.Post, r => $"/api/tickets/{r._ticketId}/transition",
                _ => new() { ["to"] = Json("Cancelled"), ["note"] = Json("Corpus") }, ["note", "to"]),
            new("POST /api/tickets/{id}/assign", r => r._dispatcher, HttpMethod.Post, r => $"/api/tickets/{r._ticketId}/assign",
                _ => new() { ["staffId"] = "999999" }, []),
            new("POST /api/tickets/{id}/escalate", r => r._dispatcher, HttpMethod.Post, r => $"/api/tickets/{r._ticketId}/escalate",
                _ => new() { ["reason"] = Json("Purchase"), ["note"] = Json("Corpus") }, ["note", "reason"]),
            new("POST /api/escalations/{id}/decision", r => r._principal, HttpMethod.Post, r => $"/api/escalations/{r._escalationId}/decision",
                _ => new() { ["decision"] = Json("Deferred"), ["note"] = Json("Corpus"), ["contractorNote"] = Json("Corpus") }, ["note", "contractorNote", "decision"]),
            new("POST /api/suggestions", r => r._staff, HttpMethod.Post, _ => "/api/suggestions",
                _ => new() { ["title"] = Json("Corpus"), ["body"] = Json("Corpus body"), ["category"] = Json("Repairs"), ["costEstimate"] = "10" },
                ["title", "body", "category"], Stored: (_, created, field) => Task.FromResult(created![field]?.GetValue<string>())),
            new("POST /api/suggestions/{id}/review", r => r._principal, HttpMethod.Post, r => $"/api/suggestions/{r._suggestionId}/review",
                _ => new() { ["status"] = Json("UnderReview"), ["reply"] = Json("Corpus") }, ["reply", "status"]),
            new("POST /api/rounds/items/{id}", r => r._staff, HttpMethod.Post, r => $"/api/rounds/items/{r._roundItemId}",
                _ => new() { ["result"] = Json("NotApplicable"), ["note"] = Json("Corpus"), ["fixedOnTheSpot"] = "false", ["urgent"] = "false" }, ["note", "result"]),
            new("POST /api/admin/displays", r => r._admin, HttpMethod.Post, _ => "/api/admin/displays", _ => new() { ["name"] = Json("Corpus screen") }, ["name"],
                Heavy: true, Stored: (_, created, _) => Task.FromResult(created!["display"]!["name"]?.GetValue<string>())),
            new("POST /api/admin/users", r => r._admin, HttpMethod.Post, _ => "/api/admin/users",
                r => new() { ["email"] = Json($"corpus{Interlocked.Increment(ref r._unique)}@demo.example"), ["name"] = Json("Corpus person"),
                    ["phone"] = Json("555-0100"), ["roles"] = "[\"Staff\"]", ["password"] = Json("Corpus-Password-1") },
                ["name+phone", "email", "password"], Heavy: true, Stored: (_, created, field) => Task.FromResult(field == "password" ? null : created![field]?.GetValue<string>())),
            new("PUT /api/admin/users/{id}/roles", r => r._admin, HttpMethod.Put, r => $"/api/admin/users/{r._staffUserId}/roles",
                _ => new() { ["roles"] = "[\"Staff\"]" }, [], Heavy: true),
            new("POST /api/admin/users/{id}/active", r => r._admin, HttpMethod.Post, r => $"/api/admin/users/{r._staffUserId}/active",
                _ => new() { ["active"] = "true" }, [], Heavy: true),
            new("POST /api/staff/me/duty", r => r._staff, HttpMethod.Post, _ => "/api/staff/me/duty", _ => new() { ["onDuty"] = "true" }, []),
            new("POST /api/push/subscriptions", r => r._staff, HttpMethod.Post, _ => "/api/push/subscriptions",
                _ => new() { ["endpoint"] = Json("https://push.example.com/corpus"), ["keys"] = "{\"p256dh\":\"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM\",\"auth\":\"tBHItJI5svbpez7KI4CCXg\"}" },
                ["endpoint"], Heavy: true),
        ];

        private async Task SendAsync(string target, HostileCase c, HttpClient client, HttpMethod method, string url, HttpContent? content,
            bool refusalMayWrite = false, Func<HttpResponseMessage, Task>? accepted = null)
        {
            var before = Fingerprint();
            Tries++;
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(method, url) { Content = content };
                response = await client.SendAsync(request);
            }
            catch (InvalidOperationException ex) when (ex.Message == "The path contains null characters.")
            {
                // The test server refuses a NUL in the path before the app sees it, as Kestrel does (with a 400).
                Refused++;
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ServerErrors++;
                Fail(target, c, $"the app threw {ex.GetType().Name}: {ex.Message}");
                return;
            }
            Timed(target, Stopwatch.GetElapsedTime(started));
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    ServerErrors++;
                    Fail(target, c, $"{status}: {Shorten(await response.Content.ReadAsStringAsync())}");
                }
                else if (status >= 400)
                {
                    Refused++;
                    if (!refusalMayWrite && Fingerprint() != before)
                    {
                        Fail(target, c, $"refused with {status} but something was stored");
                    }
                }
                else
                {
                    Accepted++;
                    if (accepted is not null)
                    {
                        await accepted(response);
                    }
                }
            }
        }

        private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

        private static ByteArrayContent JsonContent(byte[] body, string? contentType = "application/json")
        {
            var content = new ByteArrayContent(body);
            if (!string.IsNullOrEmpty(contentType))
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            return content;
        }

        private static byte[] Body(Dictionary<string, string> fields) =>
            Encoding.UTF8.GetBytes("{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}");

        private static byte[] BodyWithRawBytes(Dictionary<string, string> fields, string field, byte[] raw)
        {
            var marker = "\u0001RAW\u0001";
            fields[field] = $"\"{marker}\"";
            var text = Encoding.UTF8.GetString(Body(fields));
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            return [.. Encoding.UTF8.GetBytes(text[..at]), .. raw, .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])];
        }

        private static bool Sampled(int index) => index % 4 == 0;

        // ---------------------------------------------------------------------------------------------- the suites

        public async Task AnonymousEndpointsAsync()
        {
            foreach (var c in HostileInputs.OfKind("text"))
            {
                var segment = Uri.EscapeDataString(c.Value!);
                await SendAsync("GET /api/tickets/track/{code}", c, _anonymous, HttpMethod.Get, $"/api/tickets/track/{segment}", null);
                await SendAsync("POST /api/tickets/track/{code}/confirm (code)", c, _anonymous, HttpMethod.Post, $"/api/tickets/track/{segment}/confirm",
                    JsonContent("{\"rating\":5}"u8.ToArray()));
                await SendAsync("POST /api/tickets/track/{code}/reopen (code)", c, _anonymous, HttpMethod.Post, $"/api/tickets/track/{segment}/reopen",
                    JsonContent("{\"comment\":\"x\"}"u8.ToArray()));
                var shown = c.Category is "script-payload" or "javascript-url" or "unicode" || Sampled(_unique++);
                foreach (var page in shown ? new[] { "/r/", "/track/" } : [])
                {
                    await SendAsync($"GET {page}{{value}}", c, _anonymous, HttpMethod.Get, page + segment, null, accepted: async response =>
                    {
                        var html = await response.Content.ReadAsStringAsync();
                        if (c.Value!.Contains('<') && html.Contains(c.Value, StringComparison.Ordinal))
                        {
                            Fail($"GET {page}{{value}}", c, "the page shows the value as markup");
                        }
                    });
                }
            }
            foreach (var target in JsonTargets.Where(t => t.Client(this) == _anonymous))
            {
                await JsonTargetAsync(target);
            }
        }

        public async Task StaffWritesAsync()
        {
            foreach (var target in JsonTargets.Where(t => t.Client(this) != _anonymous))
            {
                await JsonTargetAsync(target);
            }
            foreach (var (c, i) in HostileInputs.OfKind("text").Select((c, i) => (c, i)))
            {
                var segment = Uri.EscapeDataString(c.Value!);
                if (Sampled(i))
                {
                    await SendAsync("PUT /api/admin/users/{id}/roles (id)", c, _admin, HttpMethod.Put, $"/api/admin/users/{segment}/roles",
                        JsonContent("{\"roles\":[\"Staff\"]}"u8.ToArray()));
                    await SendAsync("PUT /api/admin/users/{id}/roles (role)", c, _admin, HttpMethod.Put, $"/api/admin/users/{_staffUserId}/roles",
                        JsonContent(Encoding.UTF8.GetBytes($"{{\"roles\":[\"Staff\",{Json(c.Value)}]}}")));
                }
                await SendAsync("GET /api/areas/{code}/qr.svg", c, _dispatcher, HttpMethod.Get, $"/api/areas/{segment}/qr.svg", null);
            }
        }

        private async Task JsonTargetAsync(JsonTarget target)
        {
            var client = target.Client(this);
            var index = 0;
            foreach (var c in HostileInputs.Cases)
            {
                index++;
                if (target.Heavy && !Sampled(index))
                {
                    continue;
                }
                // A broken body, a stray fragment, bytes that are not UTF-8 or a wrong content type are refused by model
                // binding before any database is asked: the SQLite run covers them. On PostgreSQL the texts, which reach it.
                if (TestDatabase.IsPostgres && c.Kind != "text")
                {
                    continue;
                }
                switch (c.Kind)
                {
                    case "text":
                        // "a+b" puts the value into several fields of one request (fewer writes, the same fields covered).
                        foreach (var group in target.TextFields)
                        {
                            var fields = target.Base(this);
                            var names = group.Split('+');
                            foreach (var field in names)
                            {
                                fields[field] = Json(c.Value);
                            }
                            await SendAsync($"{target.Name} ({group})", c, client, target.Method, target.Url(this), JsonContent(Body(fields)), target.RefusalMayWrite,
                                target.Stored is null ? null : async response =>
                                {
                                    var created = await response.Content.ReadFromJsonAsync<JsonNode>();
                                    foreach (var field in names.Where(f => f is not ("areaCode" or "category" or "password")))
                                    {
                                        var stored = await target.Stored(this, created, field);
                                        var expected = Normalised(c.Value);
                                        if (stored != expected)
                                        {
                                            Fail($"{target.Name} ({field})", c, $"stored {Json(stored)}, not {Json(expected)}");
                                        }
                                    }
                                });
                        }
                        break;
                    case "fragment":
                        foreach (var field in target.Base(this).Keys)
                        {
                            var fields = target.Base(this);
                            fields[field] = c.Value!;
                            await SendAsync($"{target.Name} ({field})", c, client, target.Method, target.Url(this), JsonContent(Body(fields)), target.RefusalMayWrite);
                        }
                        break;
                    case "utf8":
                        foreach (var field in target.TextFields.Select(g => g.Split('+')[0]))
                        {
                            var body = BodyWithRawBytes(target.Base(this), field, Convert.FromBase64String(c.Base64!));
                            await SendAsync($"{target.Name} ({field})", c, client, target.Method, target.Url(this), JsonContent(body), target.RefusalMayWrite);
                        }
                        break;
                    case "body" when c.Size > 10_000_000 && client != _anonymous:
                        break; // the body-size cap is the anonymous endpoints' concern; 40 MB per staff write only costs time
                    case "body":
                        await SendAsync(target.Name, c, client, target.Method, target.Url(this),
                            JsonContent(HostileInputs.Body(c, target.TextFields.FirstOrDefault() ?? target.Base(this).Keys.First())), target.RefusalMayWrite);
                        break;
                    case "content-type":
                        await SendAsync(target.Name, c, client, target.Method, target.Url(this), JsonContent(Body(target.Base(this)), c.Value), target.RefusalMayWrite);
                        break;
                }
            }
        }

        /// <summary>What the Blazor forms do, through the services they call.</summary>
        public async Task FormServicesAsync()
        {
            var intake = Get<TicketIntake>();
            var meetings = Get<MeetingService>();
            var scheduler = Get<MeetingScheduler>();
            var areas = Get<AreaService>();
            var plans = Get<PlanService>();
            var checklists = Get<ChecklistService>();
            var starts = Get<TimeProvider>().GetUtcNow().AddDays(5);
            foreach (var (c, i) in HostileInputs.OfKind("text").Select((c, i) => (c, i)))
            {
                var v = c.Value!;
                var expected = Normalised(v);
                await ServiceAsync("TicketIntake.ReportAsync (report form: description)", c,
                    () => intake.ReportAsync(new ReportTicket("A204", "Lighting", v, false, "Corpus", null), TicketChannel.Qr, null, "192.0.2.10"),
                    async ok => (await QueryAsync(db => db.Tickets.Where(t => t.Id == ok.Id).Select(t => t.Description).FirstAsync()), expected));
                await ServiceAsync("TicketIntake.ReportAsync (report form: name, place)", c,
                    () => intake.ReportAsync(new ReportTicket("A204", "Lighting", "Corpus", false, v, v, v), TicketChannel.Web, null, "192.0.2.10"),
                    async ok => (await QueryAsync(db => db.Tickets.Where(t => t.Id == ok.Id).Select(t => t.ReporterName + "|" + t.ReporterContact + "|" + t.LocationDetail).FirstAsync()),
                        $"{expected}|{expected}|{expected}"));
                if (i % 2 == 0)
                {
                    await ServiceAsync("MeetingScheduler.CreateOneOffAsync (title, place, agenda)", c,
                    () => scheduler.CreateOneOffAsync(new OneOffInput(v, starts, 30, v, v, ["Staff", "Dispatcher"]), _dispatcherActor),
                    ok => Task.FromResult<(string?, string?)>((ok.Title + "|" + ok.Place + "|" + ok.Agenda, expected is null ? null : $"{expected}|{expected}|{expected}")));
                }
                await ServiceAsync("MeetingService.UpdateNotesAsync (agenda)", c,
                    () => meetings.UpdateNotesAsync(_meetingId, v, null, null, _dispatcherActor),
                    ok => Task.FromResult<(string?, string?)>((ok.Agenda, expected)));
                if (Sampled(i))
                {
                    await ServiceAsync("AreaService.SaveAsync (name)", c,
                        () => areas.SaveAsync(_areaId, new AreaInput("Z800", v, "TA", AreaLevel.Room, AreaKind.Classroom, null, null), _adminActor),
                        ok => Task.FromResult<(string?, string?)>((ok.Name, expected)));
                    await ServiceAsync("AreaService.SaveAsync (new code)", c,
                        () => areas.SaveAsync(null, new AreaInput(v, "Corpus", "TA", AreaLevel.Room, AreaKind.Classroom, null, null), _adminActor));
                    await ServiceAsync("ChecklistService.SaveAsync (line)", c,
                        () => checklists.SaveAsync(AreaKind.Stairwell, [v], _adminActor));
                }
                await ServiceAsync("PlanService.AddAsync (title, notes)", c,
                    () => plans.AddAsync(_semesterId, PlanPhase.PreStart, null, new PlanItemInput(v, PlanCategory.Repairs, null, null, v), _dispatcherActor),
                    ok => Task.FromResult<(string?, string?)>((ok.Title + "|" + ok.Notes, expected is null ? null : $"{expected}|{expected}")));
            }
        }

        public async Task PhotosAsync()
        {
            var intake = Get<TicketIntake>();
            foreach (var c in HostileInputs.OfKind("image"))
            {
                var uploads = HostileInputs.Image(c).Select(f => Upload(f.FileName, f.Content)).ToList();
                await ServiceAsync("TicketIntake.ReportAsync (photos)", c,
                    () => intake.ReportAsync(new ReportTicket("A204", "Lighting", "Corpus photo", false, null, null, Photos: uploads), TicketChannel.Web, null, "192.0.2.11"),
                    async ok => (await StoredPhotoProblemAsync(c, ok.Id), null));
            }
            foreach (var c in HostileInputs.OfKind("file-name"))
            {
                await ServiceAsync("TicketIntake.ReportAsync (photo file name)", c,
                    () => intake.ReportAsync(new ReportTicket("A204", "Lighting", "Corpus photo", false, null, null, Photos: [Upload(c.Value!, TestImages.Png(6, 4))]),
                        TicketChannel.Web, null, "192.0.2.11"),
                    async ok =>
                    {
                        var stored = await QueryAsync(db => db.Photos.Where(p => p.TicketId == ok.Id).Select(p => p.StoredName).ToListAsync());
                        var bad = stored.FirstOrDefault(s => s.Contains("..", StringComparison.Ordinal) || !s.EndsWith(".jpg", StringComparison.Ordinal));
                        return (bad, null);
                    });
            }
        }

        /// <summary>
        /// What an accepted picture left on disk: only a re-encoded JPEG (nothing appended survives: no HTML or script of a
        /// polyglot, no EXIF), and never from a decompression bomb, which must be refused from its header. Null when clean.
        /// </summary>
        private async Task<string?> StoredPhotoProblemAsync(HostileCase c, int ticketId)
        {
            if (c.Name.Contains("bomb", StringComparison.Ordinal))
            {
                return "a decompression bomb was accepted";
            }
            var store = Get<PhotoStore>();
            var names = await QueryAsync(db => db.Photos.Where(p => p.TicketId == ticketId).Select(p => p.StoredName).ToListAsync());
            foreach (var name in names)
            {
                var bytes = await File.ReadAllBytesAsync(store.PathOf(name));
                var text = System.Text.Encoding.Latin1.GetString(bytes);
                if (bytes is not [0xFF, 0xD8, .., 0xFF, 0xD9])
                {
                    return $"{name} is not a whole JPEG";
                }
                if (text.Contains("<script", StringComparison.OrdinalIgnoreCase) || text.Contains("<html", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("Exif\0", StringComparison.Ordinal) || text.Contains("alert(", StringComparison.Ordinal))
                {
                    return $"{name} kept bytes of the upload that are not the picture";
                }
            }
            return null;
        }

        public async Task AreaImportAsync()
        {
            foreach (var c in HostileInputs.OfKind("csv-file"))
            {
                await SendAsync("POST /api/areas/import (file)", c, _admin, HttpMethod.Post, "/api/areas/import", Csv(c.Value!));
            }
            foreach (var (c, i) in HostileInputs.OfKind("text").Select((c, i) => (c, i)))
            {
                var cell = "\"" + c.Value!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                await SendAsync("POST /api/areas/import (name cell)", c, _admin, HttpMethod.Post, "/api/areas/import",
                    Csv($"code,name,parentCode,kind,ownerEmail,backupEmail\nZ7{i:D2},{cell},TA,Classroom,,\n"), accepted: async _ =>
                    {
                        var name = await QueryAsync(db => db.Areas.Where(a => a.Code == $"Z7{i:D2}").Select(a => a.Name).FirstAsync());
                        if (name != Normalised(c.Value))
                        {
                            Fail("POST /api/areas/import (name cell)", c, $"stored {Json(name)}");
                        }
                    });
            }
            foreach (var c in HostileInputs.OfKind("content-type"))
            {
                var content = Csv("code,name,parentCode,kind,ownerEmail,backupEmail\nZ799,Corpus,TA,Classroom,,\n");
                content.Headers.Remove("Content-Type");
                content.Headers.TryAddWithoutValidation("Content-Type", c.Value);
                await SendAsync("POST /api/areas/import (content type)", c, _admin, HttpMethod.Post, "/api/areas/import", content);
            }
        }

        private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

        /// <summary>
        /// The school-calendar import (from a script: with X-Requested-With), each file as it is and as a dry run; and every
        /// text as a CSV name cell: stored as sent, or refused with nothing stored.
        /// </summary>
        public async Task CalendarImportAsync()
        {
            _adminScript ??= await _factory.SignedInAsync("admin");
            if (!_adminScript.DefaultRequestHeaders.Contains("X-Requested-With"))
            {
                _adminScript.DefaultRequestHeaders.Add("X-Requested-With", "DispatchBoard");
            }
            const string url = "/api/admin/calendar/import";
            foreach (var c in HostileInputs.OfKind("calendar-csv").Concat(HostileInputs.OfKind("calendar-ics")))
            {
                var type = c.Kind == "calendar-csv" ? "text/csv" : "text/calendar";
                var before = Fingerprint();
                await SendAsync("POST /api/admin/calendar/import?dryRun=true (file)", c, _adminScript, HttpMethod.Post, url + "?dryRun=true", new StringContent(c.Value!, Encoding.UTF8, type),
                    accepted: _ =>
                    {
                        if (Fingerprint() != before)
                        {
                            Fail("POST /api/admin/calendar/import?dryRun=true (file)", c, "a dry run stored something");
                        }
                        return Task.CompletedTask;
                    });
                await SendAsync("POST /api/admin/calendar/import (file)", c, _adminScript, HttpMethod.Post, url, new StringContent(c.Value!, Encoding.UTF8, type));
            }
            var day = new DateOnly(2043, 1, 1);
            foreach (var (c, i) in HostileInputs.OfKind("text").Select((c, i) => (c, i)))
            {
                var from = day.AddDays(i);
                var cell = "\"" + c.Value!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                await SendAsync("POST /api/admin/calendar/import (name cell)", c, _adminScript, HttpMethod.Post, url,
                    new StringContent($"Name,Kind,From,To\n{cell},Closure,{from:yyyy-MM-dd},\n", Encoding.UTF8, "text/csv"), accepted: async _ =>
                    {
                        var name = await QueryAsync(db => db.CalendarPeriods.Where(e => e.From == from).Select(e => e.Name).FirstOrDefaultAsync());
                        if (name != Normalised(c.Value))
                        {
                            Fail("POST /api/admin/calendar/import (name cell)", c, $"stored {Json(name)}");
                        }
                    });
            }
        }

        private HttpClient? _adminScript;

        /// <summary>The office's exports of what was stored: CSV cells never start a formula; the .ics feed keeps every value on its own line.</summary>
        public async Task ExportsAsync()
        {
            var today = DateOnly.FromDateTime(Get<TimeProvider>().GetLocalNow().Date);
            using var csv = await _dispatcher.GetAsync($"/api/reports/tickets.csv?period=Custom&from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
            Tries++;
            if (!csv.IsSuccessStatusCode)
            {
                Failures.Add($"tickets.csv: {(int)csv.StatusCode}");
            }
            else
            {
                using var reader = new StreamReader(await csv.Content.ReadAsStreamAsync());
                using var parser = new CsvParser(reader, CultureInfo.InvariantCulture);
                var cells = 0;
                while (await parser.ReadAsync())
                {
                    foreach (var cell in parser.Record!)
                    {
                        cells++;
                        if (cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal) && !double.TryParse(cell, CultureInfo.InvariantCulture, out _))
                        {
                            Failures.Add($"tickets.csv: a cell starts a formula: {Json(Shorten(cell))}");
                        }
                    }
                }
                if (cells < 1000)
                {
                    Failures.Add($"tickets.csv: only {cells} cells; the corpus's tickets are missing");
                }
            }

            var token = await _dispatcher.PostAsync("/api/me/calendar-token", null);
            var url = (await token.Content.ReadFromJsonAsync<JsonNode>())!["url"]!.GetValue<string>();
            var ics = await _dispatcher.GetStringAsync(new Uri(url).PathAndQuery);
            Tries++;
            var events = await QueryAsync(db => db.MeetingAttendees.CountAsync(a => a.UserId == _dispatcherActor.UserId));
            foreach (var line in ics.Split("\r\n"))
            {
                if (line.StartsWith("BCC", StringComparison.OrdinalIgnoreCase) || line.StartsWith("ATTENDEE:mailto:evil", StringComparison.Ordinal)
                    || line is "DESCRIPTION:injected" or "SUMMARY:Injected" || line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
                {
                    Failures.Add($"calendar feed: an injected line: {Json(line)}");
                }
            }
            var begun = ics.Split("\r\n").Count(l => l == "BEGIN:VEVENT");
            if (begun > events)
            {
                Failures.Add($"calendar feed: {begun} events for {events} meetings");
            }
        }

        /// <summary>A service call as a form makes it: no exception; a refusal stores nothing; an accepted value reads back as expected.</summary>
        private async Task ServiceAsync<T>(string target, HostileCase c, Func<Task<ServiceResult<T>>> call,
            Func<T, Task<(string? Stored, string? Expected)>>? readBack = null)
        {
            var before = Fingerprint();
            Tries++;
            var started = Stopwatch.GetTimestamp();
            ServiceResult<T> result;
            try
            {
                result = await call();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ServerErrors++;
                Fail(target, c, $"threw {ex.GetType().Name}: {Shorten(ex.Message)}");
                return;
            }
            Timed(target, Stopwatch.GetElapsedTime(started));
            if (!result.IsOk)
            {
                Refused++;
                if (Fingerprint() != before)
                {
                    Fail(target, c, $"refused ({result.Kind}) but something was stored");
                }
                return;
            }
            Accepted++;
            if (readBack is not null)
            {
                var (stored, expected) = await readBack(result.Value!);
                if (stored != expected)
                {
                    Fail(target, c, $"stored {Json(stored)}, not {Json(expected)}");
                }
            }
        }
    }
}
