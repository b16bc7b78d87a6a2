namespace DispatchBoard.Web.Photos;

/// <summary>
/// A file as it was uploaded: its name only names it in messages; its bytes decide what it is. From a browser it is a
/// temp file under the data directory (<see cref="PhotoStore.ReceiveAsync"/>), removed when the upload is disposed;
/// <see cref="PhotoUpload(string, byte[])"/> holds small bytes in memory (tests, tools).
/// </summary>
public sealed class PhotoUpload : IDisposable
{
    private readonly byte[]? _content;
    private readonly string? _tempPath;

    public PhotoUpload(string fileName, byte[] content)
    {
        FileName = fileName;
        _content = content;
        Length = content.Length;
    }

    internal PhotoUpload(string fileName, string tempPath, long length)
    {
        FileName = fileName;
        _tempPath = tempPath;
        Length = length;
    }

    public string FileName { get; }
    public long Length { get; }

    /// <summary>The temp file holding the upload, if it came from a browser.</summary>
    public string? TempPath => _tempPath;

    /// <summary>"'IMG_0001.JPG'" (its name without any folder), or "a photo".</summary>
    public string Named => string.IsNullOrWhiteSpace(FileName) ? "a photo" : $"'{Path.GetFileName(FileName)}'";

    public Stream OpenRead() => _content is not null
        ? new MemoryStream(_content, writable: false)
        : new FileStream(_tempPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public void Dispose()
    {
        if (_tempPath is not null)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // Swept at the next start (PhotoStore.CleanIncoming).
            }
        }
    }
}
