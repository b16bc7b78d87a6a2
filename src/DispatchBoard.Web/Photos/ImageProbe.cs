using System.Buffers.Binary;

namespace DispatchBoard.Web.Photos;

public sealed record ImageInfo(string ContentType, string Extension, int Width, int Height);

/// <summary>
/// Tells what an uploaded file really is from its bytes (never its name) and reads its size in pixels from the header:
/// JPEG, PNG and WebP. Anything else, or a header that does not make sense, is not an image we take.
/// </summary>
public static class ImageProbe
{
    public static ImageInfo? Probe(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 24 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            && data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return Sized("image/png", ".png", BinaryPrimitives.ReadInt32BigEndian(data.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(data.Slice(20, 4)));
        }
        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return Jpeg(data);
        }
        if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return WebP(data);
        }
        return null;
    }

    private static ImageInfo? Sized(string type, string extension, int width, int height) =>
        width > 0 && height > 0 ? new ImageInfo(type, extension, width, height) : null;

    private static ImageInfo? Jpeg(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 9 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }
            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i + 2, 2));
            // Start-of-frame markers carry the size; C4 (Huffman), C8 and CC (arithmetic coding) do not.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return Sized("image/jpeg", ".jpg", BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i + 7, 2)),
                    BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i + 5, 2)));
            }
            if (length < 2)
            {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageInfo? WebP(ReadOnlySpan<byte> data)
    {
        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8) && data[23] == 0x9D && data[24] == 0x01 && data[25] == 0x2A)
        {
            return Sized("image/webp", ".webp", BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(26, 2)) & 0x3FFF,
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2)) & 0x3FFF);
        }
        if (chunk.SequenceEqual("VP8L"u8) && data[20] == 0x2F)
        {
            int b1 = data[21], b2 = data[22], b3 = data[23], b4 = data[24];
            return Sized("image/webp", ".webp", 1 + (((b2 & 0x3F) << 8) | b1), 1 + (((b4 & 0x0F) << 10) | (b3 << 2) | ((b2 & 0xC0) >> 6)));
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return Sized("image/webp", ".webp", 1 + (data[24] | (data[25] << 8) | (data[26] << 16)), 1 + (data[27] | (data[28] << 8) | (data[29] << 16)));
        }
        return null;
    }
}
