using DispatchBoard.Testing;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Photos:Folder: two instances (here two sets of the app's services, each with its own clock) write into one shared
/// folder. Each finds the other's files, and the disk quota counts the other's photos once its count is a minute old.
/// </summary>
public sealed class SharedPhotoFolderTests : IAsyncLifetime
{
    private readonly string _shared = Path.Combine(Path.GetTempPath(), "dispatchboard-tests", "shared-photos-" + Guid.NewGuid().ToString("N"));
    private TestData _a = default!;
    private TestData _b = default!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Photos:Folder"] = _shared, ["Photos:MaxTotalMegabytes"] = "1" };
        _a = await TestData.CreateAsync(settings: settings);
        _b = await TestData.CreateAsync(settings: settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        if (Directory.Exists(_shared))
        {
            Directory.Delete(_shared, recursive: true);
        }
    }

    private static ReportTicket Report(params PhotoUpload[] photos) =>
        new("A204", "Lighting", "Light cord is frayed", false, null, null, Photos: photos);

    [Fact]
    public async Task APhotoWrittenByA_IsInTheSharedFolder_WhereBFindsItUnderItsStoredName()
    {
        var report = await _a.Get<TicketIntake>().ReportAsync(Report(new PhotoUpload("IMG_1.jpg", TestImages.Jpeg(64, 48))), TicketChannel.Web, null, "203.0.113.7");

        Assert.True(report.IsOk, report.Describe());
        var photo = await _a.QueryAsync(db => db.Photos.SingleAsync(p => p.TicketId == report.Value!.Id));
        var atB = _b.Get<PhotoStore>().PathOf(photo.StoredName);
        Assert.StartsWith(Path.GetFullPath(_shared) + Path.DirectorySeparatorChar, atB);
        Assert.True(File.Exists(atB));
        Assert.Equal(photo.Length, new FileInfo(atB).Length);
        Assert.True(File.Exists(_b.Get<PhotoStore>().PathOf(photo.ThumbnailName!)));
    }

    [Fact]
    public async Task TheOtherInstancesPhotos_CountTowardsTheQuota_OnceTheCountIsAMinuteOld()
    {
        var storeA = _a.Get<PhotoStore>();
        var storeB = _b.Get<PhotoStore>();
        Assert.Equal(0, storeB.TotalBytes);
        var first = await _a.Get<TicketIntake>().ReportAsync(Report(new PhotoUpload("IMG_1.jpg", TestImages.Jpeg(64, 48))), TicketChannel.Web, null, "203.0.113.7");
        var onDisk = Directory.GetFiles(_shared, "*.jpg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(first.IsOk && first.Value!.PhotosNotKept is null, first.Describe());
        Assert.True(onDisk > 0);
        Assert.Equal(onDisk, storeA.TotalBytes);
        Assert.Equal(0, storeB.TotalBytes); // counted under a minute ago

        _b.Time.Advance(PhotoStore.RecountEvery);

        Assert.Equal(onDisk, storeB.TotalBytes);

        // A fills the disk (a file as large as the quota, as another instance's photos would); B refuses new photos once it has counted again.
        var month = Path.Combine(_shared, "2026-10");
        Directory.CreateDirectory(month);
        await File.WriteAllBytesAsync(Path.Combine(month, "from-a.jpg"), new byte[1024 * 1024]);
        _b.Time.Advance(PhotoStore.RecountEvery);
        var second = await _b.Get<TicketIntake>().ReportAsync(Report(new PhotoUpload("IMG_2.jpg", TestImages.Jpeg(64, 48))), TicketChannel.Web, null, "203.0.113.8");

        Assert.True(second.IsOk, second.Describe());
        Assert.Contains("the photo storage is full", second.Value!.PhotosNotKept);
        Assert.Equal(0, await _b.QueryAsync(db => db.Photos.CountAsync(p => p.TicketId == second.Value.Id)));
    }

    [Fact]
    public async Task ARelativeFolder_IsUnderTheDataDirectory_AndNoneMeansPhotosThere()
    {
        await using var relative = await TestData.CreateAsync(settings: new Dictionary<string, string?> { ["Photos:Folder"] = "shared/pics" });
        await using var unset = await TestData.CreateAsync();

        Assert.Equal(Path.Combine(relative.Directory, "shared", "pics"), relative.Get<PhotoStore>().Folder);
        Assert.Equal(Path.Combine(unset.Directory, "photos"), unset.Get<PhotoStore>().Folder);
        Assert.Equal(Path.GetFullPath(_shared), _a.Get<PhotoStore>().Folder);
    }
}
