using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Pairwise.Listings;
using Pairwise.Ranking;

namespace Pairwise.Benchmarks;

/// <summary>
/// Search over 100,000 live products of one market held by <see cref="ListingSearch"/>: titles from
/// 40 kinds of goods, a sentence of description, 1–3 of 30 tags, a category, a price and a point in
/// Hong Kong. The baseline is a page with no words (newest first: the scan and the filters only);
/// the others add words, a category, a price range and the sorts buyers pick.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class SearchBenchmarks
{
    public const int Listings = 100_000;
    private static readonly string[] Goods =
    [
        "road bike", "folding bike", "kids' bike", "mountain bike", "oak dining table", "armchair", "bookshelf", "bedside table", "iphone 13", "pixel 7",
        "galaxy s22", "fujifilm x-t20", "sony a6000", "film camera", "box of novels", "cookbook collection", "picture books", "rice cooker", "stand mixer",
        "cast-iron pan", "switch console", "ps5 controller", "gaming headset", "acoustic guitar", "61-key keyboard", "ukulele", "monstera", "bonsai",
        "succulents", "wool coat", "leather handbag", "running shoes", "yoga mat", "dumbbell set", "tennis racket", "baby stroller", "high chair",
        "baby carrier", "desk lamp", "office chair",
    ];

    private static readonly string[] Categories = ["bikes", "furniture", "phones", "cameras", "books", "kitchen", "gaming", "music", "plants", "fashion", "sports", "baby"];

    private readonly ListingSearch _search = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Listings; i++)
        {
            var title = Goods[random.Next(Goods.Length)];
            _search.Upsert(new ListingRecord
            {
                Id = $"lst_{i:x32}",
                Market = "marketplace",
                Side = "seller",
                OwnerProfileId = $"prf_{random.Next(5000):x32}",
                OwnerUserId = $"usr_{random.Next(5000):x32}",
                Title = $"{char.ToUpperInvariant(title[0])}{title[1..]}",
                Description = $"Well kept {title}, pick up in Mong Kok or Central; cash or FPS, price a little negotiable.",
                Attributes = new() { ["category"] = JsonSerializer.SerializeToElement(Categories[random.Next(Categories.Length)]) },
                Tags = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => $"tag{random.Next(30)}").Distinct()],
                Price = random.Next(10, 4000),
                Location = new ListingLocation(22.20 + random.NextDouble() * 0.30, 113.90 + random.NextDouble() * 0.40),
                Status = "active",
                CreatedAt = start.AddSeconds(i),
                UpdatedAt = start.AddSeconds(i),
            });
        }
    }

    private int Page(SearchRequest request) => _search.Find(request, d => d.OwnerUserId != "usr_nobody").Page.Count;

    [Benchmark(Baseline = true, Description = "no words, newest 20")]
    public int Newest() => Page(new SearchRequest { Market = "marketplace" });

    [Benchmark(Description = "\"bike\", by relevance")]
    public int OneWord() => Page(new SearchRequest { Market = "marketplace", Terms = ListingSearch.Words("bike") });

    [Benchmark(Description = "\"road bike\", price ≤ 2000, cheapest first")]
    public int TwoWordsCheapest() => Page(new SearchRequest { Market = "marketplace", Terms = ListingSearch.Words("road bike"), MaxPrice = 2000, Sort = SearchSort.PriceLow });

    [Benchmark(Description = "category, dearest first, page 10")]
    public int CategoryDearestLaterPage() => Page(new SearchRequest
    {
        Market = "marketplace", Values = new Dictionary<string, string> { ["category"] = "bikes" }, Sort = SearchSort.PriceHigh, Offset = 180,
    });
}
