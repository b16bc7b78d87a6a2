using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;

namespace DispatchBoard.Components.Tests;

/// <summary>/admin/audit over recorded lines: newest first, school time, paged on the server, filtered by what the admin picks.</summary>
public sealed class AdminAuditTests : DispatchComponentTest
{
    [Fact]
    public async Task Page_ShowsTheNewestLinesInSchoolTime_PagesOnTheServer_AndFiltersByText()
    {
        await SignInAsync("admin", Roles.Admin);
        var admin = await Data.ActorAsync("admin") with { Address = "192.0.2.77" };
        var log = Data.Get<AuditLog>();
        for (var i = 0; i < AdminAudit.PageSize + 5; i++)
        {
            await log.RecordAsync(AuditEvent.Anonymous(AuditKind.SignInFailed, $"guess{i}@school.example", "no such account", "203.0.113.5"));
        }
        Data.Time.Advance(TimeSpan.FromMinutes(1));
        await log.RecordAsync(AuditEvent.By(admin, AuditKind.RoleChanged, "li.na@school.example", "Li Na: Staff → Dispatcher, Staff"));
        RenderProviders();

        var cut = Render<AdminAudit>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-loaded]").GetAttribute("data-loaded")));
        var rows = cut.FindAll("[data-testid='audit-line']");
        Assert.Equal(AdminAudit.PageSize, rows.Count);
        // 2026-11-24 02:01 UTC is 10:01 at the school (Asia/Shanghai).
        Assert.Contains("2026-11-24 10:01:00", rows[0].TextContent);
        Assert.Contains("Roles changed", rows[0].TextContent);
        Assert.Contains("Alex Morgan", rows[0].TextContent);
        Assert.Contains("192.0.2.77", rows[0].TextContent);
        Assert.Contains($"{AdminAudit.PageSize + 6} line(s)", cut.Find("[data-testid='audit-count']").TextContent);
        Assert.Equal(AdminAudit.PageSize, cut.FindAll("[data-testid='audit-card']").Count);

        cut.Find("[data-testid='audit-pages'] [aria-label='Next page'], [data-testid='audit-pages'] button[aria-label*='next' i]").Click();
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid='audit-line']").Count));

        await cut.Find("input[data-testid='filter-text']").ChangeAsync(new() { Value = "li.na@" });
        await cut.Find("form").SubmitAsync();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='audit-line']")));
        Assert.Contains("text=li.na@", cut.Find("[data-testid='audit-csv']").GetAttribute("href"));
    }
}
