using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Services;

/// <summary>Uploads go into temp files under the data directory, capped while copying, and are removed when done with.</summary>
public sealed class PhotoUploadTests : IAsyncLifetime
{
    private TestData _data = default!;
    private PhotoStore Store => _data.Get<PhotoStore>();

    public async Task InitializeAsync() => _data = await TestData.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private int IncomingFiles() => Directory.Exists(Store.IncomingFolder) ? Directory.GetFiles(Store.IncomingFolder).Length : 0;

    [Fact]
    public async Task AnUpload_IsATempFileUntilDisposed_AndWhatIsStoredIsSeparate()
    {
        var errors = new ValidationErrors();

        var upload = await Store.ReceiveAsync("IMG_0001.JPG", new MemoryStream(TestImages.Jpeg(64, 48)), errors);
        Assert.NotNull(upload);
        Assert.StartsWith(Store.IncomingFolder, upload.TempPath);
        Assert.True(File.Exists(upload.TempPath));
        var result = await _data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("A204", "Lighting", "Light cord is frayed", false, null, null, Photos: [upload]), TicketChannel.Web, null, "203.0.113.7");
        upload.Dispose();

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(0, IncomingFiles());
        Assert.Equal(1, result.Value!.Id > 0 ? (await _data.Get<TicketQueries>().GetDetailAsync(result.Value.Id))!.Photos.Count : 0);
    }

    [Fact]
    public async Task AnUploadOverTheLimit_StopsCopyingAtTheLimit_AndLeavesNoFile()
    {
        var errors = new ValidationErrors();
        var tooLarge = new MemoryStream(new byte[Store.Options.MaxUploadBytes + 100_000]);

        var upload = await Store.ReceiveAsync("huge.jpg", tooLarge, errors);

        Assert.Null(upload);
        Assert.Contains("'huge.jpg' is larger than 5 MB, the limit per photo.", errors.ToDictionary()["photos"][0]);
        Assert.True(tooLarge.Position <= Store.Options.MaxUploadBytes + 64 * 1024, $"read {tooLarge.Position} bytes");
        Assert.Equal(0, IncomingFiles());
    }

    [Fact]
    public async Task AtStart_UploadsLeftByAnEarlierRun_AreRemoved()
    {
        Directory.CreateDirectory(Store.IncomingFolder);
        var stale = Path.Combine(Store.IncomingFolder, "left-over.upload");
        var fresh = Path.Combine(Store.IncomingFolder, "in-progress.upload");
        await File.WriteAllBytesAsync(stale, [1, 2, 3]);
        await File.WriteAllBytesAsync(fresh, [1, 2, 3]);
        File.SetLastWriteTimeUtc(stale, _data.Time.GetUtcNow().UtcDateTime.AddHours(-2));
        File.SetLastWriteTimeUtc(fresh, _data.Time.GetUtcNow().UtcDateTime.AddMinutes(-5));

        await new IncomingPhotoSweep(Store).StartAsync(CancellationToken.None);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }
}
