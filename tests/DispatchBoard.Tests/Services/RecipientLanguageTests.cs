using System.Net;
using System.Net.Sockets;
using DispatchBoard.Testing;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Reminders;
using DispatchBoard.Web.Tickets;
using Ical.Net;
using MimeKit;
using netDumbster.smtp;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// What is sent to a person is in their language (their account's, else the school's), whoever caused it: the bell's
/// alerts, reminder e-mails and their calendar feed. Staff member Wang Lei (staff1) reads Chinese; the dispatcher and
/// the other staff have not chosen and get the school's English.
/// </summary>
public sealed class RecipientLanguageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero); // Thursday 26 Nov, 10:00 at the school

    private SimpleSmtpServer _smtp = default!;
    private TestData _data = default!;

    public async Task InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        _smtp = SimpleSmtpServer.Start(port);
        _data = await TestData.CreateAsync(now: Now, settings: new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:From"] = "DispatchBoard <dispatch@school.example>",
        });
        await _data.SetLanguageAsync("staff1", "zh-Hans");
    }

    public async Task DisposeAsync()
    {
        await _data.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task AMeetingReminder_ReachesTheChineseSpeakingStaffMemberInChinese_AndTheEnglishSpeakingDispatcherInEnglish()
    {
        // Scheduled by the English-speaking dispatcher, in an English request.
        await _data.Get<MeetingScheduler>().CreateOneOffAsync(
            new OneOffInput("Heating season check", Now.AddMinutes(50), 45, "Boiler room", "1. Radiators", ["Staff", "Dispatcher"]),
            await _data.ActorAsync("dispatcher"));

        await _data.Get<ReminderSweep>().RunAsync(CancellationToken.None);

        var mails = _smtp.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();
        var toWang = mails.Single(m => m.To.Mailboxes.Single().Address == "staff1@demo.example");
        Assert.Equal("提醒：Heating season check，11月26日 周四 10:50", toWang.Subject);
        Assert.Contains("Wang Lei，你好：", toWang.TextBody);
        Assert.Contains("时间：2026年11月26日 星期四 10:50–11:35", toWang.TextBody);
        Assert.Contains("地点：Boiler room", toWang.TextBody);
        Assert.Contains("议程：", toWang.TextBody);
        Assert.DoesNotContain("Where:", toWang.TextBody);
        var toDispatcher = mails.Single(m => m.To.Mailboxes.Single().Address == "dispatcher@demo.example");
        Assert.Equal("Reminder: Heating season check, Thu 26 Nov 10:50", toDispatcher.Subject);
        Assert.Contains("When:  Thursday 26 November 2026, 10:50–11:35", toDispatcher.TextBody);
        Assert.Contains("Where: Boiler room", toDispatcher.TextBody);
        // The invitation carries the meeting's own words, for both.
        foreach (var mail in new[] { toWang, toDispatcher })
        {
            using var ics = new MemoryStream();
            await mail.Attachments.OfType<MimePart>().Single(a => a.FileName == "invite.ics").Content!.DecodeToAsync(ics);
            Assert.Equal("Heating season check", Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(ics.ToArray()))!.Events).Summary);
        }

        var wangsBell = Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Reminder);
        Assert.Equal("Heating season check: 今天 10:50", wangsBell.Title);
        Assert.Equal("11月26日 星期四 10:50 · Boiler room", wangsBell.Body);
        var dispatchersBell = Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Reminder);
        Assert.Equal("Heating season check: today at 10:50", dispatchersBell.Title);
        Assert.Equal("Thursday 26 November, 10:50 · Boiler room", dispatchersBell.Body);
    }

    [Fact]
    public async Task AJobGiven_IsAnnouncedToEachStaffMemberInTheirLanguage_NotTheDispatchersPagesLanguage()
    {
        var reported = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("B201", "DoorsWindows", "Sash off its track", false, "Mr. Xu", null),
            TicketChannel.Web, null);
        var wang = await _data.ActorAsync("staff1");
        var li = await _data.ActorAsync("staff2");
        var dispatcher = await _data.ActorAsync("dispatcher");

        // The dispatcher's pages are in Chinese today (the header's switch on the office computer, not their account).
        using (AppLanguages.Use(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans")))
        {
            Assert.True((await _data.Get<TicketChanges>().AssignAsync(reported.Value!.Id, wang.StaffId!.Value, dispatcher)).IsOk);
            Assert.True((await _data.Get<TicketChanges>().AssignAsync(reported.Value.Id, li.StaffId!.Value, dispatcher)).IsOk);
        }

        var toWang = Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Assigned);
        Assert.StartsWith($"{dispatcher.Name}给你派了任务：", toWang.Title);
        var toLi = Assert.Single(await _data.NotificationsForAsync("staff2"), n => n.Kind == NotificationKind.Assigned);
        Assert.StartsWith($"{dispatcher.Name} gave you a job: ", toLi.Title);
        // The ticket's own history stays in English, for everyone who reads it later.
        var history = await _data.Get<TicketQueries>().GetDetailAsync(reported.Value.Id);
        Assert.Contains(history!.Events, e => e.Note == $"Reassigned from {wang.Name} to {li.Name}");
    }

    [Fact]
    public async Task TheCalendarFeed_NamesEachPersonsSafetyRoundsInTheirLanguage()
    {
        var rounds = await _data.Get<InspectionService>().CreateWeekAsync("30 7 * * MON");
        Assert.True(rounds > 0);
        var feed = _data.Get<CalendarFeed>();
        var wang = await _data.ActorAsync("staff1");

        var chinese = await feed.FeedAsync(await feed.TokenAsync(wang.UserId, regenerate: false));
        var english = await feed.FeedAsync(await feed.TokenAsync((await _data.ActorAsync("staff2")).UserId, regenerate: false));

        var wangsRounds = Calendar.Load(chinese!)!.Events.Where(e => e.Uid!.StartsWith("round-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(wangsRounds);
        Assert.All(wangsRounds, e => Assert.StartsWith("安全巡检：", e.Summary));
        Assert.All(wangsRounds, e => Assert.StartsWith("打开检查清单：", e.Description));
        var lisRounds = Calendar.Load(english!)!.Events.Where(e => e.Uid!.StartsWith("round-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lisRounds);
        Assert.All(lisRounds, e => Assert.StartsWith("Safety round: ", e.Summary));
    }

    [Fact]
    public async Task AnAlertSentFromAChineseRequest_ToSomeoneWhoHasNotChosen_IsInTheSchoolsLanguage()
    {
        var li = await _data.ActorAsync("staff2");
        var wang = await _data.ActorAsync("staff1");
        var text = ReaderText.Write(() => TicketsText.L["Not fixed yet: {0}", "B201"]);

        using (AppLanguages.Use(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans")))
        {
            await _data.Get<NotificationService>().SendAsync(
                [new NewNotification(li.UserId, NotificationKind.Reopened, text, null, null, "/my", "t:li"),
                 new NewNotification(wang.UserId, NotificationKind.Reopened, text, "as typed", null, "/my", "t:wang")]);
        }

        Assert.Equal("Not fixed yet: B201", Assert.Single(await _data.NotificationsForAsync("staff2")).Title);
        var toWang = Assert.Single(await _data.NotificationsForAsync("staff1"));
        Assert.Equal("还没修好：B201", toWang.Title);
        Assert.Equal("as typed", toWang.Body);
    }
}
