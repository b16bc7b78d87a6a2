using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

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
