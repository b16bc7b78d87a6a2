using System.Net;
using System.Net.Sockets;
using DispatchBoard.Testing;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Reminders;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using netDumbster.smtp;

namespace DispatchBoard.Tests.Services;

public sealed class ReminderEmailTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

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
    }

    public async Task DisposeAsync()
    {
        await _data.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task MeetingReminder_IsEmailedOncePerAttendee_WithSubjectBodyAndAValidInvitation()
    {
        var meeting = await _data.Get<MeetingScheduler>().CreateOneOffAsync(
            new OneOffInput("Heating season check", Now.AddMinutes(50), 45, "Boiler room", "1. Radiators\n2. Boiler service", ["Staff"]),
            await _data.ActorAsync("dispatcher"));
        var sweep = _data.Get<ReminderSweep>();

        await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));
        await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(4, _smtp.ReceivedEmailCount);
        var mails = _smtp.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();
        Assert.Equal(["staff1@demo.example", "staff2@demo.example", "staff3@demo.example", "staff4@demo.example"],
            mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        var toWang = mails.Single(m => m.To.Mailboxes.Single().Address == "staff1@demo.example");
        Assert.Equal("Reminder: Heating season check, Thu 26 Nov 10:50", toWang.Subject);
        Assert.Equal("dispatch@school.example", toWang.From.Mailboxes.Single().Address);
        Assert.Contains("Hello Wang Lei", toWang.TextBody);
        Assert.Contains("Where: Boiler room", toWang.TextBody);
        Assert.Contains("2. Boiler service", toWang.TextBody);
        var invite = toWang.Attachments.OfType<MimePart>().Single(a => a.FileName == "invite.ics");
        Assert.Equal("text/calendar", invite.ContentType.MimeType);
        using var ics = new MemoryStream();
        await invite.Content!.DecodeToAsync(ics);
        var calendar = Calendar.Load(System.Text.Encoding.UTF8.GetString(ics.ToArray()))!;
        var vevent = Assert.Single(calendar.Events);
        Assert.Equal("Heating season check", vevent.Summary);
        Assert.Equal("Boiler room", vevent.Location);
        Assert.Equal(Now.AddMinutes(50).UtcDateTime, vevent.DtStart!.AsUtc);
        Assert.Equal(Now.AddMinutes(95).UtcDateTime, vevent.DtEnd!.AsUtc);
        Assert.Equal($"meeting-{meeting.Value!.Id}@dispatchboard", vevent.Uid);

        var reminders = await _data.QueryAsync(db => db.Reminders.ToListAsync());
        Assert.Equal(4, reminders.Count);
        Assert.All(reminders, r => Assert.NotNull(r.EmailedAt));
        Assert.Single(await _data.NotificationsForAsync("staff1"), n => n.Kind == NotificationKind.Reminder);
    }

    [Fact]
    public async Task SmtpDown_TheReminderStillReachesTheBell_AndTheErrorIsKept()
    {
        _smtp.Stop();
        await _data.Get<MeetingScheduler>().CreateOneOffAsync(new OneOffInput("Quick huddle", Now.AddMinutes(30), 15, "Office", null, ["Dispatcher"]),
            await _data.ActorAsync("dispatcher"));

        await _data.Get<ReminderSweep>().RunAsync(CancellationToken.None);

        var reminder = Assert.Single(await _data.QueryAsync(db => db.Reminders.ToListAsync()));
        Assert.Null(reminder.EmailedAt);
        Assert.False(string.IsNullOrEmpty(reminder.EmailError));
        Assert.Single(await _data.NotificationsForAsync("dispatcher"), n => n.Kind == NotificationKind.Reminder);
    }

    [Theory]
    [InlineData(SmtpSecurity.Auto, 587, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.Auto, 25, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.Auto, 465, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.StartTls, 587, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.None, 25, MailKit.Security.SecureSocketOptions.None)]
    public void Auto_NeverFallsBackToPlainText_OnlyNoneSendsUnencrypted(SmtpSecurity security, int port, MailKit.Security.SecureSocketOptions expected) =>
        Assert.Equal(expected, ReminderMailer.SocketOptions(security, port));
}
