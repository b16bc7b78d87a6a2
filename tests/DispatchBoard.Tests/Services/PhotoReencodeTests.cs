using System.Text;
using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace DispatchBoard.Tests.Services;

/// <summary>What is stored of a photo: a re-encoded JPEG of its pixels only, upright and capped, never the file as sent.</summary>
public sealed class PhotoReencodeTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private PhotoStore Store => _data.Get<PhotoStore>();
    private string PhotoFolder => Path.Combine(_data.Directory, "photos");

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private int StoredFiles() => Directory.Exists(PhotoFolder) ? Directory.GetFiles(PhotoFolder, "*", SearchOption.AllDirectories).Length : 0;

    private static ReportTicket Report(params PhotoUpload[] photos) =>
        new("A204", "Lighting", "Light cord is frayed", false, null, null, Photos: photos);

    private async Task<(Web.Photos.Photo Row, byte[] Bytes)> ReportOneAsync(PhotoUpload upload)
    {
        var result = await Intake.ReportAsync(Report(upload), TicketChannel.Web, null, "203.0.113.7");
        Assert.True(result.IsOk, result.Describe());
        var row = await _data.QueryAsync(db => db.Photos.SingleAsync(p => p.TicketId == result.Value!.Id));
        return (row, await File.ReadAllBytesAsync(Store.PathOf(row.StoredName)));
    }

    [Fact]
    public async Task Upload_WithExifGps_IsStoredWithoutAnyMetadata()
    {
        var sent = TestImages.WithExif(TestImages.Jpeg(64, 48));
        Assert.Contains("Exif", Encoding.Latin1.GetString(sent));

        var (row, stored) = await ReportOneAsync(new PhotoUpload("IMG_0042.JPG", sent));

        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(stored));
        Assert.False(stored.Zip(stored.Skip(1)).Any(p => p is (0xFF, 0xE1)), "an APP1 (EXIF/XMP) segment is still in the file");
        Assert.Equal("image/jpeg", row.ContentType);
        using var decoded = SKBitmap.Decode(stored);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task Upload_TakenSideways_IsStoredUpright()
    {
        // Stored 40×20 with "rotate 90° clockwise to show" (EXIF orientation 6), as a phone held upright writes it.
        var sent = TestImages.WithExif(TestImages.Jpeg(40, 20), orientation: 6);

        var (row, stored) = await ReportOneAsync(new PhotoUpload("portrait.jpg", sent));

        Assert.Equal((20, 40), (row.Width, row.Height));
        using var decoded = SKBitmap.Decode(stored);
        Assert.Equal((20, 40), (decoded.Width, decoded.Height));
        Assert.True(decoded.GetPixel(10, 5).Red > 200 && decoded.GetPixel(10, 5).Blue < 80, $"top is {decoded.GetPixel(10, 5)}");
        Assert.True(decoded.GetPixel(10, 35).Blue > 200 && decoded.GetPixel(10, 35).Red < 80, $"bottom is {decoded.GetPixel(10, 35)}");
    }

    [Fact]
    public async Task Upload_LargerThanTheCap_IsScaledToItsLongestSide()
    {
        var (row, stored) = await ReportOneAsync(new PhotoUpload("wide.jpg", TestImages.Jpeg(3000, 1500)));

        Assert.Equal((2560, 1280), (row.Width, row.Height));
        using var decoded = SKBitmap.Decode(stored);
        Assert.Equal((2560, 1280), (decoded.Width, decoded.Height));
        Assert.True(row.Length < 1024 * 1024);
    }

    [Fact]
    public async Task Upload_PngWithAlpha_IsStoredAsJpegOnWhite()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(30, 30, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(SKColors.Transparent);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);

        var (row, stored) = await ReportOneAsync(new PhotoUpload("clear.png", png.ToArray()));

        Assert.EndsWith(".jpg", row.StoredName);
        using var decoded = SKBitmap.Decode(stored);
        Assert.True(decoded.GetPixel(15, 15).Red > 240 && decoded.GetPixel(15, 15).Blue > 240, $"{decoded.GetPixel(15, 15)}");
    }

    [Fact]
    public async Task DecompressionBombPng_IsRefusedFromItsHeader_AndNothingIsStored()
    {
        var bomb = TestImages.PngBomb(7000, 7000);
        Assert.True(bomb.Length < 512 * 1024, $"{bomb.Length} bytes");
        var before = await _data.QueryAsync(db => db.Tickets.CountAsync());

        var result = await Intake.ReportAsync(Report(new PhotoUpload("bomb.png", bomb)), TicketChannel.Web, null, "203.0.113.7");

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains("'bomb.png' is 7000×7000 pixels", Assert.Single(result.Errors["photos"]));
        Assert.Equal(before, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(0, StoredFiles());
    }

    [Fact]
    public void DecompressionBomb_PastTheHeaderCheck_IsRefusedByTheCodecBeforeDecoding()
    {
        // The codec reads the size from the header too: a limit below the picture refuses it with no pixel decoded.
        var options = new PhotoOptions { MaxMegapixels = 1 };
        using var source = new MemoryStream(TestImages.PngBomb(2000, 2000));

        var result = PhotoImages.Reencode(source, options);

        Assert.Equal(ReencodeFailure.TooManyPixels, result.Failure);
        Assert.Equal((2000, 2000), (result.SourceWidth, result.SourceHeight));
    }

    [Fact]
    public void ALargePng_WhichTheCodecCannotScale_IsRefusedBeforeDecoding()
    {
        using var source = new MemoryStream(TestImages.PngBomb(5000, 4000));

        var result = PhotoImages.Reencode(source, new PhotoOptions());

        Assert.Equal(ReencodeFailure.TooLargeToScale, result.Failure);
    }

    [Fact]
    public async Task TruncatedJpeg_IsRefused_NamingTheFile_AndNothingIsWritten()
    {
        var whole = TestImages.Jpeg(400, 300);
        var cut = whole[..(whole.Length * 6 / 10)];
        var before = await _data.QueryAsync(db => db.Tickets.CountAsync());

        var result = await Intake.ReportAsync(Report(new PhotoUpload("ok.jpg", TestImages.Jpeg(40, 30)), new PhotoUpload("cut.jpg", cut)),
            TicketChannel.Web, null, "203.0.113.7");

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains("'cut.jpg' is cut short", Assert.Single(result.Errors["photos"]));
        Assert.Equal(before, await _data.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(0, await _data.QueryAsync(db => db.Photos.CountAsync()));
        Assert.Equal(0, StoredFiles());
    }
}
