using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Staff;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// The audit log's guarantees: a change and its line are stored together or not at all; a line can never be changed or
/// removed; what has no API (area and checklist edits on their pages) is recorded by its service; the page's filters.
/// </summary>
public sealed class AuditTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<Actor> AdminFromAsync(string address) => await _data.ActorAsync("admin") with { Address = address };

    private Task<List<AuditEntry>> LinesAsync() => _data.QueryAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    /// <summary>Makes every audit insert fail, as a full disk or a broken log would.</summary>
    private Task BreakTheLogAsync() => _data.RefuseInsertsAsync("AuditEntries", "test_audit_broken", "the log is broken");

    [Fact]
    public async Task RoleChangeAndDeactivation_WhenTheirAuditLineCannotBeWritten_AreNotMadeEither()
    {
        var admin = await AdminFromAsync("192.0.2.1");
        var staff1 = await _data.ActorAsync("staff1");
        var accounts = _data.Get<StaffAdminService>();
        await BreakTheLogAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => accounts.SetRolesAsync(staff1.UserId, ["Staff", "Admin"], admin));
        await Assert.ThrowsAnyAsync<Exception>(() => accounts.SetActiveAsync(staff1.UserId, false, admin));

        var after = (await accounts.ListAsync()).Single(a => a.UserId == staff1.UserId);
        Assert.Equal(["Staff"], after.Roles);
        Assert.True(after.IsActive);
        Assert.Empty(await LinesAsync());
    }

    [Fact]
    public async Task AreaImport_WhenItsAuditLineCannotBeWritten_ImportsNothing()
    {
        var before = await _data.QueryAsync(db => db.Areas.CountAsync());
        var admin = await AdminFromAsync("192.0.2.6");
        await BreakTheLogAsync();
        var csv = "code,name,parentCode,kind,ownerEmail,backupEmail\nAUD-9,Audit Hall,,General,,\n";

        await Assert.ThrowsAnyAsync<Exception>(() => _data.Get<AreaImport>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), admin));

        Assert.Equal(before, await _data.QueryAsync(db => db.Areas.CountAsync()));
    }

    [Fact]
    public async Task RoleChange_StoresExactlyOneLineWithItsChange()
    {
        var staff1 = await _data.ActorAsync("staff1");

        var result = await _data.Get<StaffAdminService>().SetRolesAsync(staff1.UserId, ["Staff", "Dispatcher"], await AdminFromAsync("192.0.2.2"));

        Assert.True(result.IsOk, result.Describe());
        var line = Assert.Single(await LinesAsync());
        Assert.Equal((AuditKind.RoleChanged, "Alex Morgan", "staff1@demo.example", "Wang Lei: Staff → Dispatcher, Staff", "192.0.2.2"),
            (line.Kind, line.ActorName, line.Subject, line.Details, line.Address));
        Assert.Equal(_data.Time.GetUtcNow(), line.At);
    }

    [Fact]
    public async Task AuditLines_CannotBeChangedOrRemoved_ByAnyStatement()
    {
        await _data.Get<AuditLog>().RecordAsync(AuditEvent.Anonymous(AuditKind.SignInFailed, "x@demo.example", "wrong password", "192.0.2.3"));

        var update = await Assert.ThrowsAnyAsync<DbException>(() => _data.QueryAsync(db =>
            db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, "nothing happened"))));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => _data.QueryAsync(db => db.AuditEntries.ExecuteDeleteAsync()));
        var raw = await Assert.ThrowsAnyAsync<DbException>(() => _data.QueryAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"")));
        var tracked = await Assert.ThrowsAsync<DbUpdateException>(() => _data.QueryAsync(async db =>
        {
            var entry = await db.AuditEntries.SingleAsync();
            entry.Address = "10.0.0.1";
            return await db.SaveChangesAsync();
        }));

        Assert.All(new Exception[] { update, delete, raw, tracked.InnerException! }, e => Assert.Contains(AuditTriggers.Refusal, e.Message));
        var line = Assert.Single(await LinesAsync());
        Assert.Equal(("wrong password", "192.0.2.3"), (line.Details, line.Address));
    }

    [Fact]
    public async Task AreaAndChecklistEdits_OnTheirPages_AreRecordedWithTheFullAddress()
    {
        var admin = await AdminFromAsync("2001:db8:1:2:3:4:5:6");
        var areas = _data.Get<AreaService>();

        var created = await areas.SaveAsync(null, new AreaInput("AUD-1", "Audit Hall", null, AreaLevel.Building, AreaKind.General, null, null), admin);
        var edited = await areas.SaveAsync(created.Value!.Id, new AreaInput("AUD-1", "Audit Hall East", null, AreaLevel.Building, AreaKind.General, null, null), admin);
        var retired = await areas.SetRetiredAsync(created.Value.Id, true, admin);
        var checklist = await _data.Get<ChecklistService>().SaveAsync(AreaKind.Restroom, ["Taps do not drip", "Floor is dry"], admin);

        Assert.True(created.IsOk && edited.IsOk && retired.IsOk && checklist.IsOk);
        var lines = await LinesAsync();
        Assert.Equal([AuditKind.AreaCreated, AuditKind.AreaEdited, AuditKind.AreaRetired, AuditKind.ChecklistEdited], lines.Select(l => l.Kind));
        Assert.All(lines, l => Assert.Equal(("Alex Morgan", "2001:db8:1:2:3:4:5:6"), (l.ActorName, l.Address)));
        Assert.Equal(["Area AUD-1", "Area AUD-1", "Area AUD-1", "Checklist Restroom"], lines.Select(l => l.Subject));
        Assert.Contains("\"Audit Hall\"", lines[1].Details);
        Assert.Contains("\"Audit Hall East\"", lines[1].Details);
        Assert.Equal("2 check(s): Taps do not drip | Floor is dry", lines[3].Details);
    }

    [Fact]
    public async Task MeetingSeriesEdit_TheSchoolSettingAnAdminChanges_IsRecordedBeforeAndAfter()
    {
        await using var data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Meetings:Series:0:Key"] = "monthly-staff",
            ["Meetings:Series:0:Name"] = "Monthly logistics staff meeting",
            ["Meetings:Series:0:Cron"] = "0 16 * * MON#1",
        });
        var scheduler = data.Get<MeetingScheduler>();
        await scheduler.ScheduleAsync();
        var series = Assert.Single(await scheduler.SeriesAsync());

        var result = await scheduler.UpdateSeriesAsync(series.Id, new SeriesInput(series.Name, "0 15 * * TUE#1", 45, "Staff Room", null, "Staff", true),
            await data.ActorAsync("admin") with { Address = "192.0.2.8" });

        Assert.True(result.IsOk, result.Describe());
        var line = Assert.Single(await data.QueryAsync(db => db.AuditEntries.AsNoTracking().ToListAsync()));
        Assert.Equal((AuditKind.SettingsChanged, "Alex Morgan", $"Meeting series {series.Name}", "192.0.2.8"), (line.Kind, line.ActorName, line.Subject, line.Address));
        Assert.Contains($"{series.Cron}", line.Details);
        Assert.EndsWith("→ \"" + series.Name + "\" 0 15 * * TUE#1, 45 min, Staff Room, for Staff", line.Details);
    }

    [Fact]
    public async Task RefusedChanges_LeaveNoLine()
    {
        var staff = await _data.ActorAsync("staff1") with { Address = "192.0.2.4" };

        var area = await _data.Get<AreaService>().SaveAsync(null, new AreaInput("AUD-2", "x", null, AreaLevel.Building, AreaKind.General, null, null), staff);
        var invalid = await _data.Get<AreaService>().SaveAsync(null, new AreaInput("bad code!", "x", null, AreaLevel.Building, AreaKind.General, null, null),
            await AdminFromAsync("192.0.2.4"));

        Assert.False(area.IsOk);
        Assert.False(invalid.IsOk);
        Assert.Empty(await LinesAsync());
    }

    [Fact]
    public async Task Search_FiltersByKindPersonTextAndSchoolDays_NewestFirst_Paged()
    {
        var log = _data.Get<AuditLog>();
        var admin = await AdminFromAsync("192.0.2.5");
        // Tuesday 24 November 10:00 at the school (Asia/Shanghai)...
        await log.RecordAsync(AuditEvent.By(admin, AuditKind.RoleChanged, "li.na@school.example", "Staff → Staff, Dispatcher"));
        await log.RecordAsync(AuditEvent.Anonymous(AuditKind.SignInFailed, "li.na@school.example", "wrong password", "203.0.113.9"));
        // ...and Wednesday 25 November 06:00 at the school, still the 24th in UTC.
        _data.Time.Advance(TimeSpan.FromHours(20));
        await log.RecordAsync(AuditEvent.By(admin, AuditKind.AreaEdited, "Area B-204", "renamed 100%_done"));

        var all = await log.SearchAsync(new AuditFilter(), 0, 2);
        var second = await log.SearchAsync(new AuditFilter(), 1, 2);
        var byKind = await log.SearchAsync(new AuditFilter(Kind: AuditKind.SignInFailed), 0, 50);
        var byPerson = await log.SearchAsync(new AuditFilter(Person: admin.UserId), 0, 50);
        var byText = await log.SearchAsync(new AuditFilter(Text: "li.na@"), 0, 50);
        // Either case finds it, on SQLite and on PostgreSQL alike.
        var byOtherCase = await log.SearchAsync(new AuditFilter(Text: "AREA b-204"), 0, 50);
        var likeIsLiteral = await log.SearchAsync(new AuditFilter(Text: "100%_"), 0, 50);
        var wildcardNotAWildcard = await log.SearchAsync(new AuditFilter(Text: "_"), 0, 50);
        var wednesday = await log.SearchAsync(new AuditFilter(From: new DateOnly(2026, 11, 25), To: new DateOnly(2026, 11, 25)), 0, 50);
        var tuesday = await log.SearchAsync(new AuditFilter(To: new DateOnly(2026, 11, 24)), 0, 50);

        Assert.Equal(3, all.Total);
        Assert.Equal([AuditKind.AreaEdited, AuditKind.SignInFailed], all.Lines.Select(l => l.Kind));
        Assert.Equal([AuditKind.RoleChanged], second.Lines.Select(l => l.Kind));
        Assert.Equal("203.0.113.9", Assert.Single(byKind.Lines).Address);
        Assert.Equal([AuditKind.AreaEdited, AuditKind.RoleChanged], byPerson.Lines.Select(l => l.Kind));
        Assert.Equal(2, byText.Total);
        Assert.Equal(AuditKind.AreaEdited, Assert.Single(byOtherCase.Lines).Kind);
        Assert.Equal(AuditKind.AreaEdited, Assert.Single(likeIsLiteral.Lines).Kind);
        Assert.Equal(AuditKind.AreaEdited, Assert.Single(wildcardNotAWildcard.Lines).Kind);
        Assert.Equal(AuditKind.AreaEdited, Assert.Single(wednesday.Lines).Kind);
        Assert.Equal(2, tuesday.Total);
    }
}
