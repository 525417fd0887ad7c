using static Pairwise.Tests.Scenarios.Marketplace;

namespace Pairwise.Tests.Listings;

public sealed class ListingTests
{
    [Theory]
    [OnEachEngine]
    public async Task ASellersProductWithThreeImagesIsFoundNearbyAndNotFarAway(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var product = await ProductAsync(seller, tags: ["Road Bikes", "vintage"], photo: false);
        var id = product.GetProperty("id").GetString();
        foreach (var fixture in new[] { "photo.jpg", "photo.png", "photo.webp" })
        {
            await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm(fixture)), HttpStatusCode.Created);
        }

        var near = await BrowseAsync(buyer, $"{Near(NearCentral)}&radiusKm=2");
        var far = await BrowseAsync(buyer, $"{Near(TuenMun)}&radiusKm=5");

        var found = Assert.Single(near.GetProperty("items").EnumerateArray());
        Assert.Equal(id, found.GetProperty("id").GetString());
        Assert.Equal(3, found.GetProperty("images").GetArrayLength());
        Assert.Equal(["image/jpeg", "image/png", "image/webp"], found.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("contentType").GetString()));
        Assert.Equal(["road-bikes", "vintage"], found.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.InRange(found.GetProperty("distanceKm").GetDouble(), 0.2, 0.6);
        Assert.Empty(far.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task FiltersByTagPriceAndConditionCombine(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var cheapUsedBike = (await ProductAsync(seller, "Cheap bike", 100, "used", ["bikes"])).GetProperty("id").GetString();
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var dearNewBike = (await ProductAsync(seller, "Dear bike", 900, "new", ["bikes"])).GetProperty("id").GetString();
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var cheapUsedLamp = (await ProductAsync(seller, "Lamp", 80, "used", ["home"])).GetProperty("id").GetString();

        Assert.Equal([dearNewBike, cheapUsedBike], Ids(await BrowseAsync(seller, "tags=bikes")));
        Assert.Equal([cheapUsedLamp, cheapUsedBike], Ids(await BrowseAsync(seller, "maxPrice=150")));
        Assert.Equal([dearNewBike], Ids(await BrowseAsync(seller, "condition=new")));
        Assert.Equal([cheapUsedBike], Ids(await BrowseAsync(seller, $"tags=bikes&condition=used&minPrice=50&maxPrice=500&{Near(Central)}&radiusKm=1")));
        Assert.Empty(Ids(await BrowseAsync(seller, "tags=bikes,home")));
    }

    [Theory]
    [OnEachEngine]
    public async Task BrowsePagesNewestFirstWithoutRepeats(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var created = new List<string?>();
        for (var i = 0; i < 45; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            created.Add((await ProductAsync(seller, $"Item {i}")).GetProperty("id").GetString());
        }

        var seen = new List<string?>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await BrowseAsync(seller, $"limit=20&{Near(Central)}" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Theory]
    [OnEachEngine("near=abc", "near")]
    [OnEachEngine("near=91,10", "near")]
    [OnEachEngine("radiusKm=5", "radiusKm")]
    [OnEachEngine("near=22.3,114.1&radiusKm=-1", "radiusKm")]
    [OnEachEngine("limit=0", "limit")]
    [OnEachEngine("limit=1000", "limit")]
    [OnEachEngine("minPrice=10&maxPrice=5", "minPrice")]
    [OnEachEngine("minPrice=cheap", "minPrice")]
    [OnEachEngine("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [OnEachEngine("colour=red", "colour")]
    [OnEachEngine("tags=" + "x", null)]
    public async Task ABadFilterIsA400NamingIt(Engine engine, string query, string? field)
    {
        using var app = new PairwiseApp(engine);
        var user = await app.SignUpAsync();
        var response = await user.Client.GetAsync($"/v1/markets/marketplace/listings?{query}");
        if (field is null)
        {
            await Expect.Status(response, HttpStatusCode.OK);
            return;
        }
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AFileNamedJpgThatIsNotAnImageIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();

        var problem = await Expect.Problem(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("fake.jpg")), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("not a PNG, JPEG or WebP", problem.GetProperty("detail").GetString());

        var truncated = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "photo.jpg"))[..200];
        await Expect.Problem(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm(truncated, "cut.jpg")), HttpStatusCode.UnsupportedMediaType);
        var png = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "photo.png"));
        await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm(png, "actually-a-png.jpg")), HttpStatusCode.Created);
    }

    [Theory]
    [OnEachEngine]
    public async Task ASixthImageIsRefused(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller, photo: false)).GetProperty("id").GetString();
        for (var i = 0; i < 5; i++)
        {
            await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("lossless.webp")), HttpStatusCode.Created);
        }

        var problem = await Expect.Problem(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.png")), HttpStatusCode.BadRequest);

        Assert.Contains("at most 5", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task ImagesAreServedImmutableReorderedAndRemoved(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller, photo: false)).GetProperty("id").GetString();
        await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.jpg"));
        var listing = await Expect.Json(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.png")), HttpStatusCode.Created);
        var images = listing.GetProperty("images").EnumerateArray().Select(i => (Id: i.GetProperty("id").GetString()!, Url: i.GetProperty("url").GetString()!)).ToList();

        var served = await app.CreateClient().GetAsync(images[1].Url);
        await Expect.Status(served, HttpStatusCode.OK);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        // The same picture, re-encoded (metadata stripped): same format and size.
        using (var original = SixLabors.ImageSharp.Image.Load(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "photo.png"))))
        using (var stored = SixLabors.ImageSharp.Image.Load(await served.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((original.Width, original.Height), (stored.Width, stored.Height));
        }
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString());
        var again = new HttpRequestMessage(HttpMethod.Get, images[1].Url);
        again.Headers.IfNoneMatch.Add(served.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await app.CreateClient().SendAsync(again)).StatusCode);

        var reordered = await Expect.Json(await seller.Client.PutAsJsonAsync($"/v1/listings/{id}/images/order", new { imageIds = new[] { images[1].Id, images[0].Id } }), HttpStatusCode.OK);
        Assert.Equal(images[1].Id, reordered.GetProperty("images")[0].GetProperty("id").GetString());
        await Expect.Problem(await seller.Client.PutAsJsonAsync($"/v1/listings/{id}/images/order", new { imageIds = new[] { images[1].Id } }), HttpStatusCode.BadRequest);

        await Expect.Status(await seller.Client.DeleteAsync($"/v1/listings/{id}/images/{images[0].Id}"), HttpStatusCode.NoContent);
        await Expect.Problem(await app.CreateClient().GetAsync(images[0].Url), HttpStatusCode.NotFound);
        var after = await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        Assert.Equal(1, after.GetProperty("images").GetArrayLength());
    }

    [Theory]
    [OnEachEngine]
    public async Task AStrangerCannotChangeDeleteOrAddImagesToMyListing(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var stranger = await SellerAsync(app);
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();

        await Expect.Problem(await stranger.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { title = "Mine now" }), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.DeleteAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);
        await Expect.Problem(await stranger.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.png")), HttpStatusCode.NotFound);

        var unchanged = await Expect.Json(await stranger.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        Assert.Equal("Road bike", unchanged.GetProperty("title").GetString());
        Assert.Equal(1, unchanged.GetProperty("images").GetArrayLength());
    }

    [Theory]
    [OnEachEngine]
    public async Task DraftsAreSeenOnlyByTheirOwner(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var stranger = await app.SignUpAsync();
        var draft = (await ProductAsync(seller, "Secret", status: "draft")).GetProperty("id").GetString();

        await Expect.Problem(await stranger.Client.GetAsync($"/v1/listings/{draft}"), HttpStatusCode.NotFound);
        Assert.Empty(Ids(await BrowseAsync(stranger, "")));
        await Expect.Problem(await stranger.Client.PutAsync($"/v1/bookmarks/{draft}", null), HttpStatusCode.NotFound);
        await Expect.Status(await seller.Client.GetAsync($"/v1/listings/{draft}"), HttpStatusCode.OK);
        var mine = await Expect.Json(await seller.Client.GetAsync("/v1/me/listings"), HttpStatusCode.OK);
        Assert.Equal([draft], Ids(mine));

        await Expect.Status(await seller.Client.PatchAsJsonAsync($"/v1/listings/{draft}", new { status = "active" }), HttpStatusCode.OK);

        Assert.Equal([draft], Ids(await BrowseAsync(stranger, "")));
    }

    [Theory]
    [OnEachEngine]
    public async Task AStaleIfMatchIsAPreconditionFailure(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();
        var read = await seller.Client.GetAsync($"/v1/listings/{id}");
        var etag = read.Headers.ETag!;

        var first = new HttpRequestMessage(HttpMethod.Patch, $"/v1/listings/{id}") { Content = JsonContent.Create(new { price = 250 }) };
        first.Headers.IfMatch.Add(etag);
        await Expect.Status(await seller.Client.SendAsync(first), HttpStatusCode.OK);
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/v1/listings/{id}") { Content = JsonContent.Create(new { price = 200 }) };
        stale.Headers.IfMatch.Add(etag);

        await Expect.Problem(await seller.Client.SendAsync(stale), HttpStatusCode.PreconditionFailed);
        var current = await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        Assert.Equal(250, current.GetProperty("price").GetDecimal());
    }

    [Theory]
    [OnEachEngine]
    public async Task AttributesMergeAndAreValidatedOnUpdate(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();

        var updated = await Expect.Json(await seller.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { attributes = new { localPickup = false } }), HttpStatusCode.OK);
        Assert.Equal("used", updated.GetProperty("attributes").GetProperty("condition").GetString());
        Assert.False(updated.GetProperty("attributes").GetProperty("localPickup").GetBoolean());

        var problem = await Expect.Problem(await seller.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { attributes = new { condition = "mint" } }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("attributes.condition", out _));
        await Expect.Problem(await seller.Client.PatchAsync($"/v1/listings/{id}", new StringContent("{\"attributes\":{\"condition\":null}}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEachEngine]
    public async Task AJobMovesForwardThroughItsLifecycleAndLeavesBrowseWhenClosed(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var employer = await app.SignUpAsync();
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { attributes = new { companyName = "ABC Restaurant" } }), HttpStatusCode.Created);
        var job = await Expect.Json(await employer.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new
        {
            title = "急需侍應",
            description = "繁忙餐廳需要有經驗服務員，晚市 18:00-22:00",
            price = 120,
            location = new { lat = 22.2819, lon = 114.1582, district = "Central" },
            attributes = new { district = "Central", hourlyRate = 120, durationHours = 4, startTime = "18:00", endTime = "22:00" },
        }), HttpStatusCode.Created);
        var id = job.GetProperty("id").GetString();
        Assert.Equal("matching", job.GetProperty("status").GetString());
        Assert.Single(Ids(await Expect.Json(await employer.Client.GetAsync("/v1/markets/gigs/listings"), HttpStatusCode.OK)));

        await Expect.Status(await employer.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { status = "closed" }), HttpStatusCode.OK);
        Assert.Empty(Ids(await Expect.Json(await employer.Client.GetAsync("/v1/markets/gigs/listings"), HttpStatusCode.OK)));
        var backwards = await Expect.Problem(await employer.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { status = "matching" }), HttpStatusCode.BadRequest);
        Assert.Contains("matching → closed → completed", backwards.GetProperty("errors").GetProperty("status")[0].GetString());
        await Expect.Status(await employer.Client.PatchAsJsonAsync($"/v1/listings/{id}", new { status = "completed" }), HttpStatusCode.OK);
    }

    [Theory]
    [OnEachEngine]
    public async Task OnlySidesThatOwnListingsCanCreateThem(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { preferences = new { radiusKm = 5 } }), HttpStatusCode.Created);

        await Expect.Problem(await buyer.Client.PostAsJsonAsync("/v1/markets/marketplace/listings", new { side = "buyer", title = "x", attributes = new { } }), HttpStatusCode.Conflict);
        await Expect.Problem(await buyer.Client.PostAsJsonAsync("/v1/markets/marketplace/listings", new { title = "x", attributes = new { condition = "new" } }), HttpStatusCode.Conflict);
        await Expect.Problem(await buyer.Client.PostAsJsonAsync("/v1/markets/nowhere/listings", new { title = "x" }), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task AnInvalidListingNamesEachBadField(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var problem = await Expect.Problem(await seller.Client.PostAsJsonAsync("/v1/markets/marketplace/listings", new
        {
            title = " ",
            price = -1,
            location = new { lat = 100, lon = 0 },
            tags = Enumerable.Range(0, 21).Select(i => $"t{i}"),
            attributes = new { condition = "broken" },
        }), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "title", "price", "location", "tags", "attributes.condition" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing from {errors}");
        }
    }

    [Theory]
    [OnEachEngine]
    public async Task ADeletedListingIsGoneEverywhere(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();
        var image = await Expect.Json(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.jpg")), HttpStatusCode.Created);
        var imageUrl = image.GetProperty("images")[0].GetProperty("url").GetString();
        await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{id}", null), HttpStatusCode.Created);

        await Expect.Status(await seller.Client.DeleteAsync($"/v1/listings/{id}"), HttpStatusCode.NoContent);

        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);
        Assert.Empty(Ids(await BrowseAsync(buyer, "")));
        Assert.Empty((await Expect.Json(await buyer.Client.GetAsync("/v1/bookmarks"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Problem(await app.CreateClient().GetAsync(imageUrl), HttpStatusCode.NotFound);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "blobs", "images")));
    }
}
