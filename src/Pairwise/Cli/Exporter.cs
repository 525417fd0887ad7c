using CsvHelper;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;
using Parquet.Serialization;

namespace Pairwise.Cli;

[CsvRecord]
public sealed partial class ProfileRow
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Side { get; init; }
    public required string DisplayName { get; init; }
    public double Completeness { get; init; }
    public string? CardId { get; init; }
    public required string Attributes { get; init; }
    public required string Preferences { get; init; }
    public int RatingsGood { get; init; }
    public int RatingsNeutral { get; init; }
    public int RatingsBad { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastActiveAt { get; init; }
}

[CsvRecord]
public sealed partial class ListingRow
{
    public required string Id { get; init; }
    public required string Side { get; init; }
    public required string OwnerProfileId { get; init; }
    public bool IsCard { get; init; }
    public required string Title { get; init; }
    public required string Status { get; init; }
    public double? Price { get; init; }
    public double? Lat { get; init; }
    public double? Lon { get; init; }
    public required string Tags { get; init; }
    public required string Attributes { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ExpiresAt { get; init; }
}

[CsvRecord]
public sealed partial class SwipeRow
{
    public required string ProfileId { get; init; }
    public required string CardId { get; init; }
    public required string CardOwnerProfileId { get; init; }
    public required string Action { get; init; }
    public DateTime At { get; init; }
}

[CsvRecord]
public sealed partial class MatchRow
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string ProfileA { get; init; }
    public required string ProfileB { get; init; }
    public string? ListingId { get; init; }
    public required string ConversationId { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record ExportSummary(int Profiles, int Listings, int Swipes, int Matches, IReadOnlyList<string> Files);

/// <summary>
/// A market's snapshot for analysis (seeds 000 and 001 export to S3 / a data lake, since the
/// store cannot run analytical queries): profiles, listings, swipes and matches, each as Parquet
/// (for DuckDB, pandas, Athena, Spark) and CSV. Attributes travel as JSON text columns.
/// </summary>
public sealed class Exporter(MarketCatalog markets, ListingStore listings, ProfileStore profileStore, MatchStore matchStore, SwipeHistory history)
{
    public async Task<ExportSummary> ExportAsync(string marketId, string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var market = markets.Find(marketId) ?? throw new ArgumentException($"There is no market '{marketId}'; the markets are {string.Join(", ", markets.All.Select(m => m.Id))}.");
        Directory.CreateDirectory(folder);
        var profiles = new List<ProfileRow>();
        var profileRecords = new List<ProfileRecord>();
        foreach (var side in market.Sides)
        {
            await foreach (var p in profileStore.ListSideAsync(market.Id, side.Id, 1000, cancellationToken))
            {
                profileRecords.Add(p);
                profiles.Add(new ProfileRow
                {
                    Id = p.Id,
                    UserId = p.UserId,
                    Side = p.Side,
                    DisplayName = p.DisplayName,
                    Completeness = p.Completeness,
                    CardId = p.CardId,
                    Attributes = System.Text.Json.JsonSerializer.Serialize(p.Attributes),
                    Preferences = System.Text.Json.JsonSerializer.Serialize(p.Preferences),
                    RatingsGood = p.Ratings?.Good ?? 0,
                    RatingsNeutral = p.Ratings?.Neutral ?? 0,
                    RatingsBad = p.Ratings?.Bad ?? 0,
                    CreatedAt = p.CreatedAt.UtcDateTime,
                    LastActiveAt = p.LastActiveAt?.UtcDateTime,
                });
            }
        }
        progress?.Report($"{profiles.Count} profiles");

        var listingRows = new List<ListingRow>();
        var swipes = new List<SwipeRow>();
        var matches = new Dictionary<string, MatchRow>(StringComparer.Ordinal);
        foreach (var userId in profileRecords.Select(p => p.UserId).Distinct())
        {
            string? cursor = null;
            do
            {
                var (owned, next) = await listings.ListOwnedAsync(userId, 100, cursor, cancellationToken);
                listingRows.AddRange(owned.Where(l => l.Market == market.Id).Select(Row));
                cursor = next;
            }
            while (cursor is not null);
            await foreach (var match in matchStore.AllForUserAsync(userId, cancellationToken))
            {
                if (!matches.ContainsKey(match.Id) && match.Market == market.Id)
                {
                    matches[match.Id] = new MatchRow
                    {
                        Id = match.Id,
                        Kind = match.Kind,
                        ProfileA = match.ProfileIds[0],
                        ProfileB = match.ProfileIds[^1],
                        ListingId = match.ListingId,
                        ConversationId = match.ConversationId,
                        CreatedAt = match.CreatedAt.UtcDateTime,
                    };
                }
            }
        }
        progress?.Report($"{listingRows.Count} listings, {matches.Count} matches");
        foreach (var profile in profileRecords)
        {
            foreach (var swipe in (await history.SwipesOfAsync(profile.Id, cancellationToken)).Values.OrderBy(s => s.CardId, StringComparer.Ordinal))
            {
                swipes.Add(new SwipeRow { ProfileId = profile.Id, CardId = swipe.CardId, CardOwnerProfileId = swipe.CardOwnerProfileId, Action = swipe.Action, At = swipe.At.UtcDateTime });
            }
        }
        progress?.Report($"{swipes.Count} swipes");

        var files = new List<string>();
        files.AddRange(await WriteAsync(folder, "profiles", profiles, cancellationToken));
        files.AddRange(await WriteAsync(folder, "listings", listingRows, cancellationToken));
        files.AddRange(await WriteAsync(folder, "swipes", swipes, cancellationToken));
        files.AddRange(await WriteAsync(folder, "matches", [.. matches.Values], cancellationToken));
        return new ExportSummary(profiles.Count, listingRows.Count, swipes.Count, matches.Count, files);
    }

    private static ListingRow Row(ListingRecord l) => new()
    {
        Id = l.Id,
        Side = l.Side,
        OwnerProfileId = l.OwnerProfileId,
        IsCard = l.IsCard,
        Title = l.Title,
        Status = l.Status,
        Price = l.Price is { } price ? (double)price : null,
        Lat = l.Location?.Lat,
        Lon = l.Location?.Lon,
        Tags = string.Join(',', l.Tags),
        Attributes = System.Text.Json.JsonSerializer.Serialize(l.Attributes),
        CreatedAt = l.CreatedAt.UtcDateTime,
        ExpiresAt = l.ExpiresAt?.UtcDateTime,
    };

    private static async Task<string[]> WriteAsync<T>(string folder, string name, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var parquet = Path.Combine(folder, $"{name}.parquet");
        await using (var stream = File.Create(parquet))
        {
            await ParquetSerializer.SerializeAsync(rows, stream, cancellationToken: cancellationToken);
        }
        var csvPath = Path.Combine(folder, $"{name}.csv");
        await using (var writer = new StreamWriter(csvPath))
        await using (var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, false))
        {
            await csv.WriteRecordsAsync(rows, cancellationToken);
        }
        return [parquet, csvPath];
    }
}
