using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class AreaImportTests : IAsyncLifetime
{
    private TestData _data = default!;

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<ImportResult> ImportAsync(string csv, string who = "admin") =>
        await _data.Get<AreaImport>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), await _data.ActorAsync(who));

    private Task<int> AreaCountAsync() => _data.QueryAsync(db => db.Areas.CountAsync());

    [Fact]
    public async Task GoodFile_CreatesAndUpdates_ChildrenBeforeParentsWork_OwnersRoute()
    {
        const string csv = """"
            code,name,parentCode,kind,ownerEmail,backupEmail
            C-1F-101,"Art Room, ""Blue""",C-1F,classroom,,
            C-1F,Floor 1,TC,general,,
            TC,教学楼 C,MAIN,General,staff2@demo.example,staff1@demo.example
            A204,Room 204 (Physics),A-2F,Classroom,staff3@demo.example,
            """";

        var result = await ImportAsync(csv);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal((3, 1), (result.Created, result.Updated));
        var areas = await _data.Get<AreaDirectory>().GetAsync();
        var room = areas.ByCode["C-1F-101"];
        Assert.Equal("Art Room, \"Blue\"", room.Name);
        Assert.Equal("教学楼 C › Floor 1 › Art Room, \"Blue\"", room.Path);
        Assert.Equal((AreaLevel.Building, AreaLevel.Floor, AreaLevel.Room), (areas.ByCode["TC"].Level, areas.ByCode["C-1F"].Level, room.Level));
        Assert.Equal(AreaKind.Classroom, room.Kind);
        Assert.Equal("Room 204 (Physics)", areas.ByCode["A204"].Name);

        var report = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("C-1F-101", "Furniture", "Easel broken", false, null, null),
            TicketChannel.Web, null);
        Assert.Equal("Li Na", (await _data.Get<TicketQueries>().GetDetailAsync(report.Value!.Id))!.Ticket.RoutedTo);
        var physics = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("A204", "Lighting", "Out", false, null, null), TicketChannel.Web, null);
        Assert.Equal("Zhang Wei", (await _data.Get<TicketQueries>().GetDetailAsync(physics.Value!.Id))!.Ticket.RoutedTo);
    }

    [Fact]
    public async Task TeachingRoomColumn_MarksAndUnmarks_EmptyKeepsTheFlag_AndABadValueIsNamed()
    {
        const string csv = """
            code,name,parentCode,kind,ownerEmail,backupEmail,teachingRoom
            C101,Art Room,A-1F,classroom,,,yes
            A101,Room 101,A-1F,classroom,,,no
            A102,Room 102,A-1F,classroom,,,
            C102,Room 102,A-1F,classroom,,,
            C103,Store,A-1F,other,,,
            """;

        var result = await ImportAsync(csv);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var areas = await _data.Get<AreaDirectory>().GetAsync();
        Assert.Equal((true, false, true), (areas.ByCode["C101"].IsTeachingRoom, areas.ByCode["A101"].IsTeachingRoom, areas.ByCode["A102"].IsTeachingRoom));
        // Left empty: a new classroom is a teaching room, a new store room is not.
        Assert.Equal((true, false), (areas.ByCode["C102"].IsTeachingRoom, areas.ByCode["C103"].IsTeachingRoom));
        // The demo marks its classrooms, not the library, the toilets or the floors (the flag is not inherited).
        Assert.Equal((false, false, false), (areas.ByCode["B301"].IsTeachingRoom, areas.ByCode["A-1F-WC"].IsTeachingRoom, areas.ByCode["A-1F"].IsTeachingRoom));

        var bad = await ImportAsync("""
            code,name,parentCode,kind,ownerEmail,backupEmail,teachingRoom
            A103,Room 103,A-1F,classroom,,,sometimes
            """);
        Assert.Equal("Row 2 (A103): teachingRoom 'sometimes' must be yes or no (or left empty).", Assert.Single(bad.Errors).ToString());
    }

    [Fact]
    public async Task AreaEdit_SetsTheTeachingRoomFlag_AndLeavingItOutKeepsIt()
    {
        var admin = await _data.ActorAsync("admin");
        var service = _data.Get<AreaService>();
        var hall = (await _data.Get<AreaDirectory>().GetAsync()).ByCode["A101"];
        AreaInput Input(bool? teaching) => new(hall.Code, hall.Name, hall.ParentCode, hall.Level, hall.Kind, hall.OwnerId, hall.BackupId, teaching);

        Assert.False((await service.SaveAsync(hall.Id, Input(false), admin)).Value!.IsTeachingRoom);
        Assert.False((await service.SaveAsync(hall.Id, Input(null), admin)).Value!.IsTeachingRoom);
        Assert.True((await service.SaveAsync(hall.Id, Input(true), admin)).Value!.IsTeachingRoom);
        Assert.True((await service.SaveAsync(hall.Id, Input(null), admin)).Value!.IsTeachingRoom);
    }

    [Fact]
    public async Task FileWithBadRows_ImportsNothing_AndNamesEveryRow()
    {
        var before = await AreaCountAsync();
        const string csv = """
            code,name,parentCode,kind,ownerEmail,backupEmail
            D1,Good row,MAIN,classroom,,
            d 2,Bad code,MAIN,classroom,,
            D3,,MAIN,classroom,,
            D4,Unknown parent,NOPE,classroom,,
            D5,Unknown kind,MAIN,spaceship,,
            D6,Unknown owner,MAIN,office,nobody@demo.example,
            D1,Duplicate,MAIN,office,,
            D7,Same person,MAIN,office,staff1@demo.example,staff1@demo.example
            """;

        var result = await ImportAsync(csv);

        Assert.False(result.Succeeded);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], result.Errors.Select(e => e.Row).Distinct());
        Assert.Contains(result.Errors, e => e.Row == 5 && e.Message.Contains("'NOPE' is neither in the file nor in the school"));
        Assert.Contains(result.Errors, e => e.Row == 6 && e.Message.Contains("spaceship"));
        Assert.Contains(result.Errors, e => e.Row == 8 && e.Message.Contains("row 2"));
        Assert.Equal(before, await AreaCountAsync());
        Assert.False((await _data.Get<AreaDirectory>().GetAsync()).ByCode.ContainsKey("D1"));
    }

    [Fact]
    public async Task Loops_WrongHeader_EmptyFile_NotAdmin_AreRefused()
    {
        var loop = await ImportAsync("code,name,parentCode,kind,ownerEmail,backupEmail\nE1,One,E2,,,\nE2,Two,E1,,,\n");
        var header = await ImportAsync("code,title,parent\nE1,One,MAIN\n");
        var empty = await ImportAsync("");
        var staff = await ImportAsync("code,name,parentCode,kind,ownerEmail,backupEmail\nE1,One,MAIN,,,\n", who: "dispatcher");

        Assert.Contains(loop.Errors, e => e.Message.Contains("loop"));
        Assert.Contains("missing name, parentCode, kind, ownerEmail, backupEmail", Assert.Single(header.Errors).Message);
        Assert.Contains("empty", Assert.Single(empty.Errors).Message);
        Assert.Contains("administrator", Assert.Single(staff.Errors).Message);
        Assert.False((await _data.Get<AreaDirectory>().GetAsync()).ByCode.ContainsKey("E1"));
    }

    [Fact]
    public async Task AreaService_MoveIntoOwnChild_DuplicateCode_RetiredTakesNoReports()
    {
        var areas = _data.Get<AreaService>();
        var admin = await _data.ActorAsync("admin");
        var snapshot = await _data.Get<AreaDirectory>().GetAsync();
        var building = snapshot.ByCode["TA"];

        var intoChild = await areas.SaveAsync(building.Id, new AreaInput("TA", "Teaching Building A", "A-2F", AreaLevel.Building, AreaKind.General, null, null), admin);
        var duplicate = await areas.SaveAsync(null, new AreaInput("a204", "Copy", "A-2F", AreaLevel.Room, AreaKind.Classroom, null, null), admin);
        var retired = await areas.SetRetiredAsync(snapshot.ByCode["A101"].Id, true, admin);
        var report = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("A101", "Lighting", "x", false, null, null), TicketChannel.Web, null);
        var byDispatcher = await areas.SetRetiredAsync(snapshot.ByCode["A102"].Id, true, await _data.ActorAsync("dispatcher"));

        Assert.True(intoChild.Errors.ContainsKey("parentCode"));
        Assert.Contains("already has the code A204", duplicate.Errors["code"][0]);
        Assert.True(retired.Value!.IsRetired);
        Assert.Contains("no longer takes reports", report.Errors["areaCode"][0]);
        Assert.Equal(ResultKind.Forbidden, byDispatcher.Kind);
    }
}
