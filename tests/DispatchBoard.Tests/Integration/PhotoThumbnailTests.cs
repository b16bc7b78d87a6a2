using System.Net;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace DispatchBoard.Tests.Integration;

/// <summary>Thumbnails for cards and lists: the same rights as the photo, private and not sniffed.</summary>
public sealed class PhotoThumbnailTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    private async Task<(int PhotoId, string Code)> ReportWithPhotoAsync()
    {
        var result = await factory.Services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A102", "Furniture", "Wobbly table", false, null, null, Photos: [new PhotoUpload("table.jpg", TestImages.Jpeg(1200, 900))]),
            TicketChannel.Web, null, "198.51.100.20");
        Assert.True(result.IsOk, result.Describe());
        var detail = (await factory.Services.GetRequiredService<TicketQueries>().GetDetailAsync(result.Value!.Id))!;
        var photo = detail.Photos.Single();
        Assert.Equal($"/photos/{photo.Id}/thumb", photo.ThumbnailUrl);
        return (photo.Id, result.Value.TrackingCode);
    }

    private static async Task<(int Width, int Height)> SizeOfAsync(HttpResponseMessage response)
    {
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        return (bitmap.Width, bitmap.Height);
    }

    [Fact]
    public async Task Thumbnail_IsServedToStaffAndToTheTrackingCode_AndToNobodyElse()
    {
        var (id, code) = await ReportWithPhotoAsync();
        var other = await factory.Services.GetRequiredService<TicketIntake>().ReportAsync(
            new ReportTicket("A102", "Furniture", "Another", false, null, null), TicketChannel.Web, null, "198.51.100.21");

        var staff = await (await factory.SignedInAsync("staff1")).GetAsync($"/photos/{id}/thumb");
        var reporter = await factory.Anonymous().GetAsync($"/track/{code}/photos/{id}/thumb");
        var anonymous = await factory.Anonymous().GetAsync($"/photos/{id}/thumb");
        var wrongCode = await factory.Anonymous().GetAsync($"/track/{other.Value!.TrackingCode}/photos/{id}/thumb");

        foreach (var response in new[] { staff, reporter })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control was {response.Headers.CacheControl}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal((320, 240), await SizeOfAsync(response));
        }
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongCode.StatusCode);
    }

    [Fact]
    public async Task APhotoStoredBeforeThumbnails_IsItsOwnThumbnail()
    {
        var (id, _) = await ReportWithPhotoAsync();
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Photos.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ThumbnailName, (string?)null));
        }

        var response = await (await factory.SignedInAsync("staff1")).GetAsync($"/photos/{id}/thumb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1200, 900), await SizeOfAsync(response));
    }
}
