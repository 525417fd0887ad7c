using System.Diagnostics;
using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Listings;

/// <summary>What becomes of an uploaded photo, and the market's rule that a product needs one.</summary>
public sealed class MediaTests
{
    [Theory]
    [OnEachEngine]
    public async Task APhonesPhotoIsStoredWithoutItsMetadataAndInTheSizesAppsAskFor(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var product = await Marketplace.ProductAsync(seller, photo: false);
        var original = Photos.JpegWithGps(1200, 900);
        Assert.NotEqual(-1, original.AsSpan().IndexOf("PhoneCo"u8));

        var uploaded = await Expect.Json(await seller.Client.PostAsync($"/v1/listings/{product.GetProperty("id").GetString()}/images", Photos.Form(original)), HttpStatusCode.Created);
        var image = uploaded.GetProperty("images")[0];
        var url = image.GetProperty("url").GetString()!;
        Assert.Equal($"{url}?w=320 320w, {url}?w=800 800w, {url} 1200w", image.GetProperty("srcset").GetString());

        foreach (var (query, width) in new[] { ("", 1200), ("?w=320", 320), ("?w=800", 800) })
        {
            var bytes = await app.CreateClient().GetByteArrayAsync(url + query);
            using var served = SixLabors.ImageSharp.Image.Load(bytes);
            Assert.Equal(width, served.Width);
            Assert.Null(served.Metadata.ExifProfile);
            Assert.Null(served.Metadata.XmpProfile);
            // Not a trace of the camera or the place in the bytes themselves.
            Assert.Equal(-1, bytes.AsSpan().IndexOf("Exif\0\0"u8));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("PhoneCo"u8));
        }
        await Expect.Problem(await app.CreateClient().GetAsync(url + "?w=500"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine]
    public async Task ADecompressionBombIsRefusedBeforeAnyPixelIsDecoded(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var product = await Marketplace.ProductAsync(seller, photo: false);
        var bomb = Png(40_000, 40_000);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var response = await seller.Client.PostAsync($"/v1/listings/{product.GetProperty("id").GetString()}/images", Marketplace.ImageForm(bomb, "bomb.png"));
        clock.Stop();
        await Expect.Problem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Refusing took {clock.Elapsed}.");
        // 40,000 × 40,000 pixels would be 6.4 GB; the whole request allocated a few megabytes at most.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 64 * 1024 * 1024);
    }

    [Theory]
    [OnEachEngine]
    public async Task AProductIsShownToOthersOnlyWithAPhotoAndTakesAtMostFive(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var product = await Marketplace.ProductAsync(seller, photo: false);
        var id = product.GetProperty("id").GetString()!;
        var images = $"/v1/listings/{id}/images";

        // No photo: the owner sees it; nobody else does, not even by its id or in a search.
        await Expect.Status(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);
        Assert.Empty(Marketplace.Ids(await Marketplace.BrowseAsync(buyer, "tags=bikes")));

        await Expect.Problem(await buyer.Client.PutAsync($"/v1/bookmarks/{id}", null), HttpStatusCode.NotFound);
        await Expect.Status(await seller.Client.PostAsync(images, Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        await Expect.Status(await buyer.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        Assert.Equal([id], Marketplace.Ids(await Marketplace.BrowseAsync(buyer, "tags=bikes")));
        await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{id}", null), HttpStatusCode.Created);

        for (var n = 2; n <= 5; n++)
        {
            await Expect.Status(await seller.Client.PostAsync(images, Marketplace.ImageForm(n % 2 == 0 ? "photo.png" : "photo.webp")), HttpStatusCode.Created);
        }
        var sixth = await Expect.Problem(await seller.Client.PostAsync(images, Marketplace.ImageForm("photo.jpg")), HttpStatusCode.BadRequest);
        Assert.True(sixth.GetProperty("errors").TryGetProperty("file", out _));

        // Every photo removed: hidden again.
        var listing = await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        foreach (var image in listing.GetProperty("images").EnumerateArray())
        {
            await Expect.Status(await seller.Client.DeleteAsync($"{images}/{image.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
        }
        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);
        Assert.Empty(Marketplace.Ids(await Marketplace.BrowseAsync(buyer, "tags=bikes")));
        Assert.Empty((await Expect.Json(await buyer.Client.GetAsync("/v1/bookmarks"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    /// <summary>A well-formed PNG that claims the given size (its pixel data is a few bytes).</summary>
    private static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 2, 0, 0, 0]);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        png.Write(BigEndian(data.Length));
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        png.Write(BigEndian(0)); // the checksum: read only by a decoder, which never gets this far
    }

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
