using System.Text;
namespace DispatchBoard.Tests.Integration.Contract;

public sealed class ScratchAdminDumpTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task ScratchAdminDump()
    {
        using var admin = await factory.SignedInAsync("admin");
        var sb = new StringBuilder();
        var r = await admin.PostAsync("/api/admin/users", new StringContent("{}", Encoding.UTF8, "text/plain"));
        sb.AppendLine($"text/plain users: {(int)r.StatusCode} {r.Content.Headers.ContentType} {await r.Content.ReadAsStringAsync()}");
        r = await admin.PostAsync("/api/admin/users", new ByteArrayContent([]));
        sb.AppendLine($"no type users: {(int)r.StatusCode} {r.Content.Headers.ContentType} {await r.Content.ReadAsStringAsync()}");
        r = await admin.GetAsync("/api/areas/NOPE/qr.svg");
        sb.AppendLine($"qr: {(int)r.StatusCode} {r.Content.Headers.ContentType} {await r.Content.ReadAsStringAsync()}");
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/admin/calendar/import") { Content = new StringContent("Name,Kind,From,To\nX,Closure,2031-02-30,\n", Encoding.UTF8, "text/csv") };
        req.Headers.Add("X-Requested-With", "x");
        r = await admin.SendAsync(req);
        sb.AppendLine($"cal: {(int)r.StatusCode} {r.Content.Headers.ContentType} {await r.Content.ReadAsStringAsync()}");
        req = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import") { Content = new StringContent("code\n", Encoding.UTF8, "text/csv") };
        r = await admin.SendAsync(req);
        sb.AppendLine($"area: {(int)r.StatusCode} {r.Content.Headers.ContentType} {await r.Content.ReadAsStringAsync()}");
        await File.WriteAllTextAsync("/tmp/i16/admin/probe.txt", sb.ToString());
    }
}
