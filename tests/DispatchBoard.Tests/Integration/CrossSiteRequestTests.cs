using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DispatchBoard.Tests.Integration;

/// <summary>
/// A signed-in person's browser changes nothing because a page of another site (or another host of the same site, which
/// SameSite=Lax lets the cookie reach) asked it to; scripts without browser headers, and the public report form, still work.
/// </summary>
public sealed class CrossSiteRequestTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<int> NewTicketAsync()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/tickets",
            new { areaCode = "B101", category = "Furniture", description = "Cross-site test: a wobbly stool", urgent = false });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static HttpRequestMessage Claim(int ticketId, string? site = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{ticketId}/claim");
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return request;
    }

    [Theory]
    [InlineData("same-site", null)]
    [InlineData("cross-site", null)]
    [InlineData(null, "https://clubs.school.example")]
    [InlineData(null, "null")]
    public async Task AClaimAskedForByAnotherSitesPage_IsRefused_AndTheTicketStaysNew(string? site, string? origin)
    {
        var ticketId = await NewTicketAsync();
        var staff = await factory.SignedInAsync("staff1");

        var response = await staff.SendAsync(Claim(ticketId, site, origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("from another site", await response.Content.ReadAsStringAsync());
        var ticket = await staff.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal("New", ticket.GetProperty("ticket").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData(null, "http://localhost")]
    [InlineData(null, null)]
    public async Task AClaimFromTheAppsOwnPages_OrAScript_Works(string? site, string? origin)
    {
        var ticketId = await NewTicketAsync();
        var staff = await factory.SignedInAsync("staff1");

        var response = await staff.SendAsync(Claim(ticketId, site, origin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnAreaImportPostedFromAnotherHostOfTheSchool_IsRefused()
    {
        var admin = await factory.SignedInAsync("admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/areas/import")
        {
            Content = new StringContent("code,name,parentCode,kind,ownerEmail,backupEmail\nX1,Evil room,TA,Classroom,,", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-site");

        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheHub_RefusesAForeignOrigin()
    {
        var staff = await factory.SignedInAsync("staff1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/dispatch/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await staff.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ThePublicReportForm_CanBePostedFromAnywhere_NobodyIsSignedIn()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets")
        {
            Content = JsonContent.Create(new { areaCode = "B101", category = "Furniture", description = "Reported from the school website", urgent = false }),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await factory.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
