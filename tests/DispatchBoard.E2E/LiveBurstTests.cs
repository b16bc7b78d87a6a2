using System.Net.Http.Json;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DispatchBoard.E2E;

/// <summary>
/// Live under load: reports arrive in a burst while boards are opening (the moment a board used to lose tickets) and
/// while a board's connection is down. Afterwards every board shows exactly the tickets the database holds, column by
/// column, without anyone reloading.
/// </summary>
[Collection(BurstCollection.Name)]
public sealed class LiveBurstTests(AppFixture app, ITestOutputHelper output)
{
    private const int Reports = 50;
    private const int Boards = 5;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50); // 20 reports a second
    private static readonly string[] AreaCodes = ["A204", "A102", "B201", "B202", "CANT", "GYM", "OFF101", "PLAY"];

    private const string ColumnsScript = """
        () => Object.fromEntries([...document.querySelectorAll('section[data-column]')].map(c =>
            [c.dataset.column, [...c.querySelectorAll('[data-ticket]')].map(e => +e.dataset.ticket).sort((a, b) => a - b)]))
        """;

    [Fact]
    public async Task FiftyReportsAtTwentyASecond_WhileFiveBoardsAreOpening_EveryBoardEndsEqualToTheDatabase()
    {
        var contexts = new List<IBrowserContext>();
        try
        {
            var boards = new List<IPage>();
            for (var i = 0; i < Boards; i++)
            {
                var context = await app.OfficeScreenAsync();
                contexts.Add(context);
                await app.SignInAsync(context, "dispatcher");
                boards.Add(await context.NewPageAsync());
            }
            var staff = await app.PhoneAsync();
            contexts.Add(staff);
            await app.SignInAsync(staff, "staff1");
            using var reporter = new HttpClient { BaseAddress = app.BaseAddress };

            // One clock drives the scenario: a report every tick, a board starting to open every tenth, a claim now and then.
            var opening = new List<Task>();
            var run = Guid.NewGuid().ToString("N")[..6];
            using var ticks = new PeriodicTimer(Every);
            for (var i = 0; i < Reports; i++)
            {
                if (i % (Reports / Boards) == 0)
                {
                    var board = boards[i / (Reports / Boards)];
                    opening.Add(board.GotoAsync(board == boards[^1] ? "/board/tv" : "/board", new() { WaitUntil = WaitUntilState.Commit }));
                }
                var response = await reporter.PostAsJsonAsync("/api/tickets",
                    new { areaCode = AreaCodes[i % AreaCodes.Length], category = "Other", description = $"Burst {run} #{i}: something is broken" });
                response.EnsureSuccessStatusCode();
                if (i % 7 == 3)
                {
                    var id = (await response.Content.ReadFromJsonAsync<Created>())!.Id;
                    var claim = await staff.APIRequest.PostAsync($"/api/tickets/{id}/claim");
                    Assert.True(claim.Ok, $"claim {id}: {claim.Status}");
                }
                await ticks.WaitForNextTickAsync();
            }
            await Task.WhenAll(opening);

            var expected = await BoardInDatabaseAsync();
            output.WriteLine($"database: {string.Join(", ", expected.Select(c => $"{c.Key} {c.Value.Length}"))}");
            foreach (var board in boards)
            {
                await Pages.WaitForCircuitAsync(board);
                await AssertShowsAsync(board, expected);
            }
            await app.ScreenshotAsync(boards[0], "10-board-after-burst");
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ReportsMadeWhileABoardIsOffline_AppearOnceItIsBack()
    {
        await using var context = await app.OfficeScreenAsync();
        await app.SignInAsync(context, "dispatcher");
        var board = await context.NewPageAsync();
        await board.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(board);
        using var reporter = new HttpClient { BaseAddress = app.BaseAddress };

        await context.SetOfflineAsync(true);
        for (var i = 0; i < 10; i++)
        {
            var response = await reporter.PostAsJsonAsync("/api/tickets",
                new { areaCode = AreaCodes[i % AreaCodes.Length], category = "Lighting", description = $"Reported while the office was offline #{i}" });
            response.EnsureSuccessStatusCode();
        }
        await context.SetOfflineAsync(false);

        await AssertShowsAsync(board, await BoardInDatabaseAsync());
    }

    private sealed record Created(int Id, string TrackingCode);

    /// <summary>What a board must show, read from the database: its columns, each with its ticket ids.</summary>
    private async Task<Dictionary<string, int[]>> BoardInDatabaseAsync()
    {
        var since = app.Services.GetRequiredService<SchoolClock>().StartOfToday();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var rows = await db.Tickets
            .Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Claimed || t.Status == TicketStatus.OnSite
                || t.Status == TicketStatus.Escalated || ((t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed) && t.ResolvedAt >= since))
            .Select(t => new { t.Id, t.Status })
            .ToListAsync();
        return new[] { TicketStatus.New, TicketStatus.Claimed, TicketStatus.OnSite, TicketStatus.Escalated, TicketStatus.Resolved }
            .ToDictionary(s => s.ToString(), s => rows
                .Where(r => r.Status == s || (s == TicketStatus.Resolved && r.Status == TicketStatus.Closed))
                .Select(r => r.Id).Order().ToArray());
    }

    /// <summary>Polls the board until its columns equal <paramref name="expected"/>, or fails saying how they differ.</summary>
    private static async Task AssertShowsAsync(IPage board, Dictionary<string, int[]> expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        Dictionary<string, int[]> shown;
        while (true)
        {
            shown = await board.EvaluateAsync<Dictionary<string, int[]>>(ColumnsScript);
            if (Same(shown, expected) || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }
            await board.WaitForTimeoutAsync(100);
        }
        foreach (var (column, ids) in expected)
        {
            var onBoard = shown.GetValueOrDefault(column) ?? [];
            Assert.True(ids.SequenceEqual(onBoard),
                $"{column}: missing on the board [{string.Join(", ", ids.Except(onBoard))}], shown but not in the database [{string.Join(", ", onBoard.Except(ids))}]");
        }
    }

    private static bool Same(Dictionary<string, int[]> shown, Dictionary<string, int[]> expected) =>
        expected.All(c => shown.TryGetValue(c.Key, out var ids) && ids.SequenceEqual(c.Value));
}
