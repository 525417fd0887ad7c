using System.Buffers.Binary;

namespace Pairwise.Storage;

/// <summary>
/// Recognises PNG, JPEG and WebP by their bytes, never by the file name, and reads their
/// dimensions from the headers. A file that claims a format but whose structure does not hold
/// (bad signature, missing header, truncated end) is refused.
/// </summary>
public static class ImageInspector
{
    // What every viewer's device decodes: a 16-megapixel image is 64 MB of pixels, a 6 KB PNG can claim far more.
    public const int MaxDimension = 8_192;
    public const long MaxPixels = 16_777_216;

    public readonly record struct ImageInfo(string ContentType, int Width, int Height);

    public static ImageInfo? Inspect(ReadOnlySpan<byte> data)
    {
        var info = Png(data) ?? Jpeg(data) ?? WebP(data);
        return info is { } image && image.Width is > 0 and <= MaxDimension && image.Height is > 0 and <= MaxDimension
            && (long)image.Width * image.Height <= MaxPixels
            ? image
            : null;
    }

    private static ImageInfo? Png(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        ReadOnlySpan<byte> end = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];
        if (data.Length < 45 || !data.StartsWith(signature) || !data[12..16].SequenceEqual("IHDR"u8) || !data.EndsWith(end))
        {
            return null;
        }
        return new ImageInfo("image/png", (int)BinaryPrimitives.ReadUInt32BigEndian(data[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
    }

    private static ImageInfo? Jpeg(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF || data[^2] != 0xFF || data[^1] != 0xD9)
        {
            return null;
        }
        var position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                return null;
            }
            var marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length)
            {
                return null;
            }
            // Start-of-frame markers carry the dimensions (C4 DHT, C8 JPG and CC DAC are not frames).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 7)
                {
                    return null;
                }
                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 7)..]);
                return new ImageInfo("image/jpeg", width, height);
            }
            if (marker == 0xDA)
            {
                return null; // image data before any frame header
            }
            position += 2 + length;
        }
        return null;
    }

    private static ImageInfo? WebP(ReadOnlySpan<byte> data)
    {
        if (data.Length < 30 || !data[..4].SequenceEqual("RIFF"u8) || !data[8..12].SequenceEqual("WEBP"u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8 != data.Length)
        {
            return null;
        }
        var chunk = data[12..16];
        var body = data[20..];
        if (chunk.SequenceEqual("VP8 "u8) && body.Length >= 10 && body[3] == 0x9D && body[4] == 0x01 && body[5] == 0x2A)
        {
            return new ImageInfo("image/webp", BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF);
        }
        if (chunk.SequenceEqual("VP8L"u8) && body.Length >= 5 && body[0] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            return new ImageInfo("image/webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8) && body.Length >= 10)
        {
            var width = body[4] | (body[5] << 8) | (body[6] << 16);
            var height = body[7] | (body[8] << 8) | (body[9] << 16);
            return new ImageInfo("image/webp", width + 1, height + 1);
        }
        return null;
    }
}
