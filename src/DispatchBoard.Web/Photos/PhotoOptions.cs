using System.ComponentModel.DataAnnotations;

namespace DispatchBoard.Web.Photos;

/// <summary>How large photos may be, how they are stored, and how many are kept (the <c>Photos</c> section).</summary>
public sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary>
    /// Where the photo files are: empty for <c>photos</c> under the data directory; a relative path is under the data
    /// directory. Instances behind one load balancer share one folder (a volume) so each serves the others' photos.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>Photos that go with one report (or one fix); more are left out.</summary>
    [Range(1, 10)]
    public int MaxPerReport { get; set; } = 3;

    /// <summary>Photos kept from one client network (an IPv4 address, an IPv6 /64) in 24 hours; signed-in staff are not counted.</summary>
    [Range(1, 10_000)]
    public int MaxPerNetworkPerDay { get; set; } = 30;

    /// <summary>All stored photos and thumbnails together; past it new photos are not kept (reports still are).</summary>
    [Range(1, 1_000_000)]
    public int MaxTotalMegabytes { get; set; } = 2048;

    /// <summary>One uploaded file, as sent.</summary>
    [Range(1, 50)]
    public int MaxUploadMegabytes { get; set; } = 5;

    /// <summary>Refused before decoding: a file claiming more pixels than this (a decompression bomb) is never unpacked.</summary>
    [Range(1, 100)]
    public int MaxMegapixels { get; set; } = 40;

    /// <summary>Refused before decoding: either side longer than this.</summary>
    [Range(100, 30_000)]
    public int MaxSourceSide { get; set; } = 12_000;

    /// <summary>The stored photo's longest side, in pixels.</summary>
    [Range(320, 8_000)]
    public int MaxStoredSide { get; set; } = 2560;

    /// <summary>The thumbnail's longest side, in pixels.</summary>
    [Range(64, 1024)]
    public int ThumbnailSide { get; set; } = 320;

    [Range(30, 100)]
    public int JpegQuality { get; set; } = 82;

    public long MaxUploadBytes => MaxUploadMegabytes * 1024L * 1024L;
    public long MaxTotalBytes => MaxTotalMegabytes * 1024L * 1024L;
}
