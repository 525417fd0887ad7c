using System.Buffers.Text;
using System.Text;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

public sealed record FeedRequest(string UserId, string Market, string? Side, string? ForListingId, GeoPoint? Near, int? Limit, string? Cursor);

public sealed record FeedEntry(ListingRecord Listing, double Score, Explanation Explanation);

public enum FeedStatus
{
    Ok,
    NoSuchMarket,
    NoProfile,
    AmbiguousSide,
    NoListing,
    BadCursor,
    Warming,
}

public sealed record FeedResult(FeedStatus Status, IReadOnlyList<FeedEntry> Entries, string? NextCursor, string? Detail = null, string Source = "live");

/// <summary>The <c>Pairwise:Ranking</c> section.</summary>
public sealed class RankingOptions
{
    /// <summary>Markets with at most this many cards are ranked live on every first page ("instant mode"); larger ones start from the daily batch.</summary>
    public int InstantModeMaxCards { get; set; } = 20_000;
}

/// <summary>A profile's top cards from the daily batch (seed 000), adjusted at read time.</summary>
public sealed record BatchRecord(DateTimeOffset ComputedAt, IReadOnlyList<string> Ids);

/// <summary>
/// The ranked feed: hard filters → the market's recipe → multipliers → top-k, over the in-memory
/// candidate index. Never shows a card the viewer liked, their own, an expired one, or one they
/// passed before the market's cool-down. The first page ranks and keeps the order (top 200) for an
/// hour; later pages continue that order, so page 2 never repeats page 1.
/// </summary>
public sealed class FeedService(
    CandidateIndexes indexes, MarketCatalog markets, ProfileStore profiles, ListingStore listings, IItemStore store,
    Embeddings embeddings, SwipeService swipes, FeedSnapshots snapshots, SeenWriter seen, Safety.Blocks blocks,
    Microsoft.Extensions.Options.IOptions<RankingOptions> options, TimeProvider time)
{
    private static readonly TimeSpan BatchFreshness = TimeSpan.FromHours(26);

    public static ItemKey BatchKey(string profileId) => new($"TOPN#{profileId}", "TOPN");
    public const int SnapshotSize = 200;
    public const int MaxLimit = 50;

    public async Task<FeedResult> GetAsync(FeedRequest request, CancellationToken cancellationToken)
    {
        if (markets.Find(request.Market) is not { } market || indexes.For(request.Market) is not { } index)
        {
            return new FeedResult(FeedStatus.NoSuchMarket, [], null);
        }
        var (viewerProfile, side, problem) = await ResolveViewerAsync(request, market, cancellationToken);
        if (viewerProfile is null || side is null)
        {
            return problem!;
        }
        if (!index.Loaded.Task.IsCompleted)
        {
            return new FeedResult(FeedStatus.Warming, [], null, "The ranking index is still loading; retry in a few seconds.");
        }
        var limit = request.Limit ?? (int)market.Scoring.Weight("feedSize", 10);
        var recipe = Recipe.For(market);
        var viewer = await PrepareViewerAsync(market, side, viewerProfile.Record, request, index, recipe, cancellationToken);
        if (viewer is null)
        {
            return new FeedResult(FeedStatus.NoListing, [], null, "Post a live listing (or name one with for=) to rank members for it.");
        }
        viewer.State = recipe.Prepare(viewer);
        var signals = await Signals.LoadAsync(store, viewerProfile.Record.Id, cancellationToken);
        // Users blocked either way never appear, whatever order was kept.
        var hidden = await blocks.HiddenFromAsync(request.UserId, cancellationToken);

        // The order, as (card id, score): a kept order is replayed as it was, so offsets stay true.
        List<(string Id, double Score)> ranked;
        var source = "snapshot";
        int offset;
        string snapshotId;
        if (request.Cursor is { } cursor)
        {
            if (DecodeCursor(cursor) is not { } position
                || await snapshots.FindAsync(position.Snapshot, cancellationToken) is not { } snapshot
                || snapshot.ProfileId != viewerProfile.Record.Id)
            {
                return new FeedResult(FeedStatus.BadCursor, [], null, "The cursor is not one this feed issued, or it is over an hour old.");
            }
            ranked = [.. snapshot.Ids.Select((id, i) => (id, snapshot.Scores[i]))];
            offset = position.Offset;
            snapshotId = position.Snapshot;
        }
        else
        {
            var own = await ExcludedOwnersAsync(request.UserId, market.Id, hidden, cancellationToken);
            var rows = index.LiveCount > options.Value.InstantModeMaxCards && request.Near is null
                ? await BatchRowsAsync(index, viewerProfile.Record.Id, cancellationToken)
                : null;
            source = rows is null ? "live" : "batch";
            ranked = [.. Rank(viewer, index, recipe, signals, market, own, rows).Select(r => (r.Card.Id, r.Score))];
            offset = 0;
            snapshotId = Ids.New(Ids.FeedSnapshot, time);
            if (ranked.Count > limit)
            {
                await snapshots.KeepAsync(snapshotId, new FeedSnapshotRecord(viewerProfile.Record.Id, [.. ranked.Select(r => r.Id)], [.. ranked.Select(r => r.Score)]), cancellationToken);
            }
        }

        // A card gone, or liked or passed since the order was made, is skipped; the cursor counts it as consumed.
        var cooldown = market.Scoring.Weight("passCooldownDays", 30);
        var page = new List<(CandidateCard Card, double Score)>(limit);
        var consumed = offset;
        for (; consumed < ranked.Count && page.Count < limit; consumed++)
        {
            var (id, score) = ranked[consumed];
            if (index.Find(id) is { } card && !signals.IsExcluded(id, viewer.Now, cooldown) && !hidden.Contains(card.OwnerUserId))
            {
                page.Add((card, score));
            }
        }
        var records = (await listings.GetManyAsync([.. page.Select(p => p.Card.Id)], cancellationToken)).ToDictionary(l => l.Id);
        var entries = new List<FeedEntry>(page.Count);
        foreach (var (card, score) in page)
        {
            if (records.TryGetValue(card.Id, out var listing))
            {
                entries.Add(new FeedEntry(listing, Math.Round(score, 4), Explain(viewer, card, recipe, signals, market, index, score)));
            }
        }
        var next = consumed < ranked.Count && page.Count == limit ? EncodeCursor(snapshotId, consumed) : null;
        seen.Record(viewerProfile.Record.Id, signals, page.Select(p => p.Card.Id), time.GetUtcNow());
        await swipes.TouchAsync(viewerProfile, cancellationToken);
        return new FeedResult(FeedStatus.Ok, entries, next, Source: source);
    }

    /// <summary>
    /// The rows to score for a large market: the viewer's cards from the daily batch plus every card
    /// created since it ran; null when there is no fresh batch (then everything is scored).
    /// </summary>
    private async Task<int[]?> BatchRowsAsync(MarketIndex index, string profileId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(BatchKey(profileId), cancellationToken) is not { } item)
        {
            return null;
        }
        var batch = ItemJson.Deserialize(item, SwipeJson.Default.BatchRecord);
        if (time.GetUtcNow() - batch.ComputedAt > BatchFreshness)
        {
            return null;
        }
        var snapshot = index.Current;
        var rows = new List<int>(batch.Ids.Count + 64);
        foreach (var id in batch.Ids)
        {
            if (index.Find(id) is { } card && card.Row < snapshot.Count && snapshot.Columns.Cards[card.Row] == card)
            {
                rows.Add(card.Row);
            }
        }
        var since = batch.ComputedAt.UtcTicks;
        var created = snapshot.Columns.Created;
        for (var row = 0; row < snapshot.Count; row++)
        {
            if (created[row] > since)
            {
                rows.Add(row);
            }
        }
        return [.. rows.Distinct()];
    }

    /// <summary>
    /// The daily batch (seed 000): ranks every profile of the market that has a feed against every
    /// card and keeps each one's top cards, which later first pages start from. Returns how many
    /// profiles it scored.
    /// </summary>
    public async Task<int> ScoreBatchAsync(string marketId, CancellationToken cancellationToken, IProgress<(int Done, int Total)>? progress = null)
    {
        if (markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            throw new ArgumentException($"There is no market '{marketId}'.", nameof(marketId));
        }
        using var activity = Telemetry.Source.StartActivity("batch scoring");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var sides = market.Sides.Where(s => market.CounterpartOf(s).Presentation != Presentation.None).ToList();
        var total = 0;
        if (progress is not null)
        {
            foreach (var side in sides)
            {
                await foreach (var _ in store.QueryAllAsync(new Query { Index = ItemIndex.Gsi1, Pk = ProfileKeys.SideIndex(market.Id, side.Id), Limit = 1000 }, cancellationToken))
                {
                    total++;
                }
            }
        }
        int scored = 0, seen = 0;
        foreach (var side in sides)
        {
            await foreach (var item in store.QueryAllAsync(new Query { Index = ItemIndex.Gsi1, Pk = ProfileKeys.SideIndex(market.Id, side.Id), Limit = 100 }, cancellationToken))
            {
                var profile = ItemJson.Deserialize(item, ProfileJson.Default.ProfileRecord);
                if (await StoreBatchAsync(market, side, index, profile, cancellationToken))
                {
                    scored++;
                }
                progress?.Report((++seen, total));
            }
        }
        Telemetry.ScoringDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("market", market.Id));
        return scored;
    }

    /// <summary>The viewer's own profiles and those of users blocked either way: their cards never rank.</summary>
    private async Task<List<string>> ExcludedOwnersAsync(string userId, string marketId, IEnumerable<string> hidden, CancellationToken cancellationToken)
    {
        var excluded = new List<string>();
        foreach (var user in hidden.Prepend(userId))
        {
            excluded.AddRange((await profiles.ListOwnAsync(user, cancellationToken)).Where(p => p.Market == marketId).Select(p => p.Id));
        }
        return excluded;
    }

    /// <summary>
    /// A user's best cards over every side they hold a feed on, for the daily digest (seed 003):
    /// ranked like a first feed page, but leaves no seen marks and no activity.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> RecommendAsync(string userId, int count, CancellationToken cancellationToken)
    {
        var entries = new List<FeedEntry>();
        var hidden = await blocks.HiddenFromAsync(userId, cancellationToken);
        foreach (var summary in await profiles.ListOwnAsync(userId, cancellationToken))
        {
            if (markets.Find(summary.Market) is { } market && market.FindSide(summary.Side) is { } side
                && market.CounterpartOf(side).Presentation != Presentation.None
                && await profiles.GetAsync(summary.Id, cancellationToken) is { } profile)
            {
                entries.AddRange(await RankQuietlyAsync(profile.Record, market, side, null, count, hidden, cancellationToken));
            }
        }
        return [.. entries.OrderByDescending(e => e.Score).Take(count)];
    }

    /// <summary>The members a listing's owner would see for it (gigs: the best workers for a job), ranked and explained, with no side effects.</summary>
    public async Task<IReadOnlyList<FeedEntry>> RankForListingAsync(ProfileRecord owner, string listingId, int count, CancellationToken cancellationToken)
    {
        if (markets.Find(owner.Market) is not { } market || market.FindSide(owner.Side) is not { } side)
        {
            return [];
        }
        return await RankQuietlyAsync(owner, market, side, listingId, count, await blocks.HiddenFromAsync(owner.UserId, cancellationToken), cancellationToken);
    }

    /// <summary>Ranked like a first feed page, but leaves no seen marks and no activity.</summary>
    private async Task<IReadOnlyList<FeedEntry>> RankQuietlyAsync(
        ProfileRecord profile, MarketDefinition market, SideDefinition side, string? forListingId, int count, HashSet<string> hidden, CancellationToken cancellationToken)
    {
        if (indexes.For(market.Id) is not { } index)
        {
            return [];
        }
        await index.Loaded.Task.WaitAsync(cancellationToken);
        var recipe = Recipe.For(market);
        var viewer = await PrepareViewerAsync(market, side, profile, new FeedRequest(profile.UserId, market.Id, side.Id, forListingId, null, count, null), index, recipe, cancellationToken);
        if (viewer is null)
        {
            return [];
        }
        viewer.State = recipe.Prepare(viewer);
        var signals = await Signals.LoadAsync(store, profile.Id, cancellationToken);
        var ranked = Rank(viewer, index, recipe, signals, market, await ExcludedOwnersAsync(profile.UserId, market.Id, hidden, cancellationToken), null)
            .Where(r => !hidden.Contains(r.Card.OwnerUserId)).Take(count).ToList();
        var records = (await listings.GetManyAsync([.. ranked.Select(r => r.Card.Id)], cancellationToken)).ToDictionary(l => l.Id);
        return [.. ranked.Where(r => records.ContainsKey(r.Card.Id))
            .Select(r => new FeedEntry(records[r.Card.Id], Math.Round(r.Score, 4), Explain(viewer, r.Card, recipe, signals, market, index, r.Score)))];
    }

    /// <summary>"Get recommendations now" (seed 003): the viewer's batch entry, recomputed at once.</summary>
    public async Task<FeedStatus> RefreshAsync(string userId, string marketId, string? side, CancellationToken cancellationToken)
    {
        if (markets.Find(marketId) is not { } market || indexes.For(marketId) is not { } index)
        {
            return FeedStatus.NoSuchMarket;
        }
        var (viewer, viewerSide, problem) = await ResolveViewerAsync(new FeedRequest(userId, marketId, side, null, null, null, null), market, cancellationToken);
        if (viewer is null || viewerSide is null)
        {
            return problem!.Status;
        }
        await index.Loaded.Task.WaitAsync(cancellationToken);
        return await StoreBatchAsync(market, viewerSide, index, viewer.Record, cancellationToken) ? FeedStatus.Ok : FeedStatus.NoListing;
    }

    private async Task<bool> StoreBatchAsync(MarketDefinition market, SideDefinition side, MarketIndex index, ProfileRecord profile, CancellationToken cancellationToken)
    {
        var recipe = Recipe.For(market);
        var viewer = await PrepareViewerAsync(market, side, profile, new FeedRequest(profile.UserId, market.Id, side.Id, null, null, null, null), index, recipe, cancellationToken);
        if (viewer is null)
        {
            return false;
        }
        viewer.State = recipe.Prepare(viewer);
        var signals = await Signals.LoadAsync(store, profile.Id, cancellationToken);
        var own = (await profiles.ListOwnAsync(profile.UserId, cancellationToken)).Where(p => p.Market == market.Id).Select(p => p.Id).ToList();
        var ranked = Rank(viewer, index, recipe, signals, market, own, null);
        var key = BatchKey(profile.Id);
        var now = time.GetUtcNow();
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new BatchRecord(now, [.. ranked.Select(r => r.Card.Id)]), SwipeJson.Default.BatchRecord),
            Version = 1,
            ExpiresAt = now + TimeSpan.FromDays(2),
        }, Condition.None, cancellationToken);
        return true;
    }

    private static List<(CandidateCard Card, double Score)> Rank(
        Viewer viewer, MarketIndex index, Recipe recipe, Signals signals, MarketDefinition market, IReadOnlyList<string> ownProfiles, int[]? onlyRows)
    {
        var snapshot = index.Current;
        var columns = snapshot.Columns;
        var count = snapshot.Count;
        float[]? similarities = null;
        if (recipe.UsesEmbeddings && viewer.Embedding is { } query)
        {
            similarities = new float[count];
            SimilarityKernel.Similarities(columns.Embeddings.AsSpan(0, count * LocalEmbedder.Dimensions), LocalEmbedder.Dimensions, query, similarities);
            for (var i = 0; i < similarities.Length; i++)
            {
                similarities[i] = LocalEmbedder.Calibrate(similarities[i]);
            }
            // Where the embedding model has vectors for both sides, its similarity replaces the built-in one.
            if (viewer.RemoteEmbedding is { } remoteQuery && columns.RemoteDimensions == remoteQuery.Length)
            {
                var remote = new float[count];
                SimilarityKernel.Similarities(columns.RemoteEmbeddings.AsSpan(0, count * columns.RemoteDimensions), columns.RemoteDimensions, remoteQuery, remote);
                for (var i = 0; i < count; i++)
                {
                    if (columns.HasRemote[i])
                    {
                        similarities[i] = remote[i];
                    }
                }
            }
        }
        var cooldown = market.Scoring.Weight("passCooldownDays", 30);
        // Multipliers and exclusions by row, set from the viewer's (few) signals instead of looking every card up.
        var factors = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, count));
        try
        {
            var span = factors.AsSpan(0, count);
            span.Fill(1);
            bool Current(CandidateCard card) => card.Row >= 0 && card.Row < count && columns.Cards[card.Row] == card;
            foreach (var cardId in signals.Swipes.Keys.Concat(signals.Seen.Keys))
            {
                if (index.Find(cardId) is { } signalled)
                {
                    var time = signals.TimeFactor(cardId, viewer.Now, cooldown, out var excluded);
                    if (Current(signalled))
                    {
                        span[signalled.Row] = excluded ? float.NaN : time;
                    }
                }
            }
            foreach (var swiper in signals.Inbox.Keys)
            {
                foreach (var owned in index.CardsOf(swiper))
                {
                    if (Current(owned))
                    {
                        span[owned.Row] *= signals.Sentiment(swiper, market);
                    }
                }
            }
            foreach (var profileId in ownProfiles)
            {
                foreach (var mine in index.CardsOf(profileId))
                {
                    if (Current(mine))
                    {
                        span[mine.Row] = float.NaN;
                    }
                }
            }

            var side = index.SideCode(viewer.Counterpart.Id);
            var top = ScanRows(viewer, recipe, columns, side, factors, similarities, onlyRows, count);
            var ranked = new List<(CandidateCard, double)>(top.Count);
            while (top.TryDequeue(out var row, out var score))
            {
                ranked.Add((columns.Cards[row], score));
            }
            // Equal scores in a stable order: newest first.
            return [.. ranked.OrderByDescending(r => r.Item2).ThenByDescending(r => r.Item1.Id, StringComparer.Ordinal)];
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(factors);
        }
    }

    /// <summary>Scores rows [from, to) and keeps the best <see cref="SnapshotSize"/>: the hot loop, reading columns only.</summary>
    private static PriorityQueue<int, double> ScanRows(Viewer viewer, Recipe recipe, Columns columns, byte side, float[] factors, float[]? similarities, int[]? onlyRows, int count)
    {
        var dead = columns.Dead;
        var sides = columns.Side;
        var expires = columns.Expires;
        var now = viewer.Now;
        var top = new PriorityQueue<int, double>(SnapshotSize + 1);
        var length = onlyRows?.Length ?? count;
        for (var i = 0; i < length; i++)
        {
            var row = onlyRows is null ? i : onlyRows[i];
            var factor = factors[row];
            if (float.IsNaN(factor) || dead[row] || sides[row] != side || expires[row] <= now)
            {
                continue;
            }
            var score = recipe.Score(viewer, columns, row, similarities is null ? 0 : similarities[row], null);
            if (float.IsNaN(score))
            {
                continue;
            }
            var total = score * factor;
            if (top.Count < SnapshotSize)
            {
                top.Enqueue(row, total);
            }
            else if (top.TryPeek(out _, out var lowest) && total > lowest)
            {
                top.DequeueEnqueue(row, total);
            }
        }
        return top;
    }

    private static Explanation Explain(Viewer viewer, CandidateCard card, Recipe recipe, Signals signals, MarketDefinition market, MarketIndex index, double score)
    {
        var explanation = new Explanation { Recipe = recipe.Name };
        var columns = index.Current.Columns;
        var similarity = 0f;
        if (recipe.UsesEmbeddings && viewer.Embedding is { } query)
        {
            similarity = viewer.RemoteEmbedding is { } remote && columns.RemoteDimensions == remote.Length && columns.HasRemote[card.Row]
                ? System.Numerics.Tensors.TensorPrimitives.Dot(columns.RemoteEmbedding(card.Row), remote)
                : LocalEmbedder.Calibrate(System.Numerics.Tensors.TensorPrimitives.Dot(columns.Embedding(card.Row), query));
        }
        explanation.Base = Math.Round(recipe.Score(viewer, columns, card.Row, similarity, explanation), 4);
        var sentiment = signals.Sentiment(card.OwnerProfileId, market);
        explanation.Multiplier("sentiment", sentiment, signals.SentimentReason(card.OwnerProfileId));
        var time = signals.TimeFactor(card.Id, viewer.Now, market.Scoring.Weight("passCooldownDays", 30), out _);
        explanation.Multiplier("time", time, signals.TimeReason(card.Id, viewer.Now));
        explanation.Score = Math.Round(score, 4);
        return explanation;
    }

    private async Task<(StoredProfile? Profile, SideDefinition? Side, FeedResult? Problem)> ResolveViewerAsync(FeedRequest request, MarketDefinition market, CancellationToken cancellationToken)
    {
        var sides = request.Side is { } named ? market.Sides.Where(s => s.Id == named).ToList() : [.. market.Sides];
        var found = new List<(StoredProfile, SideDefinition)>();
        foreach (var side in sides.Where(s => market.CounterpartOf(s).Presentation != Presentation.None))
        {
            if (await profiles.FindOwnAsync(request.UserId, market.Id, side.Id, cancellationToken) is { } profile)
            {
                found.Add((profile, side));
            }
        }
        return found.Count switch
        {
            1 => (found[0].Item1, found[0].Item2, null),
            0 => (null, null, new FeedResult(FeedStatus.NoProfile, [], null, request.Side is null
                ? $"Create a profile in '{market.Id}' to get a feed."
                : $"You have no {request.Side} profile in '{market.Id}' (or that side has no feed).")),
            _ => (null, null, new FeedResult(FeedStatus.AmbiguousSide, [], null, $"You have profiles on several sides of '{market.Id}'; name one with side=.")),
        };
    }

    private async Task<Viewer?> PrepareViewerAsync(MarketDefinition market, SideDefinition side, ProfileRecord profile, FeedRequest request, MarketIndex index, Recipe recipe, CancellationToken cancellationToken)
    {
        CandidateCard? listing = null;
        var columns = index.Current.Columns;
        if (side.Presentation == Presentation.Listings && recipe.UsesEmbeddings)
        {
            var listingId = request.ForListingId ?? await NewestLiveListingAsync(market, profile, cancellationToken);
            listing = listingId is null ? null : index.Find(listingId);
            columns = index.Current.Columns;
            if (listing is null || listing.OwnerProfileId != profile.Id || listing.Row >= index.Current.Count)
            {
                return null;
            }
        }
        float[]? embedding = null, remote = null;
        if (recipe.UsesEmbeddings)
        {
            if (listing is not null)
            {
                embedding = columns.Embedding(listing.Row).ToArray();
                remote = columns.RemoteDimensions > 0 && columns.HasRemote[listing.Row] ? columns.RemoteEmbedding(listing.Row).ToArray() : null;
            }
            else
            {
                var text = ProfileText(side, profile);
                embedding = await embeddings.LocalAsync(text, cancellationToken);
                remote = await embeddings.RemoteAsync(text, Embeddings.ProfileText, cancellationToken);
            }
        }
        var location = request.Near ?? side.Attributes.Where(f => f.Type == FieldType.Geo).Select(f => profile.Attributes.TryGetValue(f.Name, out var v)
            ? new GeoPoint(v.GetProperty("lat").GetDouble(), v.GetProperty("lon").GetDouble()) : (GeoPoint?)null).FirstOrDefault(p => p is not null);
        var own = profile.CardId is { } cardId ? index.Find(cardId) : null;
        var now = time.GetUtcNow().UtcTicks;
        return new Viewer
        {
            Market = market,
            Side = side,
            Counterpart = market.CounterpartOf(side),
            Profile = profile,
            Features = FeatureView.Of(Layouts.Profile(market, side).Encode(profile.Attributes, profile.Preferences)),
            Location = location,
            Embedding = embedding,
            RemoteEmbedding = remote,
            Listing = listing is null ? null : columns.Features(listing.Row),
            Now = now,
            Quality = own is not null && own.Row < index.Current.Count ? Recipe.Quality(index.Current.Columns, own.Row, now) : 50,
            Tags = profile.Preferences.TryGetValue("tags", out var tags) ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [],
        };
    }

    private static string ProfileText(SideDefinition side, ProfileRecord profile) => string.Join(' ', side.Attributes
        .Where(f => f.Type is FieldType.Text or FieldType.Tags && profile.Attributes.ContainsKey(f.Name))
        .Select(f => profile.Attributes[f.Name] is var v && v.ValueKind == System.Text.Json.JsonValueKind.Array
            ? string.Join(' ', v.EnumerateArray().Select(t => t.GetString()))
            : v.GetString()));

    private async Task<string?> NewestLiveListingAsync(MarketDefinition market, ProfileRecord profile, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = ListingKeys.LiveByOwner(market.Id, profile.Id), Descending = true, Limit = 1 }, cancellationToken);
        return page.Items.Count == 0 ? null : page.Items[0].Sk;
    }

    private static string EncodeCursor(string snapshot, int offset) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{snapshot}:{offset}"));

    private static (string Snapshot, int Offset)? DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return parts.Length == 2 && Ids.IsWellFormed(parts[0], Ids.FeedSnapshot) && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var offset) && offset is >= 0 and <= SnapshotSize
                ? (parts[0], offset)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>What the viewer did and what was done to them: their swipes, the swipes toward them, what they have seen.</summary>
