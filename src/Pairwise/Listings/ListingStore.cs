using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Listings;

public sealed record StoredListing(ListingRecord Record, long Version);

/// <summary>
/// Listings and their browse indexes, written together in one transaction so that an index never
/// points at a listing that is not there (or misses one that is).
/// </summary>
public sealed class ListingStore(IItemStore store, MarketCatalog markets, ListingChanges changes, TimeProvider time)
{
    /// <summary>
    /// An expired listing is hidden at once (reads check its expiry) and purged by
    /// <see cref="ListingExpiryJob"/>; its stored item outlives it by this grace so the job can still
    /// read what to delete (images, index entries), with the store's TTL as a backstop.
    /// </summary>
    public static readonly TimeSpan PurgeGrace = TimeSpan.FromDays(7);

    public async Task<StoredListing?> GetAsync(string listingId, CancellationToken cancellationToken) =>
        await GetIncludingExpiredAsync(listingId, cancellationToken) is { } listing && !IsExpired(listing.Record) ? listing : null;

    public async Task<StoredListing?> GetIncludingExpiredAsync(string listingId, CancellationToken cancellationToken) =>
        await store.GetAsync(ListingKeys.Listing(listingId), cancellationToken) is { } item
            ? new StoredListing(ItemJson.Deserialize(item, ListingJson.Default.ListingRecord), item.Version)
            : null;

