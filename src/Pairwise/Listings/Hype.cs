using System.Globalization;
using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>What people did with a listing that says it is wanted.</summary>
public enum HypeSignal
{
    View,
    Like,
    Save,
    Offer,
    Message,
}

/// <summary>A listing's hype, 0–100; the engagement of the last 30 days it comes from (counts per kind); and those counts' weighted points after decay.</summary>
public sealed record HypeScore(double Value, IReadOnlyDictionary<string, long> Parts, double Points, DateTimeOffset ComputedAt);

/// <summary>
/// Hype (seed 002 #12): engagement with a listing — views by others, likes, saves, offers, messages
/// about it — kept cheaply as one atomic counter per listing, day and kind, and turned into a score
/// with time decay (a day's counts weigh half after a week) by a periodic job that writes it on the
/// listing, where the ranking reads it. The score saturates: 100 × (1 − e^(−points / 50)).
/// </summary>
public sealed class Hype(IItemStore store, ListingStore listings, TimeProvider time) : Scheduling.IScheduledJob
{
    public static readonly IReadOnlyDictionary<HypeSignal, double> Weights = new Dictionary<HypeSignal, double>
    {
        [HypeSignal.View] = 1, [HypeSignal.Like] = 3, [HypeSignal.Save] = 4, [HypeSignal.Offer] = 6, [HypeSignal.Message] = 2,
    };

    private static readonly TimeSpan Kept = TimeSpan.FromDays(30);
    private const double HalfLifeDays = 7;
    private const string Touched = "HYPE-TOUCHED";

    /// <summary>Counts one engagement (best effort: a lost count is not worth failing the request for).</summary>
    public async Task RecordAsync(string listingId, HypeSignal signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.AddAsync(new ItemKey(Partition(listingId), $"{now:yyyyMMdd}#{signal}"), 1, now + Kept, cancellationToken);
        await store.PutAsync(new Item { Pk = Touched, Sk = listingId, Version = 1, ExpiresAt = now + TimeSpan.FromDays(14) }, Condition.None, cancellationToken);
    }

    public async Task<HypeScore> ScoreAsync(string listingId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var parts = Enum.GetValues<HypeSignal>().ToDictionary(s => s.ToString().ToLowerInvariant(), _ => 0L);
        var points = 0.0;
        await foreach (var item in store.QueryAllAsync(new Query { Pk = Partition(listingId), Limit = 200 }, cancellationToken))
        {
            var separator = item.Sk.IndexOf('#', StringComparison.Ordinal);
            if (separator < 0 || !DateTimeOffset.TryParseExact(item.Sk[..separator], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day)
                || !Enum.TryParse<HypeSignal>(item.Sk[(separator + 1)..], out var signal))
            {
                continue;
            }
            parts[signal.ToString().ToLowerInvariant()] += item.Counter;
            // A day's counts age from the start of their day.
            points += Weights[signal] * item.Counter * Math.Pow(0.5, Math.Max(0, (now - day).TotalDays) / HalfLifeDays);
        }
        return new HypeScore(Math.Round(100 * (1 - Math.Exp(-points / 50)), 1), parts, Math.Round(points, 2), now);
    }

    /// <summary>Writes the current score on every listing engaged with in the last two weeks (only where it moved by a point or more).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var updated = 0;
        await foreach (var touched in store.QueryAllAsync(new Query { Pk = Touched, Limit = 200 }, cancellationToken))
        {
            if (await listings.GetAsync(touched.Sk, cancellationToken) is not { } stored)
            {
                continue;
            }
            var score = await ScoreAsync(touched.Sk, cancellationToken);
            if (Math.Abs((stored.Record.Hype ?? 0) - score.Value) >= 1
                && await listings.ReplaceAsync(stored.Record, stored.Version, stored.Record with { Hype = score.Value }, cancellationToken))
            {
                updated++;
            }
        }
        return updated;
    }

    private static string Partition(string listingId) => $"HYPE#{listingId}";
}
