using System.Text.Json;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Storage;

namespace Pairwise.Benchmarks;

/// <summary>
/// Writes N startup profiles with their cards straight into a data folder's SQLite file, for the
/// feed load run: `seed-venture DATA N`. (Going through the API would spend minutes hashing
/// passwords; the items are the ones the API writes.)
/// </summary>
public static class SeedVenture
{
    public static async Task RunAsync(string dataDirectory, int count)
    {
        var markets = MarketCatalog.Load([Path.Combine(AppContext.BaseDirectory, "markets")]);
        var venture = markets.Find("venture")!;
        var startup = venture.FindSide("startup")!;
        using var store = new SqliteItemStore(Path.Combine(dataDirectory, "pairwise.db"), TimeProvider.System);
        var listings = new ListingStore(store, markets, new ListingChanges(), TimeProvider.System);
        var profiles = new ProfileStore(store);
        var random = new Random(3);
        string[] industries = [.. venture.ValueSets["industries"]];
        string[] stages = [.. venture.ValueSets["fundingStages"]];
        string[] locations = [.. venture.ValueSets["locations"]];
        var batch = new List<WriteOperation>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var created = now.AddMinutes(-random.Next(60 * 24 * 60));
            var attributes = new Dictionary<string, JsonElement>
            {
                ["industry"] = JsonSerializer.SerializeToElement(industries[random.Next(industries.Length)]),
                ["fundingStage"] = JsonSerializer.SerializeToElement(stages[random.Next(stages.Length)]),
                ["location"] = JsonSerializer.SerializeToElement(locations[random.Next(locations.Length)]),
                ["fundingAmount"] = JsonSerializer.SerializeToElement(random.Next(50, 5000) * 1000),
            };
            var preferences = new Dictionary<string, JsonElement>
            {
                ["industries"] = JsonSerializer.SerializeToElement(new[] { industries[random.Next(industries.Length)], industries[random.Next(industries.Length)] }.Distinct()),
                ["locations"] = JsonSerializer.SerializeToElement(new[] { locations[random.Next(locations.Length)] }),
            };
            var profile = new ProfileRecord
            {
                Id = $"prf_{Guid.CreateVersion7(created):N}",
                UserId = $"usr_{Guid.CreateVersion7(created):N}",
                Market = "venture",
                Side = "startup",
                DisplayName = $"Startup {i}",
                Attributes = attributes,
                Preferences = preferences,
                Completeness = ProfileRules.Completeness(startup, attributes, preferences),
                CreatedAt = created,
                UpdatedAt = created,
                LastActiveAt = now.AddDays(-random.Next(40)),
                CardId = $"lst_{Guid.CreateVersion7(created):N}",
            };
            var card = ListingRules.Card(profile, startup, profile.CardId, created, created);
            List<WriteOperation> operations = [.. profiles.CreateOperations(profile), .. listings.CreateOperations(card)];
            if (batch.Count + operations.Count > StoreRules.MaxTransactionOperations)
            {
                await store.TransactAsync(batch);
                batch.Clear();
            }
            batch.AddRange(operations);
            if (i % 10_000 == 0)
            {
                Console.WriteLine($"seeded {i}");
            }
        }
        await store.TransactAsync(batch);
        Console.WriteLine($"seeded {count} startups");
    }
}
