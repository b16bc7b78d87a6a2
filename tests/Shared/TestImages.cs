using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace DispatchBoard.Testing;

/// <summary>Small real images (and fakes) made in code, so tests need no binary fixtures.</summary>
public static class TestImages
{
    /// <summary>A valid, decodable PNG of the given size: a grey-blue gradient.</summary>
    public static byte[] Png(int width = 4, int height = 3)
    {
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                raw.Write([(byte)(80 + x * 10 % 100), (byte)(120 + y * 10 % 100), 200]);
            }
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(z);
        }
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG header that claims a size (the pixels are not there): for limits on pixels.</summary>
    public static byte[] PngHeaderClaiming(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        return png.ToArray();
    }

    /// <summary>The start of a baseline JPEG with a JFIF segment and a frame header of the given size.</summary>
    public static byte[] JpegHeader(int width, int height)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]);
        jpeg.Write("JFIF\0"u8);
        jpeg.Write([1, 1, 0, 0, 1, 0, 1, 0, 0]);
        jpeg.Write([0xFF, 0xC0, 0x00, 0x11, 0x08]);
        jpeg.Write([(byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width]);
        jpeg.Write([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>An extended-format WebP header (VP8X) of the given canvas size.</summary>
    public static byte[] WebPHeader(int width, int height)
    {
        var webp = new byte[30];
        "RIFF"u8.CopyTo(webp);
        BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(4), 22);
        "WEBP"u8.CopyTo(webp.AsSpan(8));
        "VP8X"u8.CopyTo(webp.AsSpan(12));
        BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(16), 10);
        webp[24] = (byte)(width - 1);
        webp[25] = (byte)((width - 1) >> 8);
        webp[26] = (byte)((width - 1) >> 16);
        webp[27] = (byte)(height - 1);
        webp[28] = (byte)((height - 1) >> 8);
        webp[29] = (byte)((height - 1) >> 16);
        return webp;
    }

    /// <summary>A real JPEG: the left half red, the right half blue (so a turn or a mirror shows).</summary>
    public static byte[] Jpeg(int width, int height, int quality = 90)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height, red);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>A real 12-megapixel phone-like JPEG (4032×3024) with detail in it, about 2–4 MB.</summary>
    public static byte[] PhoneJpeg()
    {
        using var bitmap = new SKBitmap(4032, 3024);
        var random = new Random(12);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SkyBlue);
            using var paint = new SKPaint { IsAntialias = true };
            for (var i = 0; i < 4000; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawCircle(random.Next(4032), random.Next(3024), random.Next(4, 60), paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 88);
        return data.ToArray();
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF APP1 segment right after its start: the orientation tag and a GPS position
    /// (31° 14′ 23.45″ N, the kind a child's phone writes), as cameras store them.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation = 1)
    {
        var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write(8u);
        // IFD0: orientation and the pointer to the GPS IFD.
        w.Write((ushort)2);
        w.Write((ushort)0x0112); w.Write((ushort)3); w.Write(1u); w.Write(orientation); w.Write((ushort)0);
        w.Write((ushort)0x8825); w.Write((ushort)4); w.Write(1u); w.Write(38u);
        w.Write(0u);
        // GPS IFD at 38: latitude ref "N" and latitude (three rationals at 68).
        w.Write((ushort)2);
        w.Write((ushort)0x0001); w.Write((ushort)2); w.Write(2u); w.Write("N\0\0\0"u8);
        w.Write((ushort)0x0002); w.Write((ushort)5); w.Write(3u); w.Write(68u);
        w.Write(0u);
        w.Write(31u); w.Write(1u); w.Write(14u); w.Write(1u); w.Write(2345u); w.Write(100u);
        w.Flush();
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff.ToArray()).ToArray();
        var result = new MemoryStream();
        result.Write(jpeg, 0, 2);
        result.Write([0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        result.Write(payload);
        result.Write(jpeg, 2, jpeg.Length - 2);
        return result.ToArray();
    }

    /// <summary>
    /// A decompression bomb: a valid PNG of <paramref name="width"/>×<paramref name="height"/> black pixels that
    /// compresses to a few hundred KB (7,000 × 7,000 unpacks to 147 MB); as 1-bit greyscale, to a few KB.
    /// </summary>
    public static byte[] PngBomb(int width, int height, bool oneBitGreyscale = false)
    {
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + (oneBitGreyscale ? (width + 7) / 8 : width * 3)];
            for (var y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = oneBitGreyscale ? (byte)1 : (byte)8; // bit depth
        header[9] = oneBitGreyscale ? (byte)0 : (byte)2; // greyscale or RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static byte[] NotAnImage() => Encoding.UTF8.GetBytes("<html><script>alert('this is not a photo')</script></html>");

    internal static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32(typeBytes.Concat(data).ToArray());
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        png.Write(crcBytes);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
