using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Photos;

public sealed record CheckedPhoto(PhotoUpload Upload, ImageInfo Image);

/// <summary>The photos written for one report or fix, and why any were not kept (a quota), in words for the person who sent them.</summary>
public sealed record WrittenPhotos(IReadOnlyList<Photo> Photos, string? NotKept);

/// <summary>
/// Photos live as files in Photos:Folder (by default <c>photos</c> under the data directory; never under wwwroot) with
/// server-made names, served only through the authorized endpoints. Several instances share one folder (a volume): names
/// are GUIDs, and the disk quota re-counts the folder at most once a minute, so each instance sees the others' photos. Uploads arrive as temp files (never whole in memory), are checked by their header, then decoded
/// and re-encoded: what is stored is a fresh JPEG and its thumbnail. Quotas (per report, per client network a day, the
/// disk) decide how many are kept. Files written for a change that then fails are removed.
/// </summary>
public sealed class PhotoStore
{
    public const string Accept = "image/jpeg,image/png,image/webp";
    private const int HeaderBytes = 256 * 1024;
    private static readonly SemaphoreSlim Decoding = new(Math.Max(2, Environment.ProcessorCount / 2));

    private readonly IDbContextFactory<DispatchDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<PhotoStore> _logger;
    private readonly string _folder;
    private readonly Lock _counting = new();
    private long _counted;
    private long _countedAtTicks; // 0001-01-01: counted at the first use
    private long _added;

    /// <summary>How old the folder's count may get before an upload counts it again (other instances write into it too).</summary>
    public static readonly TimeSpan RecountEvery = TimeSpan.FromMinutes(1);

    public PhotoStore(IConfiguration configuration, IHostEnvironment environment, IOptions<PhotoOptions> options,
        IDbContextFactory<DispatchDbContext> dbFactory, TimeProvider time, ILogger<PhotoStore> logger)
    {
        _dbFactory = dbFactory;
        _time = time;
        _logger = logger;
        Options = options.Value;
        _folder = FolderOf(configuration, environment, Options);
    }

    public PhotoOptions Options { get; }

    /// <summary>The photo folder: Photos:Folder (a relative path is under the data directory), else the data directory's photos/.</summary>
    public static string FolderOf(IConfiguration configuration, IHostEnvironment environment, PhotoOptions options)
    {
        if (options.Folder is { Length: > 0 } folder && Path.IsPathRooted(folder))
        {
            return Path.GetFullPath(folder);
        }
        var data = DispatchBoardServices.DataDirectory(configuration, environment);
        return Path.GetFullPath(Path.Combine(data, string.IsNullOrWhiteSpace(options.Folder) ? "photos" : options.Folder));
    }

    public string Folder => _folder;

    public string IncomingFolder => Path.Combine(_folder, "incoming") + Path.DirectorySeparatorChar;

    /// <summary>
    /// Bytes of stored photos and thumbnails in the folder: counted on disk at most once a minute (whatever any instance
    /// wrote), plus what this instance added and removed since. Between counts another instance's photos are missed, so
    /// two instances may overshoot the quota by at most a minute of each other's uploads.
    /// </summary>
    public long TotalBytes
    {
        get
        {
            var now = _time.GetUtcNow().UtcTicks;
            if (now - Interlocked.Read(ref _countedAtTicks) >= RecountEvery.Ticks)
            {
                lock (_counting)
                {
                    if (now - Interlocked.Read(ref _countedAtTicks) >= RecountEvery.Ticks)
                    {
                        var counted = CountFolder();
                        // What this instance added so far is in the count now; reservations in flight are missed until the next one.
                        Interlocked.Exchange(ref _added, 0);
                        Volatile.Write(ref _counted, counted);
                        Interlocked.Exchange(ref _countedAtTicks, now);
                    }
                }
            }
            return Volatile.Read(ref _counted) + Interlocked.Read(ref _added);
        }
    }

