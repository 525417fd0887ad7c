using Microsoft.Extensions.DependencyInjection;
using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Graph;

/// <summary>Batching: a page of listings with their owners and first images costs the same few store reads whether it holds 5 listings or 50.</summary>
public sealed class GraphLoaderTests
{
    private const string Page = """
        query($n: Int!) {
          listings(market: "marketplace", first: $n) {
            nodes { id title price images(first: 1) { url } owner { id displayName ratings } }
          }
        }
        """;

    [Theory]
    [OnEachEngine]
    public async Task APageOfFiftyProductsWithOwnersCostsABoundedNumberOfReads(Engine engine)
    {
        CountingStore? store = null;
        using var app = new PairwiseApp(engine, new() { ["Pairwise:RateLimits:ListingBurst"] = "1000" }, services: CountingStore.Around(s => store = s));
        // Ten sellers with five products each; every product with a photo.
        for (var s = 0; s < 10; s++)
        {
            var seller = await Marketplace.SellerAsync(app);
            for (var p = 0; p < 5; p++)
            {
                var product = await Marketplace.ProductAsync(seller, title: $"Bike {s}-{p}");
                await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{product.GetProperty("id").GetString()}/images", Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
            }
        }
        var buyer = await app.SignUpAsync();
        // Reads in the background (the candidate index applying the new listings) are not the query's: let them finish.
        var changes = app.Services.GetRequiredService<Pairwise.Listings.ListingChanges>();
        for (var wait = 0; wait < 400 && changes.Pending > 0; wait++)
        {
            await Task.Delay(25);
        }

        var reads = new Dictionary<int, int>();
        var log = new Dictionary<int, string>();
        // Each size three times, keeping the fewest reads: what runs beside the query on its own clock (outbox
        // polls, jobs) may land inside one measurement on a busy machine; the query's own reads are the same every time.
        foreach (var size in new[] { 5, 5, 5, 50, 50, 50 })
        {
            var logged = store!.ReadLog.Count;
            var data = await Scenarios.Gql.DataAsync(buyer.Client, Page, new { n = size });
            // The outboxes poll their shards on their own clock; those reads are not the query's.
            var own = store.ReadLog.Skip(logged).Where(r => !new[] { " OUTBOX#", " PUSHOUT#", " SMSOUT#" }.Any(outbox => r.Contains(outbox, StringComparison.Ordinal))).ToList();
            if (!reads.TryGetValue(size, out var fewest) || own.Count < fewest)
            {
                reads[size] = own.Count;
                log[size] = string.Join(" | ", own);
            }
            var nodes = data.GetProperty("listings").GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(size, nodes.Count);
            Assert.All(nodes, n => Assert.False(string.IsNullOrEmpty(n.GetProperty("owner").GetProperty("displayName").GetString())));
            Assert.All(nodes, n => Assert.Single(n.GetProperty("images").EnumerateArray()));
        }
        // The session check, the browse index, one batch of listings, one batch of owners and a few reads of the request itself: not one per listing or owner.
        Assert.True(reads[50] <= 8, $"50 listings took {reads[50]} reads: {log[50]}");
        Assert.True(reads[50] <= reads[5] + 2, $"5 listings took {reads[5]} reads, 50 took {reads[50]}: {log[5]} || {log[50]}");
    }
}
