using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Photos;

/// <summary>A file as it was uploaded: its name only names it in messages; its bytes decide what it is.</summary>
public sealed record PhotoUpload(string FileName, byte[] Content);

public sealed record CheckedPhoto(PhotoUpload Upload, ImageInfo Image);

/// <summary>
/// Photos live as files under the data directory (never under wwwroot) with server-made names, served only through the
/// authorized endpoints. Checks run before anything is written; files written for a change that then fails are removed.
/// </summary>
public sealed class PhotoStore(IConfiguration configuration, IHostEnvironment environment, ILogger<PhotoStore> logger)
{
    public const int MaxPerStep = 3;
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MaxSide = 12_000;
    public const long MaxPixels = 50_000_000;
    public const string Accept = "image/jpeg,image/png,image/webp";

    private readonly string _folder = Path.Combine(DispatchBoardServices.DataDirectory(configuration, environment), "photos");

    /// <summary>Checks every upload; errors go under "photos", naming the file. Returns the checked photos when all pass.</summary>
    public static IReadOnlyList<CheckedPhoto> Check(IReadOnlyList<PhotoUpload>? uploads, ValidationErrors errors, int alreadyStored = 0)
    {
        if (uploads is null || uploads.Count == 0)
        {
            return [];
        }
        if (uploads.Count + alreadyStored > MaxPerStep)
        {
            errors.Add("photos", $"At most {MaxPerStep} photos (got {uploads.Count + alreadyStored}); leave some out.");
            return [];
        }
        var checkedPhotos = new List<CheckedPhoto>();
        foreach (var upload in uploads)
        {
            var name = string.IsNullOrWhiteSpace(upload.FileName) ? "a photo" : $"'{Path.GetFileName(upload.FileName)}'";
            if (upload.Content.Length > MaxBytes)
            {
                errors.Add("photos", $"{name} is {upload.Content.Length / 1024.0 / 1024.0:F1} MB; the limit is 5 MB per photo.");
                continue;
            }
            if (upload.Content.Length == 0)
            {
                errors.Add("photos", $"{name} is empty.");
                continue;
            }
            var image = ImageProbe.Probe(upload.Content);
            if (image is null)
            {
                errors.Add("photos", $"{name} is not a JPEG, PNG or WebP picture (its content was checked, not its name).");
                continue;
            }
            if (image.Width > MaxSide || image.Height > MaxSide || (long)image.Width * image.Height > MaxPixels)
            {
                errors.Add("photos", $"{name} is {image.Width}×{image.Height} pixels; the limit is {MaxSide:N0} pixels a side and 50 megapixels.");
                continue;
            }
            checkedPhotos.Add(new CheckedPhoto(upload, image));
        }
        return checkedPhotos;
    }

    /// <summary>Writes the files and returns their (unsaved) records; call <see cref="Remove"/> if the change then fails.</summary>
    public async Task<IReadOnlyList<Photo>> WriteAsync(IReadOnlyList<CheckedPhoto> photos, PhotoKind kind, DateTimeOffset now, CancellationToken ct)
    {
        var written = new List<Photo>();
        try
        {
            foreach (var photo in photos)
            {
                var stored = $"{now:yyyy-MM}/{Guid.NewGuid():N}{photo.Image.Extension}";
                var path = PathOf(stored);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, photo.Upload.Content, ct);
                written.Add(new Photo
                {
                    Kind = kind,
                    StoredName = stored,
                    ContentType = photo.Image.ContentType,
                    Width = photo.Image.Width,
                    Height = photo.Image.Height,
                    Length = photo.Upload.Content.Length,
                    UploadedAt = now,
                });
            }
            return written;
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
            try
            {
                File.Delete(PathOf(photo.StoredName));
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not remove the orphaned photo file {Name}", photo.StoredName);
            }
        }
    }

    public string PathOf(string storedName)
    {
        var path = Path.GetFullPath(Path.Combine(_folder, storedName));
        return path.StartsWith(Path.GetFullPath(_folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException("A stored photo name points outside the photo folder.");
    }
}
