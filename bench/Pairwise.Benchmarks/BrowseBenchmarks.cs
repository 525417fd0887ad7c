using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Storage;

namespace Pairwise.Benchmarks;

/// <summary>
/// Browse over 100,000 live products in one market, spread over Hong Kong, on the SQLite engine.
/// The baseline is the cheapest page there is: the newest 20 with no filter (one index range read).
/// The others are what buyers ask for: near a point, within a radius, under a price, in a condition,
/// with a tag. Each measures what the endpoint does: the index scan and the read of the 20 listings.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class BrowseBenchmarks
{
    public const int Listings = 100_000;
    private static readonly string[] Tags = [.. Enumerable.Range(0, 30).Select(i => $"tag{i}")];
    private static readonly string[] Conditions = ["new", "used", "notSpecified"];
    private static readonly GeoPoint Central = new(22.2819, 114.1582);

    private SqliteItemStore _store = null!;
    private ListingStore _listings = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pairwise-bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"browse-{Listings}.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var markets = MarketCatalog.Load([Path.Combine(AppContext.BaseDirectory, "markets")]);
        var fresh = !File.Exists(path);
        _store = new SqliteItemStore(path, clock);
        _listings = new ListingStore(_store, markets, new Pairwise.Listings.ListingChanges(), clock);
        if (fresh)
        {
            Seed(clock).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    private async Task Seed(FakeTimeProvider clock)
    {
        var random = new Random(42);
        var batch = new List<WriteOperation>();
        for (var i = 0; i < Listings; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var listing = new ListingRecord
            {
                Id = Pairwise.Platform.Ids.New(Pairwise.Platform.Ids.Listing, clock),
                Market = "marketplace",
                Side = "seller",
                OwnerProfileId = $"prf_{random.Next(5000):x32}",
                OwnerUserId = $"usr_{random.Next(5000):x32}",
                Title = $"Product {i}",
                Attributes = new() { ["condition"] = System.Text.Json.JsonSerializer.SerializeToElement(Conditions[random.Next(3)]) },
                Tags = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Tags[random.Next(Tags.Length)]).Distinct()],
                Price = random.Next(10, 2000),
                Location = new ListingLocation(22.20 + random.NextDouble() * 0.30, 113.90 + random.NextDouble() * 0.40),
                Status = "active",
                CreatedAt = clock.GetUtcNow(),
                UpdatedAt = clock.GetUtcNow(),
                ExpiresAt = clock.GetUtcNow().AddYears(5),
            };
            var operations = _listings.CreateOperations(listing);
            if (batch.Count + operations.Count > StoreRules.MaxTransactionOperations)
            {
                await _store.TransactAsync(batch);
                batch.Clear();
            }
            batch.AddRange(operations);
        }
        await _store.TransactAsync(batch);
    }

    private async Task<int> PageAsync(BrowseFilter filter)
    {
        var (hits, _) = await _listings.BrowseAsync(filter, CancellationToken.None);
        var records = await _listings.GetManyAsync([.. hits.Select(h => h.Projection.Id)], CancellationToken.None);
        return records.Count;
    }

    [Benchmark(Baseline = true, Description = "newest 20, no filter")]
    public Task<int> Newest() => PageAsync(new BrowseFilter { Market = "marketplace" });

    [Benchmark(Description = "within 2 km, price ≤ 500, used")]
    public Task<int> NearCheapUsed() => PageAsync(new BrowseFilter { Market = "marketplace", Near = Central, RadiusKm = 2, MaxPrice = 500, Condition = "used" });

    [Benchmark(Description = "within 5 km, tag, 100–800")]
    public Task<int> NearTagged() => PageAsync(new BrowseFilter { Market = "marketplace", Near = Central, RadiusKm = 5, Tags = ["tag7"], MinPrice = 100, MaxPrice = 800 });

    [Benchmark(Description = "within 10 km, new")]
    public Task<int> WideNew() => PageAsync(new BrowseFilter { Market = "marketplace", Near = Central, RadiusKm = 10, Condition = "new" });
}
