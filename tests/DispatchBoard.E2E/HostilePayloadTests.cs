using System.Collections.Concurrent;
using System.Globalization;
using CsvHelper;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DispatchBoard.E2E;

/// <summary>
/// The corpus's script, URL, Unicode and CSV-formula payloads, stored as reports (description, reporter name, location
/// detail, and a staff note), shown where staff and reporters read them: the board, a ticket's details, the tracking page
/// and the CSV export. Nothing runs: no dialog, no navigation away, window.__pwned never set, no CSP violation.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostilePayloadTests(AppFixture app, ITestOutputHelper output)
{
    static HostilePayloadTests() => SetDefaultExpectTimeout(15_000);


    [Fact]
    public async Task StoredPayloads_OnTheBoardDetailsTrackingPageAndCsv_NeverRun()
    {
        var stored = await StorePayloadsAsync();
        Assert.True(stored.Count >= 80, $"only {stored.Count} payloads were accepted");

        await using var context = await app.OfficeScreenAsync();
        await app.SignInAsync(context, "dispatcher");
        var problems = await CspWatch.StartAsync(context);
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) =>
        {
            problems.Enqueue($"a {dialog.Type} dialog opened: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame && !frame.Url.StartsWith(app.BaseAddress.ToString(), StringComparison.Ordinal))
            {
                problems.Enqueue($"navigated away to {frame.Url}");
            }
        };

        await page.GotoAsync("/board");
        await Pages.WaitForCircuitAsync(page);
        await Expect(page.Locator($"[data-ticket='{stored[0].Id}']")).ToBeVisibleAsync();
        await AssertNothingRanAsync(page, "/board", problems);

        // The details of tickets whose every field is a script or URL payload, notes included.
        foreach (var ticket in stored.Where(t => t.Category is "script-payload" or "javascript-url").Take(6))
        {
            var card = page.Locator($"[data-ticket='{ticket.Id}']");
            await card.ScrollIntoViewIfNeededAsync();
            await card.Locator("[aria-label='Details']").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog).ToContainTextAsync(ticket.Payload.Trim()[..Math.Min(12, ticket.Payload.Trim().Length)]);
            await AssertNothingRanAsync(page, $"details of #{ticket.Id} ({ticket.Name})", problems);
            await dialog.Locator(".mud-dialog-actions button").Last.ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
        }

        // The reporter's tracking page shows the description and the staff notes.
        foreach (var ticket in stored.Where(t => t.Category is "script-payload" or "javascript-url" or "unicode").Where((_, i) => i % 5 == 0))
        {
            await page.GotoAsync($"/track/{ticket.TrackingCode}");
            await Pages.WaitForCircuitAsync(page);
            await AssertNothingRanAsync(page, $"/track/{ticket.TrackingCode} ({ticket.Name})", problems);
        }

        // The office's CSV: reporters' text never starts a formula in a spreadsheet.
        var today = DateOnly.FromDateTime(DateTime.Today);
        var csv = await context.APIRequest.GetAsync($"/api/reports/tickets.csv?period=Custom&from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        Assert.True(csv.Ok, $"tickets.csv answered {csv.Status}");
        using var parser = new CsvParser(new StringReader(await csv.TextAsync()), CultureInfo.InvariantCulture);
        var cells = 0;
        var formulas = new List<string>();
        var all = new HashSet<string>(StringComparer.Ordinal);
        while (await parser.ReadAsync())
        {
            foreach (var cell in parser.Record!)
            {
                cells++;
                all.Add(cell);
                if (cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal))
                {
                    formulas.Add(cell);
                }
            }
        }
        // The formula payloads are there, neutralised with a leading apostrophe (OWASP), not dropped.
        foreach (var formula in stored.Where(t => t.Category == "csv-formula").Select(t => t.Payload.Trim()).Where(p => "=+-@".Contains(p[0], StringComparison.Ordinal)))
        {
            Assert.Contains("'" + formula, all);
        }
        output.WriteLine($"{stored.Count} payloads stored; {cells} CSV cells checked");
        Assert.True(formulas.Count == 0, "CSV cells that start a formula:\n" + string.Join("\n", formulas));
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }

    private static async Task AssertNothingRanAsync(IPage page, string where, ConcurrentQueue<string> problems)
    {
        foreach (var violation in await CspWatch.EventsAsync(page))
        {
            problems.Enqueue($"{where}: CSP {violation}");
        }
        var pwned = await page.EvaluateAsync<string>("() => String(window.__pwned)");
        if (pwned != "undefined")
        {
            problems.Enqueue($"{where}: window.__pwned = {pwned}");
        }
        Assert.True(problems.IsEmpty, $"{where}:\n{string.Join("\n", problems)}");
    }

    private sealed record StoredPayload(int Id, string TrackingCode, string Category, string Name, string Payload);

    /// <summary>Each shown payload as one report (description, name, location detail), and for script and URL payloads a staff note.</summary>
    private async Task<List<StoredPayload>> StorePayloadsAsync()
    {
        var intake = app.Services.GetRequiredService<TicketIntake>();
        var changes = app.Services.GetRequiredService<TicketChanges>();
        var staff = await ActorAsync("staff1");
        var stored = new List<StoredPayload>();
        foreach (var c in HostileInputs.ShownPayloads)
        {
            var text = c.Value!;
            var result = await intake.ReportAsync(new ReportTicket("A204", "Lighting", text, false, Fit(text, Ticket.ReporterNameMaxLength), null,
                Fit(text, Ticket.LocationDetailMaxLength)), TicketChannel.Web, null);
            if (!result.IsOk)
            {
                output.WriteLine($"refused {c.Id}: {result.Describe()}");
                continue;
            }
            if (c.Category is "script-payload" or "javascript-url")
            {
                var claimed = await changes.ClaimAsync(result.Value!.Id, staff);
                Assert.True(claimed.IsOk, claimed.Describe());
                var onSite = await changes.MoveAsync(result.Value.Id, TicketStatus.OnSite, Fit(text, Ticket.NoteMaxLength), staff);
                Assert.True(onSite.IsOk, onSite.Describe());
            }
            stored.Add(new StoredPayload(result.Value!.Id, result.Value.TrackingCode, c.Category, c.Name, text));
        }
        return stored;
    }

    private static string Fit(string text, int max) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    private async Task<Actor> ActorAsync(string who)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync($"{who}@demo.example"))!;
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        var staffId = await db.Staff.Where(m => m.UserId == user.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync();
        return new Actor(user.Id, user.DisplayName, CanDispatch: false, StaffId: staffId);
    }
}
