using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Accounts;
using Pairwise.Markets;
using Pairwise.Storage;

namespace Pairwise.Profiles;

/// <summary>Every key the profiles feature writes (see docs/keys.md).</summary>
public static class ProfileKeys
{
    public static ItemKey Profile(string profileId) => new($"PROFILE#{profileId}", "PROFILE");

    /// <summary>Under the user: which profile they hold on a side. Its uniqueness is the "one profile per side" rule.</summary>
    public static ItemKey Ownership(string userId, string market, string side) => new($"USER#{userId}", $"PROFILE#{market}#{side}");

    public const string OwnershipPrefix = "PROFILE#";

    /// <summary>GSI1: all profiles of one side of a market, oldest first.</summary>
    public static string SideIndex(string market, string side) => $"MARKET#{market}#SIDE#{side}";
}

public sealed record ProfileRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Market { get; init; }
    public required string Side { get; init; }
    public required string DisplayName { get; init; }
    public required Dictionary<string, JsonElement> Attributes { get; init; }
    public required Dictionary<string, JsonElement> Preferences { get; init; }
    public required double Completeness { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The listing that shows this profile, on sides presented as cards.</summary>
    public string? CardId { get; init; }

    /// <summary>When the owner last used this profile (feed, swipe); ranking prefers active members.</summary>
    public DateTimeOffset? LastActiveAt { get; init; }

    /// <summary>Ratings received as this profile (kept by reviews); ranking filters on the bad share.</summary>
    public RatingSummary? Ratings { get; init; }

    /// <summary>Selection markets: the job this worker was selected for, until it is completed.</summary>
    public string? CurrentJobId { get; init; }

    /// <summary>The profile's photo (a person, a shop's logo, a startup's, an employer's), cleaned like every upload.</summary>
    public ProfilePhoto? Photo { get; init; }
}

/// <param name="Widths">The narrower copies stored beside the full size.</param>
public sealed record ProfilePhoto(string Id, string ContentType, int Width, int Height, IReadOnlyList<int> Widths)
{
    public static string Blob(string photoId) => $"photos/{photoId}";
}

public sealed record RatingSummary(int Good, int Neutral, int Bad)
{
    /// <summary>In star-rated markets: the sum and number of stars (each also counted as good, neutral or bad).</summary>
    public int StarTotal { get; init; }
    public int StarCount { get; init; }

    public int Count => Good + Neutral + Bad;
    public double BadRatio => Count == 0 ? 0 : (double)Bad / Count;
    public double? AverageStars => StarCount == 0 ? null : Math.Round((double)StarTotal / StarCount, 2);
}

public sealed record OwnershipRecord(string ProfileId, string Market, string Side);

public sealed record StoredProfile(ProfileRecord Record, long Version);

/// <summary>
/// Reads and writes profiles. Every committed write tells the profile's card (through
/// <see cref="IProfileCards"/>) that it changed, so the ranking indexes follow without callers
/// remembering to; the rules live in <see cref="ProfileService"/> and <see cref="ProfileRules"/>.
/// </summary>
public sealed class ProfileStore(IItemStore store, IProfileCards cards)
{
    public async Task<StoredProfile?> GetAsync(string profileId, CancellationToken cancellationToken) =>
        await store.GetAsync(ProfileKeys.Profile(profileId), cancellationToken) is { } item
            ? new StoredProfile(ItemJson.Deserialize(item, ProfileJson.Default.ProfileRecord), item.Version)
            : null;

    /// <summary>The profiles that exist among <paramref name="profileIds"/> (at most 100), in one batch read.</summary>
    public async Task<IReadOnlyList<ProfileRecord>> GetManyAsync(IReadOnlyCollection<string> profileIds, CancellationToken cancellationToken) =>
        [.. (await store.GetManyAsync([.. profileIds.Select(ProfileKeys.Profile)], cancellationToken)).Select(i => ItemJson.Deserialize(i, ProfileJson.Default.ProfileRecord))];

    public async Task<StoredProfile?> FindOwnAsync(string userId, string market, string side, CancellationToken cancellationToken) =>
        await store.GetAsync(ProfileKeys.Ownership(userId, market, side), cancellationToken) is { } pointer
            ? await GetAsync(ItemJson.Deserialize(pointer, ProfileJson.Default.OwnershipRecord).ProfileId, cancellationToken)
            : null;

