using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Profiles;

/// <summary>What others can check on a public profile: a photo, verified contacts, membership, reviews, and the verified-shop badge an operator grants.</summary>
public sealed class TrustTests
{
    [Theory]
    [OnEachEngine]
    public async Task EverySideCanHaveAPhotoStoredWithoutItsMetadata(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var set = await Expect.Json(await seller.Client.PutAsync("/v1/markets/marketplace/profiles/seller/photo", Photos.Form(Photos.JpegWithGps(1000, 1000))), HttpStatusCode.OK);
        var photo = set.GetProperty("photo");
        var url = photo.GetProperty("url").GetString()!;
        Assert.Contains($"{url}&w=320 320w", photo.GetProperty("srcset").GetString());
        var anonymous = app.CreateClient();
        using (var served = SixLabors.ImageSharp.Image.Load(await anonymous.GetByteArrayAsync(url)))
        {
            Assert.Equal(1000, served.Width);
            Assert.Null(served.Metadata.ExifProfile);
        }
        using (var small = SixLabors.ImageSharp.Image.Load(await anonymous.GetByteArrayAsync(url + "&w=320")))
        {
            Assert.Equal(320, small.Width);
        }
        // A new photo replaces the old one (whose address stops working).
        var again = await Expect.Json(await seller.Client.PutAsync("/v1/markets/marketplace/profiles/seller/photo", Photos.Form(Photos.JpegWithGps(640, 480))), HttpStatusCode.OK);
        Assert.NotEqual(url, again.GetProperty("photo").GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url + "&w=800")).StatusCode);
        await Expect.Problem(await seller.Client.PutAsync("/v1/markets/marketplace/profiles/seller/photo", Marketplace.ImageForm("fake.jpg")), HttpStatusCode.UnsupportedMediaType);
        await Expect.Problem(await seller.Client.PutAsync("/v1/markets/venture/profiles/startup/photo", Photos.Form(Photos.JpegWithGps(400, 300))), HttpStatusCode.NotFound);
        await Expect.Status(await seller.Client.DeleteAsync("/v1/markets/marketplace/profiles/seller/photo"), HttpStatusCode.NoContent);
        var profile = await Expect.Json(await seller.Client.GetAsync("/v1/markets/marketplace/profiles/seller/me"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("photo").ValueKind);
    }

    [Theory]
    [OnEachEngine]
    public async Task AShopIsShownVerifiedOnlyOnceAnOperatorApprovesItsRegistration(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Operators:0"] = "ops@example.com" });
        var operatorUser = await app.SignUpAsync("ops@example.com");
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("ops@example.com") }), HttpStatusCode.OK);
        var seller = await Marketplace.SellerAsync(app);
        var profileId = (await Expect.Json(await seller.Client.GetAsync("/v1/markets/marketplace/profiles/seller/me"), HttpStatusCode.OK)).GetProperty("id").GetString();
        var buyer = await app.SignUpAsync();

        var trust = await TrustAsync(buyer, profileId!);
        Assert.False(trust.GetProperty("emailVerified").GetBoolean());
        Assert.False(trust.GetProperty("verifiedShop").GetBoolean());
        await Expect.Status(await seller.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode(seller.Email) }), HttpStatusCode.OK);
        Assert.True((await TrustAsync(buyer, profileId!)).GetProperty("emailVerified").GetBoolean());

        var request = await Expect.Json(await seller.Client.PostAsync("/v1/me/shop-verification", Document("CR 1234567")), HttpStatusCode.Created);
        Assert.Equal("pending", request.GetProperty("state").GetString());
        var id = request.GetProperty("id").GetString()!;
        await Expect.Problem(await seller.Client.PostAsync("/v1/me/shop-verification", Document("x")), HttpStatusCode.BadRequest);
        await Expect.Problem(await seller.Client.PostAsync($"/v1/operator/shop-verifications/{id}/approve", null), HttpStatusCode.Forbidden);
        Assert.False((await TrustAsync(buyer, profileId!)).GetProperty("verifiedShop").GetBoolean());

        var pending = await Expect.Json(await operatorUser.Client.GetAsync("/v1/operator/shop-verifications"), HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(pending.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await operatorUser.Client.GetAsync($"/v1/operator/shop-verifications/{id}/document")).StatusCode);
        Assert.Equal("approved", (await Expect.Json(await operatorUser.Client.PostAsync($"/v1/operator/shop-verifications/{id}/approve", null), HttpStatusCode.OK))
            .GetProperty("state").GetString());
        await Expect.Problem(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/shop-verifications/{id}/reject", new { reason = "changed my mind" }), HttpStatusCode.Conflict);
        Assert.True((await TrustAsync(buyer, profileId!)).GetProperty("verifiedShop").GetBoolean());
        Assert.True((await Expect.Json(await seller.Client.GetAsync("/v1/me"), HttpStatusCode.OK)).GetProperty("verifiedShop").GetBoolean());

        // Another shop, rejected: no badge.
        var other = await Marketplace.SellerAsync(app);
        var otherProfile = (await Expect.Json(await other.Client.GetAsync("/v1/markets/marketplace/profiles/seller/me"), HttpStatusCode.OK)).GetProperty("id").GetString();
        var second = (await Expect.Json(await other.Client.PostAsync("/v1/me/shop-verification", Document("HK-998877")), HttpStatusCode.Created)).GetProperty("id").GetString();
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/shop-verifications/{second}/reject", new { reason = "Unreadable." }), HttpStatusCode.OK);
        Assert.False((await TrustAsync(buyer, otherProfile!)).GetProperty("verifiedShop").GetBoolean());
        Assert.Empty((await Expect.Json(await operatorUser.Client.GetAsync("/v1/operator/shop-verifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    private static async Task<JsonElement> TrustAsync(UserSession viewer, string profileId) =>
        (await Expect.Json(await viewer.Client.GetAsync($"/v1/profiles/{profileId}"), HttpStatusCode.OK)).GetProperty("trust");

    private static MultipartFormDataContent Document(string registrationNumber)
    {
        var form = Photos.Form(Photos.JpegWithGps(800, 600), "certificate.jpg");
        form.Add(new StringContent(registrationNumber), "registrationNumber");
        return form;
    }
}
