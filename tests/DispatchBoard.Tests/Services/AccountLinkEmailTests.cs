using System.Net;
using System.Net.Sockets;
using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Languages;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using netDumbster.smtp;

namespace DispatchBoard.Tests.Services;

/// <summary>With SMTP configured, a password link goes to the person's inbox and is shown to no one.</summary>
public sealed class AccountLinkEmailTests : IAsyncLifetime
{
    private SimpleSmtpServer _smtp = default!;
    private TestData _data = default!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _smtp = SimpleSmtpServer.Start(port);
        _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
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
    public async Task ResetLink_IsEmailedToThePerson_NotShown_AndTheMailedLinkWorks()
    {
        var staff = await _data.ActorAsync("staff3");

        var made = await _data.Get<AccountLinks>().MakeResetLinkAsync(staff.UserId, await _data.ActorAsync("admin"));

        Assert.True(made.IsOk, made.Describe());
        Assert.True(made.Value!.Emailed);
        Assert.Null(made.Value.Url);
        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Assert.Single(_smtp.ReceivedEmail).Data)));
        Assert.Equal("staff3@demo.example", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Reset your DispatchBoard password", mail.Subject);
        Assert.Contains("The link works once, until 25 Nov 2026 at 10:00.", mail.TextBody);
        var url = (mail.TextBody ?? "").Split('\n').Select(l => l.Trim()).Single(l => l.Contains(AccountLinks.PagePath, StringComparison.Ordinal));
        var token = Uri.UnescapeDataString(new Uri(url).Query.TrimStart('?').Split('=', 2)[1]);
        var set = await _data.Get<AccountLinks>().SetPasswordAsync(new SetPasswordRequest(token, "Mailed-Link-2027", "Mailed-Link-2027"), null);
        Assert.True(set.IsOk, set.Describe());
        var audit = await _data.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Kind == DispatchBoard.Web.Audit.AuditKind.PasswordLinkMade).SingleAsync());
        Assert.EndsWith("e-mailed to the person", audit.Details);
    }

    [Fact]
    public async Task ResetLink_ForAChineseSpeakingPerson_IsInChinese_ThoughTheAdministratorReadsEnglish()
    {
        await _data.SetLanguageAsync("staff3", "zh-Hans");
        var staff = await _data.ActorAsync("staff3");

        using (AppLanguages.Use(System.Globalization.CultureInfo.GetCultureInfo("en")))
        {
            var made = await _data.Get<AccountLinks>().MakeResetLinkAsync(staff.UserId, await _data.ActorAsync("admin"));
            Assert.True(made.IsOk, made.Describe());
        }

        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Assert.Single(_smtp.ReceivedEmail).Data)));
        Assert.Equal("重设您的 DispatchBoard 密码", mail.Subject);
        Assert.Contains("此链接只能使用一次，有效期至 2026年11月25日 10:00。", mail.TextBody);
        Assert.Contains("如果您没有预料到这封邮件，请告知办公室。", mail.TextBody);
        Assert.DoesNotContain("The link works once", mail.TextBody);
    }
}
