using System.Globalization;
using Pairwise.Storage;

namespace Pairwise.Swipes;

/// <summary>
/// What people did, counted with decay: likes a card received and swipes on it (its appeal), and
/// likes its owner gave and swipes they made (how readily they say yes). Zero when nothing is known.
/// </summary>
public sealed record Behaviour(float LikesIn, float SwipesIn, float LikesOut, float SwipesOut)
{
    public static readonly Behaviour None = new(0, 0, 0, 0);
}

/// <summary>
/// Behaviour counters, kept by the swipe itself: the swipe's transaction adds one to the card's
/// received counters and to the swiper's given counters, in a bucket per month, so a repeated swipe
/// counts nothing and a counted swipe is never lost. Reading weighs each month by its age (half
/// after <see cref="HalfLifeDays"/>), so old behaviour fades.
/// </summary>
public static class BehaviourCounters
{
    public const double HalfLifeDays = 180;

    private const string In = "in";
    private const string LikesIn = "in-like";
    private const string Out = "out";
    private const string LikesOut = "out-like";

    private const string ChangePrefix = "behaviour:";

    /// <summary>
    /// The change a swipe publishes for a card whose counts moved (on the listing-change channel,
    /// so other nodes receive it too): the index updates the card's counts in place, without
    /// re-reading the listing.
    /// </summary>
    public static string Changed(string cardId) => ChangePrefix + cardId;

    /// <summary>The card whose counts a published change is about, or null for a listing change.</summary>
    public static string? ChangedCard(string change) => change.StartsWith(ChangePrefix, StringComparison.Ordinal) ? change[ChangePrefix.Length..] : null;

    /// <summary>The counters of a card (what it received) or of a profile (what it gave).</summary>
    public static string Partition(string subjectId) => $"BEHAVIOUR#{subjectId}";

    private static ItemKey Key(string subjectId, DateTimeOffset at, string kind) =>
        new(Partition(subjectId), $"{at.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture)}#{kind}");

    /// <summary>The additions a swipe makes, to put into its transaction (or, with −1, into its undoing).</summary>
    public static IEnumerable<WriteOperation> Count(string cardId, string swiperProfileId, bool like, DateTimeOffset at, int delta = 1)
    {
        yield return new WriteOperation.Add(Key(cardId, at, In), delta);
        yield return new WriteOperation.Add(Key(swiperProfileId, at, Out), delta);
        if (like)
        {
            yield return new WriteOperation.Add(Key(cardId, at, LikesIn), delta);
            yield return new WriteOperation.Add(Key(swiperProfileId, at, LikesOut), delta);
        }
    }

    /// <summary>A card's received counts and its owner's given counts, decayed to <paramref name="now"/>.</summary>
    public static async Task<Behaviour> ReadAsync(IItemStore store, string cardId, string ownerProfileId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var received = await SumAsync(store, cardId, now, cancellationToken);
        var given = await SumAsync(store, ownerProfileId, now, cancellationToken);
        return new Behaviour(received.GetValueOrDefault(LikesIn), received.GetValueOrDefault(In), given.GetValueOrDefault(LikesOut), given.GetValueOrDefault(Out));
    }

    /// <summary>A profile's given counts alone (a viewer who shows no card of their own).</summary>
    public static async Task<(float Likes, float Swipes)> GivenAsync(IItemStore store, string profileId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var given = await SumAsync(store, profileId, now, cancellationToken);
        return (given.GetValueOrDefault(LikesOut), given.GetValueOrDefault(Out));
    }

    private static async Task<Dictionary<string, float>> SumAsync(IItemStore store, string subjectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<string, float>(StringComparer.Ordinal);
        await foreach (var item in store.QueryAllAsync(new Query { Pk = Partition(subjectId), Limit = 200 }, cancellationToken))
        {
            var separator = item.Sk.IndexOf('#', StringComparison.Ordinal);
            if (separator < 0 || !DateTime.TryParseExact(item.Sk[..separator], "yyyyMM", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var month))
            {
                continue;
            }
            // A month's swipes count from its middle.
            var age = Math.Max(0, (now.UtcDateTime - month.AddDays(15)).TotalDays);
            var kind = item.Sk[(separator + 1)..];
            sums[kind] = sums.GetValueOrDefault(kind) + (float)(item.Counter * Math.Pow(0.5, age / HalfLifeDays));
        }
        return sums;
    }
}

/// <summary>
/// Whether a member may swipe on a card at all: the market's hard filters, both ways in mutual
/// markets, so two people who would not see each other in their feeds never match by swiping on
/// an id. Implemented where the filters are compiled (ranking); a card it refuses does not exist
/// for that member.
/// </summary>
public interface ISwipeGate
{
    bool Allows(Markets.MarketDefinition market, Markets.SideDefinition viewerSide, Profiles.ProfileRecord viewer, string cardId);
}
