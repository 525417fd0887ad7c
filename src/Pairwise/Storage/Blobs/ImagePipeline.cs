using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Processing;

namespace Pairwise.Storage;

/// <summary>An uploaded image made safe to serve: re-encoded without any metadata, turned upright, and its narrower copies.</summary>
public sealed record ProcessedImage(string ContentType, int Width, int Height, byte[] Bytes, IReadOnlyList<ImageVariant> Variants)
{
    public IReadOnlyList<int> Widths => [.. Variants.Select(v => v.Width)];
}

public sealed record ImageVariant(int Width, byte[] Bytes);

/// <summary>
/// Every uploaded image (a listing's, a profile's, a shop's document) goes through here before it
/// is stored. The header is read first and an image too large to decode safely is refused before
/// any pixel is decoded (a 6 KB PNG can claim 40,000 × 40,000 pixels); then the image is decoded
/// (so only real images pass), turned upright by its EXIF orientation, stripped of all metadata
/// (EXIF with a phone's GPS position, IPTC, XMP, ICC, text chunks), re-encoded in its own format,
/// and copied at the widths the apps ask for (<see cref="Widths"/>, never wider than the original).
/// </summary>
public static class ImagePipeline
{
    public static readonly IReadOnlyList<int> Widths = [320, 800, 1600];

    /// <summary>Null when the bytes are not a PNG, JPEG or WebP image within the size limits.</summary>
    public static ProcessedImage? Process(byte[] upload)
    {
        if (ImageInspector.Inspect(upload) is not { } header)
        {
            return null;
        }
        try
        {
            using var image = Image.Load(upload, out IImageFormat format);
            if (!format.DefaultMimeType.Equals(header.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            image.Mutate(x => x.AutoOrient());
            Strip(image.Metadata);
            foreach (var frame in image.Frames)
            {
                Strip(frame.Metadata);
            }
            var variants = new List<ImageVariant>();
            foreach (var width in Widths.Where(w => w < image.Width))
            {
                using var smaller = image.Clone(x => x.Resize(new ResizeOptions { Size = new Size(width, 0), Mode = ResizeMode.Max }));
                variants.Add(new ImageVariant(width, Encode(smaller, header.ContentType)));
            }
            return new ProcessedImage(header.ContentType, image.Width, image.Height, Encode(image, header.ContentType), variants);
        }
        catch (Exception e) when (e is ImageFormatException or UnknownImageFormatException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The blob key of one width of an image (the full size when <paramref name="width"/> is null).</summary>
    public static string Key(string baseKey, int? width) => width is { } w ? $"{baseKey}-w{w}" : baseKey;

    /// <summary>Stores every size; when any fails, none stays behind.</summary>
    public static async Task PutAsync(IBlobStore blobs, string baseKey, ProcessedImage image, CancellationToken cancellationToken)
    {
        try
        {
            await blobs.PutAsync(baseKey, image.Bytes, image.ContentType, cancellationToken);
            foreach (var variant in image.Variants)
            {
                await blobs.PutAsync(Key(baseKey, variant.Width), variant.Bytes, image.ContentType, cancellationToken);
            }
        }
        catch
        {
            await DeleteQuietlyAsync(blobs, baseKey);
            throw;
        }
    }

    /// <summary>Deletes every size of an image.</summary>
    public static async Task DeleteAsync(IBlobStore blobs, string baseKey, CancellationToken cancellationToken)
    {
        await blobs.DeleteAsync(baseKey, cancellationToken);
        foreach (var width in Widths)
        {
            await blobs.DeleteAsync(Key(baseKey, width), cancellationToken);
        }
    }

    private static async Task DeleteQuietlyAsync(IBlobStore blobs, string baseKey)
    {
        try
        {
            await DeleteAsync(blobs, baseKey, CancellationToken.None);
        }
        catch (Platform.DependencyUnavailableException)
        {
            // The storage is away: nothing was recorded, so what it may hold is unreachable and harmless.
        }
    }

    private static void Strip(ImageMetadata metadata)
    {
        metadata.ExifProfile = null;
        metadata.IccProfile = null;
        metadata.IptcProfile = null;
        metadata.XmpProfile = null;
        metadata.GetPngMetadata().TextData.Clear();
    }

    private static void Strip(ImageFrameMetadata metadata)
    {
        metadata.ExifProfile = null;
        metadata.IccProfile = null;
        metadata.IptcProfile = null;
        metadata.XmpProfile = null;
    }

    private static byte[] Encode(Image image, string contentType)
    {
        using var output = new MemoryStream();
        IImageEncoder encoder = contentType switch
        {
            "image/png" => new PngEncoder(),
            "image/webp" => new WebpEncoder { Quality = 80 },
            _ => new JpegEncoder { Quality = 85 },
        };
        image.Save(output, encoder);
        return output.ToArray();
    }
}