public sealed class Signals
{
    private const int MaxSeen = 2000;

    public required Dictionary<string, SwipeRecord> Swipes { get; init; }
    public required Dictionary<string, InboxRecord> Inbox { get; init; }
    public required Dictionary<string, long> Seen { get; init; }

    public static async Task<Signals> LoadAsync(IItemStore store, string profileId, CancellationToken cancellationToken)
    {
        var swipes = new Dictionary<string, SwipeRecord>(StringComparer.Ordinal);
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Swipes(profileId), Limit = 1000 }, cancellationToken))
        {
            var swipe = ItemJson.Deserialize(item, SwipeJson.Default.SwipeRecord);
            swipes[swipe.CardId] = swipe;
        }
        var inbox = new Dictionary<string, InboxRecord>(StringComparer.Ordinal);
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Inboxes(profileId), Limit = 1000 }, cancellationToken))
        {
            var entry = ItemJson.Deserialize(item, SwipeJson.Default.InboxRecord);
            inbox[entry.SwiperProfileId] = entry;
        }
        var seenItem = await store.GetAsync(SwipeKeys.Seen(profileId), cancellationToken);
        return new Signals
        {
            Swipes = swipes,
            Inbox = inbox,
            Seen = seenItem is null ? new(StringComparer.Ordinal) : ItemJson.Deserialize(seenItem, SwipeJson.Default.SeenRecord).Cards,
        };
    }

    /// <summary>Seed 000's sentiment: the card's owner liked me ×2, passed on me ×½, did nothing ×1.</summary>
    public float Sentiment(string ownerProfileId, MarketDefinition market) =>
        !Inbox.TryGetValue(ownerProfileId, out var entry) ? 1
        : SwipeActions.IsLike(entry.Action) ? (float)market.Scoring.Weight("likedMultiplier", 2)
        : (float)market.Scoring.Weight("passedMultiplier", 0.5);

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
    /// whole after a week); a passed card stays out for the cool-down C, then returns at d/(2C),
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
        if (Seen.TryGetValue(cardId, out var seenAt))
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
        if (Seen.TryGetValue(cardId, out var seenAt))
        {
            parts.Add($"you saw it {(now - DateTimeOffset.FromUnixTimeSeconds(seenAt).UtcTicks) / (double)TimeSpan.TicksPerDay:0.#} days ago");
        }
        return parts.Count == 0 ? "new to you" : string.Join("; ", parts);
    }

    /// <summary>Marks cards seen now and returns the record to store (the newest 2,000 marks).</summary>
    public SeenRecord MarkSeen(IEnumerable<string> cardIds, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        foreach (var id in cardIds)
        {
            Seen[id] = seconds;
        }
        return new SeenRecord(Seen.Count <= MaxSeen ? new(Seen, StringComparer.Ordinal)
            : Seen.OrderByDescending(s => s.Value).Take(MaxSeen).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));
    }
}
