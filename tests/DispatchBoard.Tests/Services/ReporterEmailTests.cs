using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.ReporterMail;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using netDumbster.smtp;

namespace DispatchBoard.Tests.Services;

/// <summary>The reporter hears back by e-mail at each step (SMTP sink: netDumbster), once per step and address.</summary>
public sealed partial class ReporterEmailTests : IAsyncLifetime
{
    private const string Site = "https://dispatch.school.example";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private SimpleSmtpServer? _smtp;
    private int _port;
    private TestData _data = default!;

    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private ReporterMailDelivery Delivery => _data.Get<ReporterMailDelivery>();
    private ReporterMailStops Stops => _data.Get<ReporterMailStops>();

    public async Task InitializeAsync()
    {
        _port = FreePort();
        _smtp = SimpleSmtpServer.Start(_port);
        _data = await TestData.CreateAsync(now: Now, settings: Smtp(_port));
    }

    public async Task DisposeAsync()
    {
        await _data.DisposeAsync();
        _smtp?.Dispose();
    }

    private static Dictionary<string, string?> Smtp(int port) => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:From"] = "DispatchBoard <dispatch@school.example>",
        ["School:PublicBaseUrl"] = Site,
    };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // The sink keeps SMTP's dot-stuffing (a line starting with "." is sent as ".."): undone here, as a mail server does.
    private List<MimeMessage> Mails() => _smtp!.ReceivedEmail
        .Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data.Replace("\r\n..", "\r\n.", StringComparison.Ordinal))))).ToList();

    private static string To(MimeMessage m) => m.To.Mailboxes.Single().Address;

    private async Task<ReportedTicket> ReportAsync(string? contact, string area = "A204", string? name = "Ms. Zhao", TestData? data = null)
    {
        var reported = await (data ?? _data).Get<TicketIntake>().ReportAsync(
            new ReportTicket(area, "Lighting", "Back row lights flicker", false, name, contact), TicketChannel.Web, null);
        Assert.True(reported.IsOk, reported.Describe());
        return reported.Value!;
    }

    /// <summary>Sends what is due twice at once and once more: whatever runs the sender, each message goes once.</summary>
    private async Task SendAsync()
    {
        await Task.WhenAll(Delivery.SendDueAsync(CancellationToken.None), Delivery.SendDueAsync(CancellationToken.None));
        await Delivery.SendDueAsync(CancellationToken.None);
    }

    private async Task<TicketReport> MeTooAsync(int ticketId, string contact)
    {
        var report = new TicketReport
        {
            TicketId = ticketId, TrackingCode = TrackingCode.New(), ReporterName = "Mr. Sun", ReporterContact = contact,
            ReporterEmail = ReporterEmailAddress.From(contact), Channel = TicketChannel.Web, ReportedAt = Now,
        };
        await _data.QueryAsync(async db =>
        {
            db.TicketReports.Add(report);
            return await db.SaveChangesAsync();
        });
        return report;
    }

    private async Task MergeAsync(int duplicateId, int survivorId)
    {
        // The dispatcher's real merge (a two-ticket change): its "joined with another" e-mail is staged like any step's.
        var merged = await _data.Get<TicketMerges>().MergeAsync(duplicateId, survivorId, await _data.ActorAsync("dispatcher"));
        Assert.True(merged.IsOk, merged.Describe());
    }

    [Fact]
    public async Task AReportMadeOnAChinesePage_IsAnsweredInChinese_WhileAnEnglishMeTooOnTheSameTicketIsAnsweredInEnglish()
    {
        ReportedTicket ticket;
        using (DispatchBoard.Web.Languages.AppLanguages.Use(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans")))
        {
            ticket = await ReportAsync("zhao.min@school.example");
        }
        var byPhone = await _data.Get<TicketIntake>().ReportAsync(new ReportTicket("A204", "Lighting", "Told on the phone", false, "Mr. Qian", "qian@school.example"),
            TicketChannel.Phone, await _data.ActorAsync("dispatcher"));
        await MeTooAsync(ticket.Id, "sun.wei@school.example");
        var wang = await _data.ActorAsync("staff1");

        await Changes.ClaimAsync(ticket.Id, wang);
        await SendAsync();

        var cultures = await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == ticket.Id || t.Id == byPhone.Value!.Id).ToDictionaryAsync(t => t.Id, t => t.ReporterCulture));
        Assert.Equal("zh-Hans", cultures[ticket.Id]);
        Assert.Null(cultures[byPhone.Value!.Id]); // taken down by the office: the school's language
        var mails = Mails();
        var zhao = mails.Single(m => To(m) == "zhao.min@school.example");
        Assert.Equal("维修人员已接下你的报修：Teaching Building A › Floor 2 › Room 204的照明与电气", zhao.Subject);
        Assert.StartsWith("Ms. Zhao，你好：", zhao.TextBody);
        Assert.Contains("维修人员已接单，会前来维修。", zhao.TextBody);
        Assert.Contains($"查看报修进度：{Site}/track/{ticket.TrackingCode}", zhao.TextBody);
        Assert.Contains("不再接收这条报修的邮件：", zhao.TextBody);
        Assert.DoesNotContain("Hello", zhao.TextBody);
        var sun = mails.Single(m => To(m) == "sun.wei@school.example");
        Assert.StartsWith("A caretaker has taken your report: Lighting & electrical in ", sun.Subject);
        Assert.Contains("Stop e-mails for this report: ", sun.TextBody);
    }

    [Fact]
    public async Task Intake_KeepsAnEmailContactAsTheReporterEmail_ButNeverAPhoneNumber()
    {
        var email = await ReportAsync("zhao.min@school.example");
        var phone = await ReportAsync("138 0013 8000");

        var stored = await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == email.Id || t.Id == phone.Id)
            .ToDictionaryAsync(t => t.Id, t => t.ReporterEmail));
        Assert.Equal("zhao.min@school.example", stored[email.Id]);
        Assert.Null(stored[phone.Id]);
    }

    [Fact]
    public async Task EveryStep_IsEmailedExactlyOnce_NamingAreaCategoryAndStep_WithTheStopLinkAndOneClickHeaders()
    {
        var ticket = await ReportAsync("zhao.min@school.example");
        var wang = await _data.ActorAsync("staff1");

        await Changes.ClaimAsync(ticket.Id, wang);
        await SendAsync();
        await Changes.MoveAsync(ticket.Id, TicketStatus.OnSite, null, wang);
        await SendAsync();
        await Changes.MoveAsync(ticket.Id, TicketStatus.Resolved, "Replaced the starter in the back row", wang);
        await SendAsync();

        var mails = Mails();
        Assert.Equal(3, mails.Count);
        Assert.All(mails, m => Assert.Equal("zhao.min@school.example", To(m)));
        Assert.All(mails, m => Assert.Equal("dispatch@school.example", m.From.Mailboxes.Single().Address));
        // The sink keeps them in no particular order: each step is found by its subject, once.
        var claimed = Assert.Single(mails, m => (m.Subject ?? "").StartsWith("A caretaker has taken your report: Lighting", StringComparison.Ordinal));
        var onSite = Assert.Single(mails, m => (m.Subject ?? "").StartsWith("A caretaker is on site", StringComparison.Ordinal));
        var resolved = Assert.Single(mails, m => (m.Subject ?? "").StartsWith("Fixed:", StringComparison.Ordinal));
        Assert.Contains("Room 204", claimed.Subject);
        Assert.Contains("Hello Ms. Zhao", claimed.TextBody);
        Assert.Contains("What was done: Replaced the starter in the back row", resolved.TextBody);
        Assert.Contains($"Is it fixed? Confirm it here (and rate the repair): {Site}/track/{ticket.TrackingCode}", resolved.TextBody);
        Assert.Contains($"Still broken? Send it back from the same page: {Site}/track/{ticket.TrackingCode}", resolved.TextBody);
        // No staff names or contact details reach the reporter.
        Assert.All(mails, m => Assert.DoesNotContain("Wang", m.TextBody + m.Subject));
        Assert.All(mails, m =>
        {
            Assert.Matches($"Stop e-mails for this report: {Regex.Escape(Site)}/track/{ticket.TrackingCode}/stop-emails\\?t=\\S+", m.TextBody);
            Assert.Matches($"^<{Regex.Escape(Site)}/track/{ticket.TrackingCode}/stop-emails/one-click\\?t=\\S+>$", m.Headers["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", m.Headers["List-Unsubscribe-Post"]);
        });
        var rows = await _data.QueryAsync(db => db.ReporterMessages.ToListAsync());
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(ReporterMessageStatus.Sent, r.Status));
    }

    [Fact]
    public async Task PrincipalsDecision_IsEmailedWithThePublicReason()
    {
        var ticket = await ReportAsync("zhao.min@school.example", "B201");
        var li = await _data.ActorAsync("staff2");
        await Changes.ClaimAsync(ticket.Id, li);
        await Changes.MoveAsync(ticket.Id, TicketStatus.OnSite, null, li);
        var escalations = _data.Get<EscalationService>();
        Assert.True((await escalations.EscalateAsync(ticket.Id, "Purchase", "Needs a new frame: about 600 yuan", li)).IsOk);
        var escalationId = (await escalations.InboxAsync()).Single(i => i.Ticket.Ticket.Id == ticket.Id).Escalation.Id;

        var decided = await escalations.DecideAsync(escalationId, "Rejected", "The building is renovated next summer.", null, await _data.ActorAsync("principal"));
        await SendAsync();

        Assert.True(decided.IsOk, decided.Describe());
        var mails = Mails();
        Assert.Equal(3, mails.Count); // claimed, on site, decision: escalating itself is not a step the reporter is written about
        var decision = Assert.Single(mails, m => (m.Subject ?? "").StartsWith("The principal's office did not approve the work", StringComparison.Ordinal));
        Assert.Contains("The office's words: The building is renovated next summer.", decision.TextBody);
        Assert.DoesNotContain("600 yuan", decision.TextBody);
    }

    [Fact]
    public async Task MeTooAndMergedReporters_HearEveryStepOfTheSurvivor_EachAddressOnce_AndTheMergedOnesHearOfTheMerge()
    {
        var survivor = await ReportAsync("zhao.min@school.example");
        var duplicate = await ReportAsync("qian.li@school.example", name: "Ms. Qian");
        await MeTooAsync(survivor.Id, "sun.wei@school.example");
        await MeTooAsync(survivor.Id, "ZHAO.MIN@school.example"); // the first reporter again, by another form
        await MeTooAsync(duplicate.Id, "zhou.jie@school.example");
        await MeTooAsync(duplicate.Id, "extension 2041");

        await MergeAsync(duplicate.Id, survivor.Id);
        await SendAsync();

        var merged = Mails().Where(m => (m.Subject ?? "").StartsWith("Your report was joined with another", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, Mails().Count);
        Assert.Equal(["qian.li@school.example", "zhou.jie@school.example"], merged.Select(To).Order());
        Assert.All(merged, m => Assert.StartsWith("Your report was joined with another", m.Subject));
        // Their own pages follow the survivor; its code (with confirm and reopen) is not handed to them.
        Assert.Contains($"follows it from now on: {Site}/track/{duplicate.TrackingCode}", merged.Single(m => To(m) == "qian.li@school.example").TextBody);
        Assert.All(merged, m => Assert.DoesNotContain(survivor.TrackingCode, m.TextBody));

        await Changes.ClaimAsync(survivor.Id, await _data.ActorAsync("staff1"));
        await SendAsync();

        Assert.Equal(6, Mails().Count);
        var claimed = Mails().Where(m => !(m.Subject ?? "").StartsWith("Your report was joined with another", StringComparison.Ordinal)).ToList();
        Assert.Equal(["qian.li@school.example", "sun.wei@school.example", "zhao.min@school.example", "zhou.jie@school.example"],
            claimed.Select(m => To(m).ToLowerInvariant()).Order());
        Assert.All(claimed, m => Assert.StartsWith("A caretaker has taken your report", m.Subject));
        // Each stop link names the recipient's own report (their ticket or their "me too").
        var qian = claimed.Single(m => To(m) == "qian.li@school.example");
        Assert.Contains($"/track/{duplicate.TrackingCode}/stop-emails?t=", qian.TextBody);
        Assert.Contains($"Follow your report: {Site}/track/{duplicate.TrackingCode}", qian.TextBody);
        Assert.DoesNotContain(survivor.TrackingCode, qian.TextBody);

        // Fixed: only the survivor's own reporter is asked to confirm, on the survivor's page.
        var wang = await _data.ActorAsync("staff1");
        await Changes.MoveAsync(survivor.Id, TicketStatus.OnSite, null, wang);
        await Changes.MoveAsync(survivor.Id, TicketStatus.Resolved, "New tube fitted.", wang);
        await SendAsync();
        var fixedMails = Mails().Where(m => (m.Subject ?? "").StartsWith("Fixed:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, fixedMails.Count);
        Assert.Contains($"Confirm it here (and rate the repair): {Site}/track/{survivor.TrackingCode}",
            fixedMails.Single(m => To(m).Equals("zhao.min@school.example", StringComparison.OrdinalIgnoreCase)).TextBody);
        Assert.All(fixedMails.Where(m => !To(m).Equals("zhao.min@school.example", StringComparison.OrdinalIgnoreCase)),
            m => Assert.DoesNotContain("Confirm it here", m.TextBody));
    }

    [Fact]
    public async Task AnAssignment_IsTheTakenStep_ButAReassignmentIsNotNewsToTheReporter()
    {
        var ticket = await ReportAsync("zhao.min@school.example");
        var dispatcher = await _data.ActorAsync("dispatcher");
        var wang = await _data.ActorAsync("staff1");
        var li = await _data.ActorAsync("staff2");

        Assert.True((await Changes.AssignAsync(ticket.Id, wang.StaffId!.Value, dispatcher)).IsOk);
        Assert.True((await Changes.AssignAsync(ticket.Id, li.StaffId!.Value, dispatcher)).IsOk);
        await SendAsync();

        var mail = Assert.Single(Mails());
        Assert.StartsWith("A caretaker has taken your report", mail.Subject);
    }

    [Fact]
    public async Task NothingIsSentToAPhoneNumberContact()
    {
        var ticket = await ReportAsync("13800138000");

        await Changes.ClaimAsync(ticket.Id, await _data.ActorAsync("staff1"));
        await SendAsync();

        Assert.Equal(0, _smtp!.ReceivedEmailCount);
        Assert.Empty(await _data.QueryAsync(db => db.ReporterMessages.ToListAsync()));
    }

    [Fact]
    public async Task WithoutSmtp_NothingIsStagedOrSent()
    {
        await using var noSmtp = await TestData.CreateAsync(now: Now);
        var ticket = await ReportAsync("zhao.min@school.example", data: noSmtp);

        var claimed = await noSmtp.Get<TicketChanges>().ClaimAsync(ticket.Id, await noSmtp.ActorAsync("staff1"));
        await noSmtp.Get<ReporterMailDelivery>().SendDueAsync(CancellationToken.None);

        Assert.True(claimed.IsOk);
        Assert.Empty(await noSmtp.QueryAsync(db => db.ReporterMessages.ToListAsync()));
        Assert.Equal(0, _smtp!.ReceivedEmailCount);
    }

    [Fact]
    public async Task AfterStop_NothingMoreIsSentToThatAddressForThatReport_AndATamperedTokenIsRefused()
    {
        var ticket = await ReportAsync("zhao.min@school.example");
        var other = await ReportAsync("zhao.min@school.example", "B201");
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(ticket.Id, wang);
        await SendAsync();
        var token = StopToken(Assert.Single(Mails()).TextBody!);

        var tampered = await Stops.StopAsync(ticket.TrackingCode, token[..^3] + (token.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA"));
        var anotherReport = await Stops.StopAsync(other.TrackingCode, token);
        Assert.Equal(ResultKind.Invalid, tampered.Kind);
        Assert.Equal(ReporterMailStops.BadLink, tampered.Errors["t"].Single());
        Assert.Equal(ResultKind.Invalid, anotherReport.Kind);
        Assert.False(await _data.QueryAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ReporterEmailsStopped).SingleAsync()));

        var stopped = await Stops.StopAsync(ticket.TrackingCode, token);
        var again = await Stops.StopAsync(ticket.TrackingCode, token);
        await Changes.MoveAsync(ticket.Id, TicketStatus.OnSite, null, wang);
        await Changes.ClaimAsync(other.Id, wang);
        await SendAsync();

        Assert.True(stopped.IsOk, stopped.Describe());
        Assert.True(again.IsOk);
        Assert.True(again.Value!.AlreadyStopped);
        var mails = Mails();
        Assert.Equal(2, mails.Count); // the first claim, and the other report's claim: its e-mails are not stopped
        Assert.Single(mails, m => (m.TextBody ?? "").Contains(other.TrackingCode, StringComparison.Ordinal));
        Assert.DoesNotContain(await _data.QueryAsync(db => db.ReporterMessages.ToListAsync()), m => m.TicketId == ticket.Id && m.Step == ReporterStep.OnSite);
    }

    [Fact]
    public async Task AStopWhileAMessageWaits_DropsIt_AndAMeTooCanStopItsOwn()
    {
        var ticket = await ReportAsync("zhao.min@school.example");
        var meToo = await MeTooAsync(ticket.Id, "sun.wei@school.example");
        await Changes.ClaimAsync(ticket.Id, await _data.ActorAsync("staff1"));
        var waiting = await _data.QueryAsync(db => db.ReporterMessages.SingleAsync(m => m.RecipientReportId == meToo.Id));

        var stopped = await Stops.StopAsync(meToo.TrackingCode, Stops.Token(waiting));
        await SendAsync();

        Assert.True(stopped.IsOk, stopped.Describe());
        Assert.Equal(["zhao.min@school.example"], Mails().Select(To));
        Assert.True(await _data.QueryAsync(db => db.TicketReports.Where(r => r.Id == meToo.Id).Select(r => r.ReporterEmailsStopped).SingleAsync()));
    }

    [Fact]
    public async Task SmtpOutage_TheTicketChangeGoesAhead_AndTheEmailIsRetriedLater_Once()
    {
        // A server that is not there yet: the port is free until the "outage" ends.
        var port = FreePort();
        await using var data = await TestData.CreateAsync(now: Now, settings: Smtp(port));
        var ticket = await ReportAsync("zhao.min@school.example", data: data);
        var delivery = data.Get<ReporterMailDelivery>();

        var claimed = await data.Get<TicketChanges>().ClaimAsync(ticket.Id, await data.ActorAsync("staff1"));
        var sentDuringOutage = await delivery.SendDueAsync(CancellationToken.None);

        Assert.True(claimed.IsOk, claimed.Describe());
        Assert.Equal(TicketStatus.Claimed, claimed.Value!.Status);
        Assert.Equal(0, sentDuringOutage);
        var waiting = await data.QueryAsync(db => db.ReporterMessages.SingleAsync());
        Assert.Equal(ReporterMessageStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.Equal(Now + ReporterMailDelivery.Backoff[0], waiting.NextAttemptAt);
        Assert.False(string.IsNullOrEmpty(waiting.LastError));

        using var smtp = SimpleSmtpServer.Start(port);
        Assert.Equal(0, await delivery.SendDueAsync(CancellationToken.None)); // not due yet
        data.Time.Advance(ReporterMailDelivery.Backoff[0]);
        await Task.WhenAll(delivery.SendDueAsync(CancellationToken.None), data.Get<ReporterMailSweep>().RunAsync(CancellationToken.None));
        await delivery.SendDueAsync(CancellationToken.None);

        Assert.Equal(1, smtp.ReceivedEmailCount);
        var sent = await data.QueryAsync(db => db.ReporterMessages.SingleAsync());
        Assert.Equal(ReporterMessageStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
    }

    [Fact]
    public async Task SmtpOutage_GivesUpAfterTheLastRetry()
    {
        var port = FreePort();
        await using var data = await TestData.CreateAsync(now: Now, settings: Smtp(port));
        var ticket = await ReportAsync("zhao.min@school.example", data: data);
        await data.Get<TicketChanges>().ClaimAsync(ticket.Id, await data.ActorAsync("staff1"));
        var delivery = data.Get<ReporterMailDelivery>();

        await delivery.SendDueAsync(CancellationToken.None);
        foreach (var wait in ReporterMailDelivery.Backoff)
        {
            data.Time.Advance(wait);
            await delivery.SendDueAsync(CancellationToken.None);
        }

        var failed = await data.QueryAsync(db => db.ReporterMessages.SingleAsync());
        Assert.Equal(ReporterMessageStatus.Failed, failed.Status);
        Assert.Equal(ReporterMailDelivery.Backoff.Length + 1, failed.Attempts);
    }

    [Fact]
    public async Task TheSender_SendsSoonAfterTheCommit_WithoutWaitingForTheSweep()
    {
        var sender = _data.Get<ReporterMailSender>();
        await sender.StartAsync(CancellationToken.None);
        try
        {
            var ticket = await ReportAsync("zhao.min@school.example");
            await Changes.ClaimAsync(ticket.Id, await _data.ActorAsync("staff1"));

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_smtp!.ReceivedEmailCount == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.Equal(1, _smtp.ReceivedEmailCount);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    private static string StopToken(string body) =>
        Uri.UnescapeDataString(StopLink().Match(body) is { Success: true } m ? m.Groups["t"].Value : throw new Xunit.Sdk.XunitException("No stop link in:\n" + body));

    [GeneratedRegex(@"/stop-emails\?t=(?<t>\S+)")]
    private static partial Regex StopLink();
}
