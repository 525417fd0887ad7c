using System.Security.Cryptography;
using Pairwise.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pairwise.Cli;

/// <summary>
/// Photos for seeded listings in markets that require them (a product needs one to be shown): a
/// small library of generated pictures, each put through the same pipeline as an upload and stored
/// once, that many listings show by reference.
/// </summary>
public sealed class DemoPhotos(IBlobStore blobs)
{
    public const int Count = 12;

    private IReadOnlyList<(ProcessedImage Photo, string Sha256, string Blob)>? _library;

    public async Task<IReadOnlyList<(ProcessedImage Photo, string Sha256, string Blob)>> LibraryAsync(CancellationToken cancellationToken)
    {
        if (_library is not null)
        {
            return _library;
        }
        var library = new List<(ProcessedImage, string, string)>();
        for (var n = 0; n < Count; n++)
        {
            var photo = ImagePipeline.Process(Generate(n))!;
            var blob = $"demo/photo-{n}";
            await ImagePipeline.PutAsync(blobs, blob, photo, cancellationToken);
            library.Add((photo, Convert.ToHexStringLower(SHA256.HashData(photo.Bytes)), blob));
        }
        return _library = library;
    }

    /// <summary>A soft two-colour gradient with a lighter disc, 1200 × 900, as a JPEG.</summary>
    private static byte[] Generate(int n)
    {
        var hue = n * 360f / Count;
        var from = FromHsv(hue, 0.45f, 0.85f);
        var to = FromHsv((hue + 40) % 360, 0.6f, 0.55f);
        using var image = new Image<Rgb24>(1200, 900);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var t = (x + y) / (float)(row.Length + rows.Height);
                    var disc = MathF.Max(0, 1 - (MathF.Pow(x - 700, 2) + MathF.Pow(y - 380, 2)) / (260f * 260f));
                    row[x] = new Rgb24(Mix(from.R, to.R, t, disc), Mix(from.G, to.G, t, disc), Mix(from.B, to.B, t, disc));
                }
            }
        });
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    private static byte Mix(byte a, byte b, float t, float light) => (byte)Math.Clamp((a + ((b - a) * t)) + ((255 - (a + ((b - a) * t))) * light * 0.6f), 0, 255);

    private static Rgb24 FromHsv(float hue, float saturation, float value)
    {
        var c = value * saturation;
        var x = c * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = value - c;
        var (r, g, b) = hue switch
        {
            < 60 => (c, x, 0f),
            < 120 => (x, c, 0f),
            < 180 => (0f, c, x),
            < 240 => (0f, x, c),
            < 300 => (x, 0f, c),
            _ => (c, 0f, x),
        };
        return new Rgb24((byte)((r + m) * 255), (byte)((g + m) * 255), (byte)((b + m) * 255));
    }
}
