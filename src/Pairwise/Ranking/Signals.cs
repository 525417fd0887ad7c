using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>What the viewer did and what was done to them: their swipes, the swipes toward them, what they have seen.</summary>
public sealed class Signals
{
    private const int MaxSeen = 2000;

    public required Dictionary<string, SwipeRecord> Swipes { get; init; }
    public required Dictionary<string, InboxRecord> Inbox { get; init; }
    public required Dictionary<string, long> Seen { get; init; }

    /// <summary>
    /// How long seen marks are kept and read: the week a mark counts (the time multiplier is whole
    /// again after it) and more than a kept list lives, so a list's reader still sees every mark
    /// its builder saw counting (ADR 22).
    /// </summary>
    public static readonly TimeSpan SeenKept = TimeSpan.FromDays(9);

    /// <summary>
    /// A card shown on screen counts as seen from an hour later (the next session): a reload, or the
    /// same account on a second device, meanwhile shows the same next cards.
    /// </summary>
    public static readonly TimeSpan SeenGrace = TimeSpan.FromHours(1);

    public static async Task<Signals> LoadAsync(SwipeHistory history, IItemStore store, string profileId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        // The newest marks first, at most 2,000 cards: the last nine days' pages, each a small item.
        var page = await store.QueryAsync(new Query
        {
            Pk = RankingKeys.SeenPartition(profileId),
            SortKey = SortKeyCondition.GreaterOrEqual(RankingKeys.SeenAt(profileId, now - SeenKept, "").Sk),
            Descending = true,
            Limit = 400,
        }, cancellationToken);
        foreach (var item in page.Items)
        {
            var marks = ItemJson.Deserialize(item, RankingJson.Default.SeenMarks);
            foreach (var card in marks.Cards)
            {
                if (seen.Count >= MaxSeen)
                {
                    break;
                }
                seen.TryAdd(card, marks.At);
            }
        }
        return new Signals
        {
            Swipes = await history.SwipesOfAsync(profileId, cancellationToken),
            Inbox = await history.InboxOfAsync(profileId, cancellationToken),
            Seen = seen,
        };
    }

    /// <summary>Seed 000's sentiment: the card's owner liked me ×2, passed on me ×½, did nothing ×1.</summary>
    public float Sentiment(string ownerProfileId, FeedWeights weights) =>
        !Inbox.TryGetValue(ownerProfileId, out var entry) ? 1
        : SwipeActions.IsLike(entry.Action) ? weights.LikedMultiplier
        : weights.PassedMultiplier;

    public bool IsExcluded(string cardId, long now, double cooldownDays)
    {
        TimeFactor(cardId, now, cooldownDays, out var excluded);
        return excluded;
    }

    public string SentimentReason(string ownerProfileId) =>
        !Inbox.TryGetValue(ownerProfileId, out var entry) ? "they have not swiped on you"
        : SwipeActions.IsLike(entry.Action) ? $"they liked you ({entry.Action})" : "they passed on you";

    /// <summary>
    /// Seed 000's time multiplier: a card seen d days ago counts 1 − ½·max(0, 1 − d/7) (half today,
    /// whole after a week; not within the first <see cref="SeenGrace"/>); a passed card stays out for the cool-down C, then returns at d/(2C),
    /// whole after 2C.
    /// </summary>
    public float TimeFactor(string cardId, long now, double cooldownDays, out bool excluded)
    {
        excluded = false;
        var factor = 1f;
        if (Swipes.TryGetValue(cardId, out var swipe))
        {
            if (SwipeActions.IsLike(swipe.Action))
            {
                excluded = true;
                return 0;
            }
            var passedDays = (now - swipe.At.UtcTicks) / (double)TimeSpan.TicksPerDay;
            if (passedDays < cooldownDays)
            {
                excluded = true;
                return 0;
            }
            factor = (float)Math.Min(1, passedDays / (2 * cooldownDays));
        }
        if (Seen.TryGetValue(cardId, out var seenAt) && now - DateTimeOffset.FromUnixTimeSeconds(seenAt).UtcTicks >= SeenGrace.Ticks)
        {
            var days = (now - DateTimeOffset.FromUnixTimeSeconds(seenAt).UtcTicks) / (double)TimeSpan.TicksPerDay;
            factor = Math.Min(factor, (float)(1 - (0.5 * Math.Max(0, 1 - (days / 7)))));
        }
        return factor;
    }

    public string TimeReason(string cardId, long now)
    {
        var parts = new List<string>();
        if (Swipes.TryGetValue(cardId, out var swipe))
        {
            parts.Add($"you passed {(now - swipe.At.UtcTicks) / (double)TimeSpan.TicksPerDay:0.#} days ago");
        }
        if (Seen.TryGetValue(cardId, out var seenAt) && now - DateTimeOffset.FromUnixTimeSeconds(seenAt).UtcTicks >= SeenGrace.Ticks)
        {
            parts.Add($"you saw it {(now - DateTimeOffset.FromUnixTimeSeconds(seenAt).UtcTicks) / (double)TimeSpan.TicksPerDay:0.#} days ago");
        }
        return parts.Count == 0 ? "new to you" : string.Join("; ", parts);
    }
}