    private long CountFolder() => Directory.Exists(_folder)
        ? new DirectoryInfo(_folder).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !f.FullName.StartsWith(IncomingFolder, StringComparison.Ordinal)).Sum(f => f.Length)
        : 0;

    /// <summary>
    /// Copies an upload into a temp file with a server-made name, stopping at the size limit. Dispose the upload when
    /// it is dropped or done with. Null, with the reason under "photos", if it is too large or the transfer failed.
    /// </summary>
    public async Task<PhotoUpload?> ReceiveAsync(string fileName, Stream source, ValidationErrors errors, CancellationToken ct = default)
    {
        Directory.CreateDirectory(IncomingFolder);
        var path = Path.Combine(IncomingFolder, $"{Guid.NewGuid():N}.upload");
        var upload = new PhotoUpload(fileName, path, 0);
        long length = 0;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    length += read;
                    if (length > Options.MaxUploadBytes)
                    {
                        break;
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (length > Options.MaxUploadBytes)
            {
                upload.Dispose();
                errors.Add("photos", TooLarge(upload.Named, length, more: true));
                return null;
            }
            return new PhotoUpload(fileName, path, length);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            upload.Dispose();
            errors.Add("photos", $"{upload.Named} did not arrive ({ex.Message}); try adding it again.");
            return null;
        }
    }

    /// <summary>Temp files of uploads nobody holds any more (the app stopped meanwhile).</summary>
    public void CleanIncoming(TimeSpan olderThan)
    {
        if (!Directory.Exists(IncomingFolder))
        {
            return;
        }
        var before = _time.GetUtcNow().UtcDateTime - olderThan;
        foreach (var file in new DirectoryInfo(IncomingFolder).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < before)
            {
                try
                {
                    file.Delete();
                }
                catch (IOException ex)
                {
                    _logger.StaleUploadNotRemoved(ex, file.Name);
                }
            }
        }
    }

    /// <summary>
    /// The first gate, from each file's bytes (never its name): size, type and pixel count from the header. Errors go
    /// under "photos", naming the file. Returns the checked photos when all pass.
    /// </summary>
    public IReadOnlyList<CheckedPhoto> Check(IReadOnlyList<PhotoUpload>? uploads, ValidationErrors errors)
    {
        if (uploads is null || uploads.Count == 0)
        {
            return [];
        }
        var checkedPhotos = new List<CheckedPhoto>();
        var header = new byte[HeaderBytes];
        foreach (var upload in uploads)
        {
            if (upload.Length > Options.MaxUploadBytes)
            {
                errors.Add("photos", TooLarge(upload.Named, upload.Length, more: false));
                continue;
            }
            if (upload.Length == 0)
            {
                errors.Add("photos", $"{upload.Named} is empty.");
                continue;
            }
            int read;
            using (var stream = upload.OpenRead())
            {
                read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            }
            var image = ImageProbe.Probe(header.AsSpan(0, read));
            if (image is null)
            {
                errors.Add("photos", $"{upload.Named} is not a JPEG, PNG or WebP picture (its content was checked, not its name).");
                continue;
            }
            if (TooManyPixels(upload.Named, image.Width, image.Height) is { } tooMany)
            {
                errors.Add("photos", tooMany);
                continue;
            }
            checkedPhotos.Add(new CheckedPhoto(upload, image));
        }
        return checkedPhotos;
    }

    /// <summary>
    /// Decodes and re-encodes each photo and writes it with its thumbnail, as many as the quotas allow: per report,
    /// per client network a day (when <paramref name="clientNetwork"/> is given: anonymous uploads), and the disk.
    /// A file that does not decode is an error under "photos" naming it, and then nothing is kept. Returns the
    /// (unsaved) records; call <see cref="Remove"/> if the change then fails.
    /// </summary>
    public async Task<WrittenPhotos> WriteAsync(IReadOnlyList<CheckedPhoto> photos, PhotoKind kind, string? clientNetwork,
        DateTimeOffset now, ValidationErrors errors, CancellationToken ct)
    {
        if (photos.Count == 0)
        {
            return new WrittenPhotos([], null);
        }
        string? notKept = null;
        var allowed = Math.Min(photos.Count, Options.MaxPerReport);
        if (allowed < photos.Count)
        {
            notKept = $"at most {Options.MaxPerReport} photos go with one report ({photos.Count - allowed} left out).";
        }
        if (clientNetwork is not null)
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct);
            var since = now.AddDays(-1);
            var used = await db.Photos.CountAsync(p => p.ClientNetwork == clientNetwork && p.UploadedAt > since, ct);
            var left = Math.Max(0, Options.MaxPerNetworkPerDay - used);
            if (left < allowed)
            {
                allowed = left;
                notKept = $"your network has sent the most photos we keep in a day ({Options.MaxPerNetworkPerDay}); " +
                    "show them to the staff when they come, or send them tomorrow.";
            }
        }

        var written = new List<Photo>();
        try
        {
            foreach (var photo in photos.Take(allowed))
            {
                ReencodeResult result;
                // A decode holds up to ~64 MB of pixels: a few at a time keep the server's memory bounded under a burst.
                await Decoding.WaitAsync(ct);
                try
                {
                    await using var source = photo.Upload.OpenRead();
                    result = PhotoImages.Reencode(source, Options);
                }
                finally
                {
                    Decoding.Release();
                }
                if (result.Photo is not { } reencoded)
                {
                    errors.Add("photos", result.Failure switch
                    {
                        ReencodeFailure.TooManyPixels => TooManyPixels(photo.Upload.Named, result.SourceWidth, result.SourceHeight)!,
                        ReencodeFailure.TooLargeToScale => $"{photo.Upload.Named} is {result.SourceWidth}×{result.SourceHeight} pixels; " +
                            $"a PNG can be at most {PhotoImages.MaxUnscaledPixels / 1_000_000} megapixels. Send it as a JPEG, or a smaller screenshot.",
                        ReencodeFailure.CutShort => $"{photo.Upload.Named} is cut short (the file is incomplete); send it again or choose another photo.",
                        _ => $"{photo.Upload.Named} could not be read as a picture (it is damaged); choose another photo.",
                    });
                    continue;
                }
                var bytes = reencoded.Jpeg.Length + reencoded.Thumbnail.Length;
                _ = TotalBytes; // counts the folder again when the last count is a minute old
                if (Interlocked.Add(ref _added, bytes) + Volatile.Read(ref _counted) > Options.MaxTotalBytes)
                {
                    Interlocked.Add(ref _added, -bytes);
                    _logger.PhotoStorageFull(TotalBytes / 1024 / 1024, Options.MaxTotalMegabytes);
                    notKept = "the photo storage is full; the office has been told. Show the staff the photos when they come.";
                    break;
                }
                var name = $"{now:yyyy-MM}/{Guid.NewGuid():N}";
                var record = new Photo
                {
                    Kind = kind,
                    StoredName = name + ".jpg",
                    ThumbnailName = name + ".thumb.jpg",
                    ContentType = "image/jpeg",
                    Width = reencoded.Width,
                    Height = reencoded.Height,
                    Length = reencoded.Jpeg.Length,
                    ThumbnailLength = reencoded.Thumbnail.Length,
                    ClientNetwork = clientNetwork,
                    UploadedAt = now,
                };
                written.Add(record);
                var path = PathOf(record.StoredName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, reencoded.Jpeg, ct);
                await File.WriteAllBytesAsync(PathOf(record.ThumbnailName), reencoded.Thumbnail, ct);
            }
            if (errors.Any)
            {
                Remove(written);
                return new WrittenPhotos([], null);
            }
            return new WrittenPhotos(written, notKept);
        }
        catch
        {
            Remove(written);
            throw;
        }
    }

    public void Remove(IEnumerable<Photo> photos)
    {
        foreach (var photo in photos)
        {
            foreach (var name in new[] { photo.StoredName, photo.ThumbnailName })
            {
                if (name is null)
                {
                    continue;
                }
                try
                {
                    var path = PathOf(name);
                    if (File.Exists(path))
                    {
                        File.Delete(path);
                    }
                }
                catch (IOException ex)
                {
                    _logger.OrphanedPhotoNotRemoved(ex, name);
                }
            }
            Interlocked.Add(ref _added, -(photo.Length + photo.ThumbnailLength));
        }
    }

    public string PathOf(string storedName)
    {
        var path = Path.GetFullPath(Path.Combine(_folder, storedName));
        return path.StartsWith(Path.GetFullPath(_folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException("A stored photo name points outside the photo folder.");
    }

    private string? TooManyPixels(string named, int width, int height) =>
        width > Options.MaxSourceSide || height > Options.MaxSourceSide || (long)width * height > Options.MaxMegapixels * 1_000_000L
            ? $"{named} is {width}×{height} pixels; the limit is {Options.MaxSourceSide:N0} pixels a side and {Options.MaxMegapixels} megapixels. " +
              "Take the photo at a lower resolution or send a screenshot of it."
            : null;

    private string TooLarge(string named, long length, bool more) => more
        ? $"{named} is larger than {Options.MaxUploadMegabytes} MB, the limit per photo."
        : $"{named} is {length / 1024.0 / 1024.0:F1} MB; the limit is {Options.MaxUploadMegabytes} MB per photo.";
}
