using System.Net;
using System.Net.Http.Json;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.ReporterMail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>The RFC 8058 one-click stop, as a mail program sends it: a form POST, no cookie, no X-Requested-With.</summary>
public sealed class ReporterMailStopTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<(int Id, string Code, string Token)> ReportWithEmailAsync()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets",
            new { areaCode = "A204", category = "Lighting", description = "One-click stop test", reporterContact = "zhao.min@school.example" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = (await response.Content.ReadFromJsonAsync<Reported>())!;
        var token = factory.Services.GetRequiredService<ReporterMailStops>().Token(new ReporterMessage
        {
            RecipientTicketId = ticket.Id, RecipientCode = ticket.TrackingCode, ToAddress = "zhao.min@school.example", Subject = "", Body = "",
        });
        return (ticket.Id, ticket.TrackingCode, token);
    }

    private async Task<bool> StoppedAsync(int id)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        return await db.Tickets.Where(t => t.Id == id).Select(t => t.ReporterEmailsStopped).SingleAsync();
    }

    private static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);

    [Fact]
    public async Task OneClickPost_StopsTheEmails_WithoutAnyHeaderAMailProgramCannotSend()
    {
        var (id, code, token) = await ReportWithEmailAsync();

        var response = await factory.Anonymous().PostAsync($"/track/{code}/stop-emails/one-click?t={Uri.EscapeDataString(token)}", OneClick());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await StoppedAsync(id));
    }

    [Fact]
    public async Task OneClickPost_WithATamperedToken_Is400AndChangesNothing_AndAGetOnlyShowsThePage()
    {
        var (id, code, token) = await ReportWithEmailAsync();
        var tampered = token[..^2] + (token.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");

        var refused = await factory.Anonymous().PostAsync($"/track/{code}/stop-emails/one-click?t={Uri.EscapeDataString(tampered)}", OneClick());
        var opened = await factory.Anonymous().GetAsync($"/track/{code}/stop-emails/one-click?t={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(ReporterMailStops.BadLink, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/track/{code}/stop-emails?t={Uri.EscapeDataString(token)}", opened.Headers.Location!.OriginalString);
        Assert.False(await StoppedAsync(id));
    }

    private sealed record Reported(int Id, string TrackingCode);
}