    public async Task<IReadOnlyList<ListingRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var items = await store.GetManyAsync([.. ids.Select(ListingKeys.Listing)], cancellationToken);
        return [.. items.Select(i => ItemJson.Deserialize(i, ListingJson.Default.ListingRecord)).Where(l => !IsExpired(l))];
    }

    /// <summary>A listing the caller may see: anything live or past that has its images, and all of their own.</summary>
    public async Task<StoredListing?> FindVisibleAsync(string id, string userId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Listing) && await GetAsync(id, cancellationToken) is { } listing && IsShownTo(listing.Record, userId)
            ? listing
            : null;

    /// <summary>Whether <paramref name="userId"/> may see the listing: its owner always; others once it is not a draft and has its images.</summary>
    public bool IsShownTo(ListingRecord listing, string userId) =>
        listing.OwnerUserId == userId || ListingRules.IsShown(markets.Find(listing.Market), listing);

    /// <summary>The caller's own listing; anyone else's is simply not found.</summary>
    public async Task<StoredListing?> FindOwnAsync(string id, string userId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Listing) && await GetAsync(id, cancellationToken) is { } listing && listing.Record.OwnerUserId == userId
            ? listing
            : null;

    /// <summary>The owner's newest live listing in a market, or null.</summary>
    public async Task<string?> NewestLiveIdAsync(string market, string ownerProfileId, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Pk = ListingKeys.LiveByOwner(market, ownerProfileId), Descending = true, Limit = 1 }, cancellationToken);
        return page.Items.Count == 0 ? null : page.Items[0].Sk;
    }

    /// <summary>Every live listing of a market, a page of 100 at a time (the ranking index's initial load).</summary>
    public async IAsyncEnumerable<ListingRecord> LiveInMarketAsync(string market, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await store.QueryAsync(new Query { Pk = ListingKeys.LiveInMarket(market), Limit = 100, Cursor = cursor }, cancellationToken);
            foreach (var listing in await GetManyAsync([.. page.Items.Select(i => i.Sk)], cancellationToken))
            {
                yield return listing;
            }
            cursor = page.Cursor;
        }
        while (cursor is not null);
    }

    private bool IsExpired(ListingRecord listing) => listing.ExpiresAt <= time.GetUtcNow();

    public Task<bool> CreateAsync(ListingRecord listing, CancellationToken cancellationToken) =>
        CommitAsync(CreateOperations(listing), listing.Id, cancellationToken);

    /// <summary>Replaces a listing if it is still at <paramref name="expectedVersion"/>; false when another write came first.</summary>
    public Task<bool> ReplaceAsync(ListingRecord before, long expectedVersion, ListingRecord after, CancellationToken cancellationToken) =>
        CommitAsync(ReplaceOperations(before, expectedVersion, after), after.Id, cancellationToken);

    public Task<bool> DeleteAsync(StoredListing listing, CancellationToken cancellationToken) =>
        CommitAsync(DeleteOperations(listing), listing.Record.Id, cancellationToken);

    /// <summary>Commits a listing's writes (with any others) and tells the ranking indexes which listings changed.</summary>
    public async Task<bool> CommitAsync(IReadOnlyList<WriteOperation> operations, string changed, CancellationToken cancellationToken)
    {
        if (!(await store.TransactAsync(operations, cancellationToken)).Committed)
        {
            return false;
        }
        changes.Publish(changed);
        return true;
    }

    /// <summary>Tells the ranking indexes about listings written by a transaction committed elsewhere.</summary>
    public void Published(params string?[] ids)
    {
        foreach (var id in ids)
        {
            if (id is not null)
            {
                changes.Publish(id);
            }
        }
    }

    public List<WriteOperation> DeleteOperations(StoredListing listing)
    {
        List<WriteOperation> operations = [new WriteOperation.Delete(ListingKeys.Listing(listing.Record.Id), Condition.VersionIs(listing.Version))];
        operations.AddRange(IndexEntries(listing.Record).Select(e => new WriteOperation.Delete(e.Key)));
        if (listing.Record.ExpiresAt is { } expiresAt)
        {
            operations.Add(new WriteOperation.Delete(ListingKeys.ExpirySchedule(expiresAt, listing.Record.Id)));
        }
        operations.AddRange(listing.Record.Images.Select(i => new WriteOperation.Delete(ListingKeys.Image(i.Id))));
        return operations;
    }

    public List<WriteOperation> CreateOperations(ListingRecord listing)
    {
        List<WriteOperation> operations = [new WriteOperation.Put(ListingItem(listing, 1), Condition.NotExists)];
        operations.AddRange(IndexEntries(listing).Select(e => new WriteOperation.Put(e)));
        if (listing.ExpiresAt is { } expiresAt)
        {
            operations.Add(new WriteOperation.Put(ScheduleItem(expiresAt, listing.Id)));
        }
        return operations;
    }

    public List<WriteOperation> ReplaceOperations(ListingRecord before, long expectedVersion, ListingRecord after)
    {
        List<WriteOperation> operations = [new WriteOperation.Put(ListingItem(after, expectedVersion + 1), Condition.VersionIs(expectedVersion))];
        var entries = IndexEntries(after);
        var kept = entries.Select(e => e.Key).ToHashSet();
        operations.AddRange(IndexEntries(before).Where(e => !kept.Contains(e.Key)).Select(e => new WriteOperation.Delete(e.Key)));
        operations.AddRange(entries.Select(e => new WriteOperation.Put(e)));
        if (before.ExpiresAt != after.ExpiresAt)
        {
            if (before.ExpiresAt is { } old)
            {
                operations.Add(new WriteOperation.Delete(ListingKeys.ExpirySchedule(old, before.Id)));
            }
            if (after.ExpiresAt is { } next)
            {
                operations.Add(new WriteOperation.Put(ScheduleItem(next, after.Id)));
            }
        }
        return operations;
    }

    /// <summary>A user's own listings of every status, newest first.</summary>
    public async Task<(IReadOnlyList<ListingRecord> Items, string? Cursor)> ListOwnedAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = ListingKeys.OwnerIndex(userId), Descending = true, Limit = limit, Cursor = cursor }, cancellationToken);
        return ([.. page.Items.Select(i => ItemJson.Deserialize(i, ListingJson.Default.ListingRecord)).Where(l => !IsExpired(l))], page.Cursor);
    }

    /// <summary>
    /// Newest-first live listings that pass every filter. Reads the most selective index the filter
    /// allows (an owner; a tag around a point; the geohash cells around a point; a tag; the whole
    /// market), merging its partitions newest-first and filtering their small projections, so it
    /// reads little more than the page it returns. The cursor is the id of the last listing returned.
    /// </summary>
    public async Task<(IReadOnlyList<BrowseHit> Hits, string? NextBefore)> BrowseAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        var sortKey = filter.Before is { } before ? SortKeyCondition.LessThan(before) : SortKeyCondition.Any;
        var readers = Sources(filter).Select(pk => new PartitionReader(store, pk, sortKey)).ToList();
        // Newest first across partitions: the reader whose next id is greatest goes next.
        var queue = new PriorityQueue<PartitionReader, string>(readers.Count, DescendingOrdinal);
        foreach (var reader in readers)
        {
            if (await reader.PeekAsync(cancellationToken) is { } head)
            {
                queue.Enqueue(reader, head.Sk);
            }
        }
        var hits = new List<BrowseHit>(filter.Limit + 1);
        while (hits.Count <= filter.Limit && queue.TryDequeue(out var reader, out _))
        {
            var item = reader.Take();
            var projection = ItemJson.Deserialize(item, ListingJson.Default.ListingProjection);
            if (filter.Matches(projection, out var distance) && (hits.Count == 0 || hits[^1].Projection.Id != projection.Id))
            {
                hits.Add(new BrowseHit(projection, distance));
            }
            if (await reader.PeekAsync(cancellationToken) is { } next)
            {
                queue.Enqueue(reader, next.Sk);
            }
        }
        var more = hits.Count > filter.Limit;
        if (more)
        {
            hits.RemoveAt(hits.Count - 1);
        }
        return (hits, more ? hits[^1].Projection.Id : null);
    }

    private static readonly Comparer<string> DescendingOrdinal = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));

    private static List<string> Sources(BrowseFilter filter)
    {
        if (filter.OwnerProfileId is { } owner)
        {
            return [ListingKeys.LiveByOwner(filter.Market, owner)];
        }
        if (filter.Near is { } near && filter.Tags.Count > 0 && Geohash.Cover(near, filter.RadiusKm, Geohash.TagPrecisions) is { } tagCover)
        {
            return [.. tagCover.Cells.Select(cell => ListingKeys.LiveByTagInCell(filter.Market, filter.Tags[0], cell))];
        }
        if (filter.Near is { } point && Geohash.Cover(point, filter.RadiusKm) is { } cover)
        {
            return [.. cover.Cells.Select(cell => ListingKeys.LiveInCell(filter.Market, cell))];
        }
        if (filter.Tags.Count > 0)
        {
            return [ListingKeys.LiveByTag(filter.Market, filter.Tags[0])];
        }
        return [ListingKeys.LiveInMarket(filter.Market)];
    }

    /// <summary>Reads one index partition newest-first in pages that grow as more is wanted.</summary>
    private sealed class PartitionReader(IItemStore store, string pk, SortKeyCondition sortKey)
    {
        private const int FirstPage = 16;
        private const int LargestPage = 256;
        private readonly Queue<Item> _buffer = new();
        private string? _cursor;
        private bool _exhausted;
        private int _pageSize = FirstPage;

        public async ValueTask<Item?> PeekAsync(CancellationToken cancellationToken)
        {
            if (_buffer.Count == 0 && !_exhausted)
            {
                var page = await store.QueryAsync(new Query { Pk = pk, SortKey = sortKey, Descending = true, Limit = _pageSize, Cursor = _cursor }, cancellationToken);
                foreach (var item in page.Items)
                {
                    _buffer.Enqueue(item);
                }
                _cursor = page.Cursor;
                _exhausted = page.Cursor is null;
                _pageSize = Math.Min(_pageSize * 2, LargestPage);
            }
            return _buffer.TryPeek(out var next) ? next : null;
        }

        public Item Take() => _buffer.Dequeue();
    }

    /// <summary>The browse index items of a listing: none unless it is live.</summary>
    public List<Item> IndexEntries(ListingRecord listing)
    {
        if (!IsLive(listing))
        {
            return [];
        }
        var categories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in listing.Attributes)
        {
            if (value.ValueKind == System.Text.Json.JsonValueKind.String && value.GetString() is { Length: <= 100 } text)
            {
                categories[name] = text;
            }
        }
        var projection = new ListingProjection(listing.Id, listing.Side, listing.OwnerProfileId, listing.Price,
            listing.Location?.Lat, listing.Location?.Lon, listing.Tags, categories);
        var data = ItemJson.Serialize(projection, ListingJson.Default.ListingProjection);

        List<string> partitions = [ListingKeys.LiveInMarket(listing.Market), ListingKeys.LiveByOwner(listing.Market, listing.OwnerProfileId)];
        partitions.AddRange(listing.Tags.Select(tag => ListingKeys.LiveByTag(listing.Market, tag)));
        if (listing.Location is { } location)
        {
            var point = new GeoPoint(location.Lat, location.Lon);
            partitions.AddRange(Geohash.IndexedPrecisions.Select(p => ListingKeys.LiveInCell(listing.Market, Geohash.Encode(point, p))));
            partitions.AddRange(listing.Tags.SelectMany(tag => Geohash.TagPrecisions.Select(p => ListingKeys.LiveByTagInCell(listing.Market, tag, Geohash.Encode(point, p)))));
        }
        return [.. partitions.Select(pk => new Item { Pk = pk, Sk = listing.Id, Data = data, Version = 1, ExpiresAt = listing.ExpiresAt })];
    }

    /// <summary>In its market's live status and shown to others (it has the images the market asks for): what browse, feeds and swipes take.</summary>
    public bool IsLive(ListingRecord listing) =>
        markets.Find(listing.Market) is var market && listing.Status == ListingRules.LiveStatus(market, listing.Side) && ListingRules.IsShown(market, listing);

    internal static Item ListingItem(ListingRecord listing, long version)
    {
        var key = ListingKeys.Listing(listing.Id);
        return new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = ListingKeys.OwnerIndex(listing.OwnerUserId),
            Gsi1Sk = $"LISTING#{listing.Id}",
            Data = ItemJson.Serialize(listing, ListingJson.Default.ListingRecord),
            Version = version,
            ExpiresAt = listing.ExpiresAt + PurgeGrace,
        };
    }

    private static Item ScheduleItem(DateTimeOffset expiresAt, string listingId)
    {
        var key = ListingKeys.ExpirySchedule(expiresAt, listingId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Version = 1 };
    }
}