    /// <summary>Which profiles the user holds in one market (the ownership pointers alone: one range read, no profile read).</summary>
    public async Task<IReadOnlyList<OwnershipRecord>> OwnedInAsync(string userId, string market, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query
        {
            Pk = $"USER#{userId}",
            SortKey = SortKeyCondition.BeginsWith($"{ProfileKeys.OwnershipPrefix}{market}#"),
            Limit = StoreRules.MaxBatchGetKeys,
        }, cancellationToken);
        return [.. page.Items.Select(i => ItemJson.Deserialize(i, ProfileJson.Default.OwnershipRecord))];
    }

    public async Task<IReadOnlyList<ProfileSummary>> ListOwnAsync(string userId, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query
        {
            Pk = $"USER#{userId}",
            SortKey = SortKeyCondition.BeginsWith(ProfileKeys.OwnershipPrefix),
            Limit = StoreRules.MaxBatchGetKeys,
        }, cancellationToken);
        var keys = page.Items.Select(i => ProfileKeys.Profile(ItemJson.Deserialize(i, ProfileJson.Default.OwnershipRecord).ProfileId)).ToList();
        var profiles = await store.GetManyAsync(keys, cancellationToken);
        return [.. profiles
            .Select(i => ItemJson.Deserialize(i, ProfileJson.Default.ProfileRecord))
            .OrderBy(p => p.Market, StringComparer.Ordinal).ThenBy(p => p.Side, StringComparer.Ordinal)
            .Select(p => new ProfileSummary(p.Id, p.Market, p.Side, p.DisplayName, p.Completeness))];
    }

    /// <summary>Every profile on one side of a market, oldest first, read <paramref name="pageSize"/> at a time.</summary>
    public async IAsyncEnumerable<ProfileRecord> ListSideAsync(
        string market, string side, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in store.QueryAllAsync(new Query { Index = ItemIndex.Gsi1, Pk = ProfileKeys.SideIndex(market, side), Limit = pageSize }, cancellationToken))
        {
            yield return ItemJson.Deserialize(item, ProfileJson.Default.ProfileRecord);
        }
    }

    /// <summary>
    /// Creates the profile, its ownership claim and anything written with it (its card) in one
    /// transaction; false when the user already has a profile on that side.
    /// </summary>
    public async Task<bool> CreateAsync(ProfileRecord profile, IEnumerable<WriteOperation> with, CancellationToken cancellationToken) =>
        Committed(profile, (await store.TransactAsync([.. CreateOperations(profile), .. with], cancellationToken)).Committed);

    public List<WriteOperation> CreateOperations(ProfileRecord profile) =>
    [
        new WriteOperation.Put(OwnershipItem(profile), Condition.NotExists),
        new WriteOperation.Put(ProfileItem(profile, 1), Condition.NotExists),
    ];

    /// <summary>Replaces the profile (and its card) if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public async Task<bool> ReplaceAsync(ProfileRecord profile, long expectedVersion, IEnumerable<WriteOperation> with, CancellationToken cancellationToken)
    {
        List<WriteOperation> operations = [new WriteOperation.Put(ProfileItem(profile, expectedVersion + 1), Condition.VersionIs(expectedVersion)), .. with];
        return Committed(profile, (await store.TransactAsync(operations, cancellationToken)).Committed);
    }

    public async Task<bool> DeleteAsync(ProfileRecord profile, long expectedVersion, IEnumerable<WriteOperation> with, CancellationToken cancellationToken)
    {
        List<WriteOperation> operations =
        [
            new WriteOperation.Delete(ProfileKeys.Ownership(profile.UserId, profile.Market, profile.Side)),
            new WriteOperation.Delete(ProfileKeys.Profile(profile.Id), Condition.VersionIs(expectedVersion)),
            .. with,
        ];
        return Committed(profile, (await store.TransactAsync(operations, cancellationToken)).Committed);
    }

    private bool Committed(ProfileRecord profile, bool committed)
    {
        if (committed)
        {
            cards.Changed(profile.CardId);
        }
        return committed;
    }

    private static Item ProfileItem(ProfileRecord profile, long version) => new()
    {
        Pk = ProfileKeys.Profile(profile.Id).Pk,
        Sk = ProfileKeys.Profile(profile.Id).Sk,
        Gsi1Pk = ProfileKeys.SideIndex(profile.Market, profile.Side),
        Gsi1Sk = $"PROFILE#{profile.Id}",
        Data = ItemJson.Serialize(profile, ProfileJson.Default.ProfileRecord),
        Version = version,
    };

    private static Item OwnershipItem(ProfileRecord profile)
    {
        var key = ProfileKeys.Ownership(profile.UserId, profile.Market, profile.Side);
        return new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new OwnershipRecord(profile.Id, profile.Market, profile.Side), ProfileJson.Default.OwnershipRecord),
            Version = 1,
        };
    }
}

public static class ProfileRules
{
    /// <summary>
    /// The share of the side's fields (attributes and preferences) that hold a value, 0–1. It feeds
    /// the quality score: a fuller profile ranks higher (seed 000).
    /// </summary>
    public static double Completeness(SideDefinition side, IReadOnlyDictionary<string, JsonElement> attributes, IReadOnlyDictionary<string, JsonElement> preferences)
    {
        var total = side.Attributes.Count + side.Preferences.Count;
        if (total == 0)
        {
            return 1;
        }
        var filled = side.Attributes.Count(f => IsFilled(attributes, f.Name)) + side.Preferences.Count(f => IsFilled(preferences, f.Name));
        return Math.Round((double)filled / total, 2);
    }

    private static bool IsFilled(IReadOnlyDictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) && (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 0);
}

[JsonSerializable(typeof(ProfileRecord))]
[JsonSerializable(typeof(OwnershipRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ProfileJson : JsonSerializerContext;
