using Pairwise.Platform;

namespace Pairwise.Social;

/// <summary>
/// A page of the aggregated feed as every door (REST, GraphQL) answers it: the items with where
/// they came from, whether the reader bookmarked them and watches their source, the next cursor,
/// and the reader's linked accounts with their health.
/// </summary>
public sealed class FeedReader(SocialFeed feed, PostBookmarks bookmarks, Watches watches, TimeProvider time)
{
    public const int MaxLimit = 100;

    /// <exception cref="InvalidCursorException">The cursor is not one this feed gave.</exception>
    public async Task<SocialFeedResponse> ReadAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var before = cursor is null ? null : Decode(cursor);
        var page = await feed.PageAsync(userId, limit, before, cancellationToken);
        var linked = page.Sources.ToDictionary(a => a.Id);
        var saved = await bookmarks.SavedAmongAsync(userId, [.. page.Items.Select(i => i.Id)], cancellationToken);
        var watched = (await watches.ListAsync(userId, cancellationToken)).Select(w => w.SourceId).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return new SocialFeedResponse([.. page.Items.Select(i => FeedItemResponse.From(i, linked, saved, watched))],
            page.NextBefore is { } next ? OpaqueCursor.Encode(next) : null, [.. page.Sources.Select(a => LinkedAccountResponse.From(a, now))]);
    }

    /// <summary>A Pairwise post as a feed item (what publishing one answers over GraphQL).</summary>
    public static FeedItemResponse Item(PostRecord post) =>
        FeedItemResponse.From(new FeedRecord(new FeedEntry(SocialKeys.Posts(post.ProfileId), post.SortKey).Member, post, null),
            new Dictionary<string, LinkedAccountRecord>(), new HashSet<string>(), new HashSet<string>());

    private static string Decode(string cursor) =>
        OpaqueCursor.Decode(cursor) is { Length: > 17 and <= 80 } decoded && char.IsAsciiDigit(decoded[0])
            ? decoded
            : throw new InvalidCursorException("Not a cursor of this feed; start again without one.");
}
