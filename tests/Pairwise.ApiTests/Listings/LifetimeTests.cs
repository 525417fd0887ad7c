using Microsoft.Extensions.DependencyInjection;
using Pairwise.Listings;
using Pairwise.Storage;
using static Pairwise.Tests.Scenarios.Marketplace;

namespace Pairwise.Tests.Listings;

public sealed class LifetimeTests
{
    // Long-lived tokens so the test can move the clock by months without logging in again.
    private static PairwiseApp App(Engine engine, Dictionary<string, string?>? extra = null, string? dataDirectory = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pairwise:Tokens:AccessTokenLifetime"] = "400.00:00:00",
            ["Pairwise:Tokens:RefreshTokenLifetime"] = "400.00:00:00",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return new PairwiseApp(engine, settings, dataDirectory);
    }

    [Theory]
    [OnEachEngine]
    public async Task AnExpiredListingLeavesBrowseAndSavedListsAndIsPurgedFromStorage(Engine engine)
    {
        using var app = App(engine);
        var seller = await SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var product = await ProductAsync(seller, photo: false);
        var id = product.GetProperty("id").GetString()!;
        Assert.Equal(app.Clock.GetUtcNow().AddDays(60), product.GetProperty("expiresAt").GetDateTimeOffset());
        await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.jpg")), HttpStatusCode.Created);
        await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{id}", null), HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromDays(59));
        Assert.Equal([id], Ids(await BrowseAsync(buyer, Near(Central))));

        app.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Empty(Ids(await BrowseAsync(buyer, Near(Central))));
        Assert.Empty(Ids(await BrowseAsync(buyer, "tags=bikes")));
        Assert.Empty((await Expect.Json(await buyer.Client.GetAsync("/v1/bookmarks"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.NotFound);

        var store = app.Services.GetRequiredService<IItemStore>();
        Assert.NotNull(await store.GetAsync(ListingKeys.Listing(id)));
        Assert.Single(Directory.GetFiles(Path.Combine(app.DataDirectory, "blobs", "images")));

        var purged = await app.Services.GetRequiredService<ListingExpiryJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, purged);
        Assert.Null(await store.GetAsync(ListingKeys.Listing(id)));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "blobs", "images")));
    }

    [Fact]
    // The expiry job's first run walks 400 days of hourly buckets: instant on SQLite, ~50 s on DynamoDB Local (a known cost, see the notes).
    [Trait("Category", "SqliteOnly")]
    public async Task TheRunningServerPurgesExpiredListingsByItself()
    {
        string id;
        var data = TempFolder.Create("restart");
        DateTimeOffset created;
        using (var first = App(Engine.Sqlite, dataDirectory: data))
        {
            var seller = await SellerAsync(first);
            id = (await ProductAsync(seller)).GetProperty("id").GetString()!;
            created = first.Clock.GetUtcNow();
        }

        // The same data two months later, on a node that runs its periodic jobs.
        using var later = App(Engine.Sqlite, new() { ["Pairwise:BackgroundJobs"] = "true" }, data);
        later.Clock.SetUtcNow(created.AddDays(60).AddHours(1));
        var store = later.Services.GetRequiredService<IItemStore>();
        for (var wait = 0; wait < 200 && await store.GetAsync(ListingKeys.Listing(id)) is not null; wait++)
        {
            await Task.Delay(50);
        }

        Assert.Null(await store.GetAsync(ListingKeys.Listing(id)));
        TempFolder.Delete(data);
    }

    [Theory]
    [OnEachEngine]
    public async Task ThePurgeLeavesListingsThatHaveNotExpired(Engine engine)
    {
        using var app = App(engine);
        var seller = await SellerAsync(app);
        var old = (await ProductAsync(seller, "Old")).GetProperty("id").GetString()!;
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var newer = (await ProductAsync(seller, "Newer")).GetProperty("id").GetString()!;
        app.Clock.Advance(TimeSpan.FromDays(60) - TimeSpan.FromMinutes(10));

        var job = app.Services.GetRequiredService<ListingExpiryJob>();
        Assert.Equal(1, await job.RunOnceAsync(CancellationToken.None));
        Assert.Equal([newer], Ids(await BrowseAsync(seller, "")));

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await job.RunOnceAsync(CancellationToken.None));
        var store = app.Services.GetRequiredService<IItemStore>();
        Assert.Null(await store.GetAsync(ListingKeys.Listing(old)));
        Assert.Null(await store.GetAsync(ListingKeys.Listing(newer)));
    }

    [Theory]
    [OnEachEngine]
    public async Task SavedListingsAreNewestFirstAndIdempotent(Engine engine)
    {
        using var app = App(engine);
        var seller = await SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await ProductAsync(seller, $"P{i}")).GetProperty("id").GetString()!);
        }
        foreach (var id in ids)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{id}", null), HttpStatusCode.Created);
        }
        await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{ids[0]}", null), HttpStatusCode.OK);
        await Expect.Status(await buyer.Client.DeleteAsync($"/v1/bookmarks/{ids[2]}"), HttpStatusCode.NoContent);
        await Expect.Status(await buyer.Client.DeleteAsync($"/v1/bookmarks/{ids[2]}"), HttpStatusCode.NoContent);

        var first = await Expect.Json(await buyer.Client.GetAsync("/v1/bookmarks?limit=2"), HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Expect.Json(await buyer.Client.GetAsync($"/v1/bookmarks?limit=2&cursor={cursor}"), HttpStatusCode.OK);

        List<string?> Saved(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("listing").GetProperty("id").GetString())];
        Assert.Equal<string?>([ids[4], ids[3]], Saved(first));
        Assert.Equal<string?>([ids[1], ids[0]], Saved(second));
        await Expect.Problem(await buyer.Client.GetAsync("/v1/bookmarks?cursor=garbage"), HttpStatusCode.BadRequest);
        await Expect.Problem(await buyer.Client.PutAsync("/v1/bookmarks/lst_00000000000000000000000000000000", null), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task AnOperatorGrantsAPromotionAndNobodyElseCan(Engine engine)
    {
        using var app = App(engine, new() { ["Pairwise:Operators:0"] = "ops@example.com" });
        var seller = await SellerAsync(app);
        var id = (await ProductAsync(seller)).GetProperty("id").GetString();
        var operatorUser = await app.SignUpAsync("ops@example.com");

        await Expect.Problem(await seller.Client.PostAsJsonAsync($"/v1/operator/listings/{id}/promotion", new { hype = 80, boostDays = 7 }), HttpStatusCode.Forbidden);
        // Not an operator until the address is verified.
        await Expect.Problem(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/listings/{id}/promotion", new { hype = 80, boostDays = 7 }), HttpStatusCode.Forbidden);
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("ops@example.com") }), HttpStatusCode.OK);

        var promoted = await Expect.Json(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/listings/{id}/promotion", new { hype = 80, boostDays = 7 }), HttpStatusCode.OK);

        Assert.Equal(80, promoted.GetProperty("promotion").GetProperty("hype").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(7), promoted.GetProperty("promotion").GetProperty("boostUntil").GetDateTimeOffset());
        await Expect.Problem(await operatorUser.Client.PostAsJsonAsync($"/v1/operator/listings/{id}/promotion", new { hype = 101, boostDays = 7 }), HttpStatusCode.BadRequest);
    }
}
