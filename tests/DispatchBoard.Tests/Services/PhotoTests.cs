using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class PhotoTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private TicketQueries Queries => _data.Get<TicketQueries>();
    private PhotoStore Store => _data.Get<PhotoStore>();
    private string PhotoFolder => Path.Combine(_data.Directory, "photos");

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private int StoredFiles() => Directory.Exists(PhotoFolder) ? Directory.GetFiles(PhotoFolder, "*", SearchOption.AllDirectories).Length : 0;

    private static ReportTicket Report(params PhotoUpload[] photos) =>
        new("A204", "Lighting", "Light cord is frayed", false, null, null, Photos: photos);

    [Fact]
    public void Probe_TellsTheTypeAndSizeFromTheBytes()
    {
        Assert.Equal(new ImageInfo("image/png", ".png", 4, 3), ImageProbe.Probe(TestImages.Png()));
        Assert.Equal(new ImageInfo("image/jpeg", ".jpg", 4032, 3024), ImageProbe.Probe(TestImages.JpegHeader(4032, 3024)));
        Assert.Equal(new ImageInfo("image/webp", ".webp", 1920, 1080), ImageProbe.Probe(TestImages.WebPHeader(1920, 1080)));
        Assert.Null(ImageProbe.Probe(TestImages.NotAnImage()));
        Assert.Null(ImageProbe.Probe("GIF89a\x01\x00\x01\x00"u8));
        Assert.Null(ImageProbe.Probe([]));
    }

    [Fact]
    public void Check_WrongContentWithARightExtension_IsRefused_NamingTheFile()
    {
        var errors = new ValidationErrors();

        Store.Check([new PhotoUpload("window.jpg", TestImages.NotAnImage())], errors);

        var message = Assert.Single(errors.ToDictionary()["photos"]);
        Assert.Contains("'window.jpg' is not a JPEG, PNG or WebP picture", message);
    }

    [Fact]
    public void Check_Oversize_TooManyPixels_AreEachRefused()
    {
        var big = new byte[Store.Options.MaxUploadBytes + 1];
        TestImages.Png().CopyTo(big, 0);
        var errors = new ValidationErrors();
        Store.Check([new PhotoUpload("big.png", big), new PhotoUpload("huge.png", TestImages.PngHeaderClaiming(20_000, 20_000))], errors);

        Assert.Contains(errors.ToDictionary()["photos"], m => m.Contains("'big.png'") && m.Contains("the limit is 5 MB"));
        Assert.Contains(errors.ToDictionary()["photos"], m => m.Contains("'huge.png' is 20000×20000 pixels"));
    }

    [Fact]
    public async Task Report_WithOneBadPhoto_StoresNothing_NotTheTicketNorTheGoodPhoto()
    {
        var before = await _data.QueryAsync(db => db.Tickets.CountAsync());

        var result = await Intake.ReportAsync(Report(new PhotoUpload("ok.png", TestImages.Png()), new PhotoUpload("fake.jpg", TestImages.NotAnImage())),
            TicketChannel.Web, null);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains("fake.jpg", result.Errors["photos"][0]);
        Assert.Equal(before, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(0, await _data.QueryAsync(db => db.Photos.CountAsync()));
        Assert.Equal(0, StoredFiles());
    }

    [Fact]
    public async Task Report_WithPhotos_StoresThemUnderServerNames_StaffSeeAll_ReporterSeesTheirOwn()
    {
        var result = await Intake.ReportAsync(Report(new PhotoUpload("../../etc/passwd.png", TestImages.Png(8, 6)),
            new PhotoUpload("IMG_0001.JPG", TestImages.Jpeg(640, 480))), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(result.Value!.Id, wang);
        await Changes.MoveAsync(result.Value.Id, TicketStatus.OnSite, null, wang);
        var resolved = await Changes.MoveAsync(result.Value.Id, TicketStatus.Resolved, "New cord", wang, photos: [new PhotoUpload("after.png", TestImages.Png())]);
        Assert.True(resolved.IsOk, resolved.Describe());

        var detail = (await Queries.GetDetailAsync(result.Value.Id))!;
        Assert.Equal([PhotoKind.Report, PhotoKind.Report, PhotoKind.Resolution], detail.Photos.Select(p => p.Kind));
        Assert.Equal((8, 6), (detail.Photos[0].Width, detail.Photos[0].Height));
        Assert.Equal(3, detail.Ticket.PhotoCount);
        Assert.Equal(6, StoredFiles()); // each with its thumbnail
        var names = await _data.QueryAsync(db => db.Photos.Select(p => p.StoredName).ToListAsync());
        Assert.All(names, n => Assert.Matches("^[0-9]{4}-[0-9]{2}/[0-9a-f]{32}\\.jpg$", n));
        Assert.All(names, n => Assert.True(File.Exists(_data.Get<PhotoStore>().PathOf(n))));

        var track = (await Queries.TrackAsync(result.Value.TrackingCode))!;
        Assert.Equal(2, track.Photos.Count);
        Assert.All(track.Photos, p => Assert.StartsWith($"/track/{result.Value.TrackingCode}/photos/", p.Url));
    }

    [Fact]
    public async Task Resolve_WithABadPhoto_StaysOnSite_AndStoresNoFile()
    {
        var result = await Intake.ReportAsync(Report(), TicketChannel.Web, null);
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(result.Value!.Id, wang);
        await Changes.MoveAsync(result.Value.Id, TicketStatus.OnSite, null, wang);

        var resolved = await Changes.MoveAsync(result.Value.Id, TicketStatus.Resolved, "Done", wang,
            photos: [new PhotoUpload("a.png", TestImages.Png()), new PhotoUpload("b.webp", TestImages.NotAnImage())]);

        Assert.Equal(ResultKind.Invalid, resolved.Kind);
        Assert.Equal(TicketStatus.OnSite, (await Queries.GetDetailAsync(result.Value.Id))!.Ticket.Status);
        Assert.Equal(0, StoredFiles());
    }
}