public sealed record BrowseHit(ListingProjection Projection, double? DistanceKm);

public sealed record BrowseFilter
{
    public required string Market { get; init; }
    public string? Side { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public decimal? MinPrice { get; init; }
    public decimal? MaxPrice { get; init; }
    public string? Condition { get; init; }
    public GeoPoint? Near { get; init; }
    public double RadiusKm { get; init; } = 10;
    public string? OwnerProfileId { get; init; }
    public int Limit { get; init; } = 20;

    /// <summary>Only listings older than this id (the previous page's last).</summary>
    public string? Before { get; init; }

    public bool Matches(ListingProjection listing, out double? distanceKm)
    {
        distanceKm = null;
        if ((Side is not null && listing.Side != Side)
            || (OwnerProfileId is not null && listing.OwnerProfileId != OwnerProfileId)
            || (MinPrice is { } min && (listing.Price is not { } low || low < min))
            || (MaxPrice is { } max && (listing.Price is not { } high || high > max))
            || (Condition is not null && (!listing.Categories.TryGetValue("condition", out var condition) || condition != Condition)))
        {
            return false;
        }
        foreach (var tag in Tags)
        {
            if (!listing.Tags.Contains(tag))
            {
                return false;
            }
        }
        if (Near is { } near)
        {
            if (listing.Lat is not { } lat || listing.Lon is not { } lon)
            {
                return false;
            }
            distanceKm = near.DistanceKm(new GeoPoint(lat, lon));
            if (distanceKm > RadiusKm)
            {
                return false;
            }
        }
        return true;
    }
}
