using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Pairwise.Tests.Scenarios;

/// <summary>Photos as phones take them: a real JPEG of a given size that carries EXIF, with the GPS position of where it was taken.</summary>
public static class Photos
{
    public static readonly (double Lat, double Lon) Home = (22.2783, 114.1747);

    public static byte[] JpegWithGps(int width = 1200, int height = 900)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(180, 120, 60));
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "PhoneCo");
        exif.SetValue(ExifTag.Model, "Phone 12");
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, Degrees(Home.Lat));
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, Degrees(Home.Lon));
        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] bytes, string fileName = "IMG_0001.jpg") => Marketplace.ImageForm(bytes, fileName);

    private static Rational[] Degrees(double value)
    {
        var degrees = Math.Floor(value);
        var minutes = Math.Floor((value - degrees) * 60);
        var seconds = (value - degrees - (minutes / 60)) * 3600;
        return [new Rational((uint)degrees, 1), new Rational((uint)minutes, 1), new Rational((uint)Math.Round(seconds * 100), 100)];
    }
}
