using SkiaSharp;

namespace DispatchBoard.Web.Photos;

/// <summary>A photo as it is stored: a fresh JPEG of the pixels only (upright, no metadata), and its thumbnail.</summary>
public sealed record ReencodedPhoto(byte[] Jpeg, int Width, int Height, byte[] Thumbnail);

public enum ReencodeFailure
{
    None,
    TooManyPixels,
    TooLargeToScale,
    Unreadable,
    CutShort,
}

public sealed record ReencodeResult(ReencodedPhoto? Photo, ReencodeFailure Failure, int SourceWidth = 0, int SourceHeight = 0);

/// <summary>
/// Decodes an upload with SkiaSharp and encodes it again: only pixels survive (EXIF, GPS, comments and any payload
/// behind the image are gone). The size comes from the header and is checked before a pixel is decoded, and the decode
/// itself is scaled down (JPEG and WebP by the codec) so a large photo never sits in memory whole; a PNG, which the codec
/// cannot scale, is taken up to <see cref="MaxUnscaledPixels"/>.
/// </summary>
public static class PhotoImages
{
    /// <summary>
    /// A picture the codec cannot decode at a smaller size (PNG: SkiaSharp offers no sampled or row-by-row PNG decode)
    /// is decoded whole: at most this many pixels (64 MB), checked from the header before decoding.
    /// </summary>
    public const long MaxUnscaledPixels = 16_000_000;

    public static ReencodeResult Reencode(Stream source, PhotoOptions options)
    {
        using var codec = SKCodec.Create(source, out _);
        if (codec is null)
        {
            return new ReencodeResult(null, ReencodeFailure.Unreadable);
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > options.MaxSourceSide || height > options.MaxSourceSide
            || (long)width * height > options.MaxMegapixels * 1_000_000L)
        {
            return new ReencodeResult(null, ReencodeFailure.TooManyPixels, width, height);
        }
        var (decoded, failure) = Decode(codec, options.MaxStoredSide);
        if (decoded is null)
        {
            return new ReencodeResult(null, failure, width, height);
        }
        using (decoded)
        {
            // Immutable bitmaps are shared with the image, not copied: one copy of the pixels at a time.
            decoded.SetImmutable();
            using var upright = Render(SKImage.FromBitmap(decoded), codec.EncodedOrigin, options.MaxStoredSide);
            upright.SetImmutable();
            using var thumbnail = Render(SKImage.FromBitmap(upright), SKEncodedOrigin.TopLeft, options.ThumbnailSide);
            return new ReencodeResult(new ReencodedPhoto(Encode(upright, options.JpegQuality), upright.Width, upright.Height,
                Encode(thumbnail, options.JpegQuality)), ReencodeFailure.None, width, height);
        }
    }

    private static byte[] Encode(SKBitmap bitmap, int quality)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static (SKBitmap? Bitmap, ReencodeFailure Failure) Decode(SKCodec codec, int maxSide)
    {
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var longest = Math.Max(width, height);
        if (longest > maxSide)
        {
            // JPEG (in eighths) and WebP decode straight to a smaller size; the step at or above the cap keeps it sharp.
            var scale = (float)maxSide / longest;
            var scaled = codec.GetScaledDimensions(scale);
            if (Math.Max(scaled.Width, scaled.Height) < maxSide)
            {
                scaled = codec.GetScaledDimensions(Math.Min(1f, scale + 0.125f));
            }
            if (scaled.Width < width && scaled.Width > 0 && scaled.Height > 0)
            {
                return Whole(codec, scaled.Width, scaled.Height);
            }
        }
        // Formats the codec cannot scale (PNG) are decoded whole, so only up to a size that keeps memory bounded.
        return (long)width * height <= MaxUnscaledPixels
            ? Whole(codec, width, height)
            : (null, ReencodeFailure.TooLargeToScale);
    }

    private static (SKBitmap?, ReencodeFailure) Whole(SKCodec codec, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
        {
            return (bitmap, ReencodeFailure.None);
        }
        bitmap.Dispose();
        return (null, result == SKCodecResult.IncompleteInput ? ReencodeFailure.CutShort : ReencodeFailure.Unreadable);
    }

    /// <summary>Stands the picture upright (the EXIF orientation), scales it to <paramref name="maxSide"/> and flattens it onto white.</summary>
    private static SKBitmap Render(SKImage image, SKEncodedOrigin origin, int maxSide)
    {
        using (image)
        {
            var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
            var (w, h) = (image.Width, image.Height);
            var (uprightWidth, uprightHeight) = turned ? (h, w) : (w, h);
            var scale = Math.Min(1d, (double)maxSide / Math.Max(uprightWidth, uprightHeight));
            var (outWidth, outHeight) = (Math.Max(1, (int)Math.Round(uprightWidth * scale)), Math.Max(1, (int)Math.Round(uprightHeight * scale)));
            var bitmap = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
            using var canvas = new SKCanvas(bitmap);
            canvas.Clear(SKColors.White);
            canvas.Scale((float)outWidth / uprightWidth, (float)outHeight / uprightHeight);
            canvas.Concat(Upright(origin, w, h));
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            canvas.Flush();
            return bitmap;
        }
    }

    /// <summary>Maps the stored pixel grid (<paramref name="w"/>×<paramref name="h"/>) to the upright picture.</summary>
    private static SKMatrix Upright(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
