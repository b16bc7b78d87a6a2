using System.Runtime.InteropServices;
using SkiaSharp;

namespace DispatchBoard.Web.Photos;

/// <summary>A photo as it is stored: a fresh JPEG of the pixels only (upright, no metadata), and its thumbnail.</summary>
public sealed record ReencodedPhoto(byte[] Jpeg, int Width, int Height, byte[] Thumbnail);

public enum ReencodeFailure
{
    None,
    TooManyPixels,
    Unreadable,
    CutShort,
}

public sealed record ReencodeResult(ReencodedPhoto? Photo, ReencodeFailure Failure, int SourceWidth = 0, int SourceHeight = 0);

/// <summary>
/// Decodes an upload with SkiaSharp and encodes it again: only pixels survive (EXIF, GPS, comments and any payload
/// behind the image are gone). The size comes from the header and is checked before a pixel is decoded, and the decode
/// itself is scaled down (JPEG and WebP by the codec, others row by row) so a large picture never sits in memory whole.
/// </summary>
public static class PhotoImages
{
    /// <summary>Pictures up to this many pixels are decoded at full size before scaling; larger ones in steps.</summary>
    private const long FullDecodePixels = 16_000_000;

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
            using var image = SKImage.FromBitmap(decoded);
            using var upright = Render(image, codec.EncodedOrigin, options.MaxStoredSide);
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
        var scale = Math.Min(1f, (float)maxSide / Math.Max(width, height));
        var scaled = codec.GetScaledDimensions(scale);
        if (scaled.Width < width && scaled.Width > 0 && scaled.Height > 0)
        {
            return Whole(codec, scaled.Width, scaled.Height);
        }
        if ((long)width * height <= FullDecodePixels || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
        {
            return Whole(codec, width, height);
        }
        return InSteps(codec, (int)Math.Ceiling(Math.Max(width, height) / (double)maxSide));
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

    /// <summary>Row by row, averaging each <paramref name="step"/>×<paramref name="step"/> block: memory is the output plus a few rows.</summary>
    private static (SKBitmap?, ReencodeFailure) InSteps(SKCodec codec, int step)
    {
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
        {
            return (null, ReencodeFailure.Unreadable);
        }
        var (outWidth, outHeight) = (Math.Max(1, width / step), Math.Max(1, height / step));
        var bitmap = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        var rowBytes = info.RowBytes;
        var rows = Marshal.AllocHGlobal(rowBytes * step);
        try
        {
            var sums = new int[outWidth * 4];
            var rowBuffer = new byte[rowBytes];
            for (var y = 0; y < outHeight; y++)
            {
                if (codec.GetScanlines(rows, step, rowBytes) != step)
                {
                    bitmap.Dispose();
                    return (null, ReencodeFailure.CutShort);
                }
                Array.Clear(sums);
                for (var r = 0; r < step; r++)
                {
                    Marshal.Copy(rows + r * rowBytes, rowBuffer, 0, rowBytes);
                    for (var x = 0; x < outWidth * step; x++)
                    {
                        var o = x / step * 4;
                        var i = x * 4;
                        sums[o] += rowBuffer[i];
                        sums[o + 1] += rowBuffer[i + 1];
                        sums[o + 2] += rowBuffer[i + 2];
                        sums[o + 3] += rowBuffer[i + 3];
                    }
                }
                var line = bitmap.GetPixelSpan().Slice(y * bitmap.RowBytes, outWidth * 4);
                var area = step * step;
                for (var i = 0; i < line.Length; i++)
                {
                    line[i] = (byte)(sums[i] / area);
                }
            }
            return (bitmap, ReencodeFailure.None);
        }
        finally
        {
            Marshal.FreeHGlobal(rows);
        }
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
