using System.Globalization;
using DispatchBoard.Testing;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// A ticket's history is written in the school's language (School:DefaultCulture), whatever the language of the person
/// whose request wrote it: a Chinese school keeps Chinese notes when its people use the app in English, an English
/// school keeps today's English. A person's own words stay as typed; an alert is still in its reader's language.
/// </summary>
public sealed class SchoolLanguageHistoryTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");

    [Fact]
    public async Task AChineseSchool_WritesItsHistoryInChinese_EvenFromEnglishRequests()
    {
        await using var data = await TestData.CreateAsync(settings: new Dictionary<string, string?> { ["School:DefaultCulture"] = "zh-Hans" });
        // The lead reads English: the alert about the correction is in English, the history it repeats is not.
        await data.SetLanguageAsync("staff1", "en");

        var story = await PlayAsync(data, English);

        var reported = story.First.Events.First(e => e.Kind == TicketEventKind.Reported);
        Assert.Equal("报修人", reported.ActorName);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reported.Note);
        Assert.DoesNotMatch("[A-Za-z]{4,}", reported.Note!.Replace(story.LeadName, "", StringComparison.Ordinal));
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.MeToo && e.Note == "Mr. Xu 也报修了此问题" && e.ActorName == "Mr. Xu");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Assigned && e.Note == $"已指派给 {story.LeadName}");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Edited && e.Note == "优先级：普通 → 紧急；具体位置：（无） → “By the door”");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Merged && e.Note == $"#{story.Second.Ticket.Id} 已合并进来");
        Assert.Contains(story.Second.Events, e => e.Kind == TicketEventKind.Merged && e.Note == $"已合并到 #{story.First.Ticket.Id}（{story.AreaName}）");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Resolved && e.Note == "Sash refitted");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Confirmed && e.Note == "评分 4/5：Thanks a lot" && e.ActorName == "报修人");

        var corrected = Assert.Single(await data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Corrected);
        Assert.Equal("Priority: Normal → Urgent; Location: (none) → “By the door”", corrected.Body);
    }

    [Fact]
    public async Task AnEnglishSchool_WritesItsHistoryInEnglish_EvenFromChineseRequests()
    {
        await using var data = await TestData.CreateAsync();
        await data.SetLanguageAsync("staff1", "zh-Hans");

        var story = await PlayAsync(data, Chinese);

        var reported = story.First.Events.First(e => e.Kind == TicketEventKind.Reported);
        Assert.Equal("Reporter", reported.ActorName);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", reported.Note);
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.MeToo && e.Note == "Also reported by Mr. Xu");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Assigned && e.Note == $"Assigned to {story.LeadName}");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Edited && e.Note == "Priority: Normal → Urgent; Location: (none) → “By the door”");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Merged && e.Note == $"#{story.Second.Ticket.Id} merged in");
        Assert.Contains(story.Second.Events, e => e.Kind == TicketEventKind.Merged && e.Note == $"Merged into #{story.First.Ticket.Id} ({story.AreaName})");
        Assert.Contains(story.First.Events, e => e.Kind == TicketEventKind.Confirmed && e.Note == "Rated 4/5: Thanks a lot" && e.ActorName == "Reporter");

        var corrected = Assert.Single(await data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Corrected);
        Assert.Equal("优先级：普通 → 紧急；具体位置：（无） → “By the door”", corrected.Body);
    }

    private static void Ok<T>(DispatchBoard.Web.ServiceResult<T> result) => Assert.True(result.IsOk, result.Describe());

    private sealed record Story(TicketDetail First, TicketDetail Second, string LeadName, string AreaName);

    /// <summary>
    /// A report, a "me too", the dispatcher's assignment and correction, a duplicate merged in, the fix and the
    /// reporter's rating: each made from a request in <paramref name="requestLanguage"/>.
    /// </summary>
    private static async Task<Story> PlayAsync(TestData data, CultureInfo requestLanguage)
    {
        var dispatcher = await data.ActorAsync("dispatcher");
        var lead = await data.ActorAsync("staff1");
        using (AppLanguages.Use(requestLanguage))
        {
            var intake = data.Get<TicketIntake>();
            var first = (await intake.ReportAsync(new ReportTicket("B201", "DoorsWindows", "Sash off its track", false, null, null), TicketChannel.Web, null)).Value!;
            Ok(await data.Get<TicketMeToo>().AddAsync(new MeTooRequest(first.Id, "B201", "DoorsWindows", "Mr. Xu", null), TicketChannel.Web, null));
            var changes = data.Get<TicketChanges>();
            Ok(await changes.AssignAsync(first.Id, lead.StaffId!.Value, dispatcher));
            Ok(await data.Get<TicketTriage>().CorrectAsync(first.Id, new CorrectTicket(Priority: "Urgent", LocationDetail: "By the door"), dispatcher));
            var second = (await intake.ReportAsync(new ReportTicket("B201", "DoorsWindows", "The window will not shut", false, "Ms. Zhou", null), TicketChannel.Web, null)).Value!;
            Ok(await data.Get<TicketMerges>().MergeAsync(second.Id, first.Id, dispatcher));
            Ok(await changes.MoveAsync(first.Id, TicketStatus.OnSite, null, lead));
            Ok(await changes.MoveAsync(first.Id, TicketStatus.Resolved, "Sash refitted", lead));
            Ok(await intake.ConfirmAsync(first.TrackingCode, 4, "Thanks a lot"));

            var queries = data.Get<TicketQueries>();
            var areaName = await data.QueryAsync(db => db.Areas.Where(a => a.Code == "B201").Select(a => a.Name).SingleAsync());
            return new Story((await queries.GetDetailAsync(first.Id))!, (await queries.GetDetailAsync(second.Id))!, lead.Name, areaName);
        }
    }
}
