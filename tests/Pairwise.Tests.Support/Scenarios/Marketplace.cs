using System.Net.Http.Headers;

namespace Pairwise.Tests.Scenarios;

/// <summary>Fixtures for listing tests: sellers, products, images, places in Hong Kong.</summary>
public static class Marketplace
{
    public static readonly (double Lat, double Lon) Central = (22.2819, 114.1582);
    public static readonly (double Lat, double Lon) NearCentral = (22.2850, 114.1600); // ~0.4 km away
    public static readonly (double Lat, double Lon) TuenMun = (22.3908, 113.9725);      // ~22 km away

    public static async Task<UserSession> SellerAsync(PairwiseApp app)
    {
        var seller = await app.SignUpAsync();
        await Expect.Status(await seller.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Bike Corner" } }), HttpStatusCode.Created);
        return seller;
    }

    /// <summary>A product with a photo (the marketplace shows products to others only once they have one), unless <paramref name="photo"/> is false.</summary>
    public static async Task<JsonElement> ProductAsync(UserSession seller, string title = "Road bike", decimal price = 300, string condition = "used",
        string[]? tags = null, (double Lat, double Lon)? at = null, string? status = null, bool photo = true, string? category = null, string description = "Well kept.")
    {
        var location = at ?? Central;
        var attributes = new Dictionary<string, object> { ["condition"] = condition, ["localPickup"] = true };
        if (category is not null)
        {
            attributes["category"] = category;
        }
        var response = await seller.Client.PostAsJsonAsync("/v1/markets/marketplace/listings", new
        {
            title,
            description,
            price,
            tags = tags ?? ["bikes", "outdoor"],
            location = new { lat = location.Lat, lon = location.Lon },
            attributes,
            status,
        });
        var product = await Expect.Json(response, HttpStatusCode.Created);
        if (!photo)
        {
            return product;
        }
        var upload = await seller.Client.PostAsync($"/v1/listings/{product.GetProperty("id").GetString()}/images", ImageForm("photo.jpg"));
        return await Expect.Json(upload, HttpStatusCode.Created);
    }

    public static MultipartFormDataContent ImageForm(string fixture, string? fileName = null)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        return ImageForm(bytes, fileName ?? fixture);
    }

    public static MultipartFormDataContent ImageForm(byte[] bytes, string fileName)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    public static async Task<JsonElement> BrowseAsync(UserSession user, string query) =>
        await Expect.Json(await user.Client.GetAsync($"/v1/markets/marketplace/listings?{query}"), HttpStatusCode.OK);

    /// <summary>A buyer in Central who looks within <paramref name="radiusKm"/>.</summary>
    public static async Task<UserSession> BuyerAsync(PairwiseApp app, int radiusKm = 10)
    {
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = Central.Lat, lon = Central.Lon } },
            preferences = new { radiusKm },
        }), HttpStatusCode.Created);
        return buyer;
    }

    public static List<string?> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())];

    public static string Near((double Lat, double Lon) at) => $"near={at.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)},{at.Lon.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
