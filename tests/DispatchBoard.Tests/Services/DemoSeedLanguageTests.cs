using DispatchBoard.Testing;
using DispatchBoard.Web.Areas;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>Demo:Culture = zh-Hans: a Chinese school sees itself in the demo, with the same codes and sign-ins.</summary>
public sealed class DemoSeedLanguageTests
{
    [Fact]
    public async Task AChineseDemoSchool_HasChineseNames_UnderTheSameCodesAndAddresses()
    {
        await using var data = await TestData.CreateAsync(settings: new Dictionary<string, string?> { ["Demo:Culture"] = "zh-Hans" });

        var areas = await data.QueryAsync(db => db.Areas.ToDictionaryAsync(a => a.Code, a => a.Name));
        Assert.Equal("教学楼A", areas["TA"]);
        Assert.Equal("操场", areas["PLAY"]);
        Assert.Equal("2楼卫生间", areas["A-2F-WC"]);
        Assert.Equal("204教室", areas["A204"]);
        Assert.Equal("王磊", (await data.ActorAsync("staff1")).Name);
        Assert.Equal("王磊", await data.QueryAsync(db => db.Staff.Where(s => s.User!.Email == "staff1@demo.example").Select(s => s.DisplayName).SingleAsync()));
        Assert.Contains("教室后排的灯不亮了。", await data.QueryAsync(db => db.Tickets.Select(t => t.Description).ToListAsync()));
        // Nothing left in English where a person reads it.
        Assert.DoesNotContain(areas.Values, name => name.Any(char.IsAsciiLetterLower));
        // The safety checklist the school starts with is in its language too (the admin edits it from there).
        var classroom = await data.QueryAsync(db => db.ChecklistItems.Where(i => i.Kind == AreaKind.Classroom).OrderBy(i => i.SortOrder).Select(i => i.Text).ToListAsync());
        Assert.Equal(["照明", "插座与线路", "门窗与窗扇", "门与门锁", "课桌与凳子", "安全出口标志与疏散通道"], classroom);
    }

    [Fact]
    public async Task AnEnglishSchool_StartsWithTheEnglishChecklist()
    {
        await using var data = await TestData.CreateAsync();

        var classroom = await data.QueryAsync(db => db.ChecklistItems.Where(i => i.Kind == AreaKind.Classroom).OrderBy(i => i.SortOrder).Select(i => i.Text).ToListAsync());
        Assert.Equal(["Lighting", "Sockets and wiring", "Windows and sashes", "Doors and locks", "Desks and stools", "Fire exit sign and route"], classroom);
    }
}
