using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Swipes;

/// <summary>Every key the swipes, matches and conversations features write (see docs/keys.md).</summary>
public static class SwipeKeys
{
    /// <summary>A profile's swipe on a card; the partition is everything it swiped (feed exclusions).</summary>
    public static ItemKey Swipe(string profileId, string cardId) => new($"SWIPE#{profileId}", cardId);
    public static string Swipes(string profileId) => $"SWIPE#{profileId}";

    /// <summary>The latest action of a swiper on any card of an owner: the owner's sentiment multiplier.</summary>
    public static ItemKey Inbox(string ownerProfileId, string swiperProfileId) => new($"SWIPED#{ownerProfileId}", swiperProfileId);
    public static string Inboxes(string ownerProfileId) => $"SWIPED#{ownerProfileId}";

    /// <summary>Two profiles' likes of each other, written by both likes: the one item that makes a mutual match exactly once.</summary>
    public static ItemKey Pair(string profileA, string profileB) =>
        string.CompareOrdinal(profileA, profileB) < 0 ? new($"PAIR#{profileA}#{profileB}", "PAIR") : new($"PAIR#{profileB}#{profileA}", "PAIR");

    /// <summary>A buyer's offer on a listing (instant markets): at most one per buyer and listing.</summary>
    public static ItemKey Offer(string listingId, string buyerProfileId) => new($"OFFER#{listingId}", buyerProfileId);
    public static string Offers(string listingId) => $"OFFER#{listingId}";

    /// <summary>A worker's response to a job (selection markets); the worker's profile id is the response's id.</summary>
    public static ItemKey Response(string listingId, string workerProfileId) => new($"RESPONSE#{listingId}", workerProfileId);
    public static string Responses(string listingId) => $"RESPONSE#{listingId}";

    /// <summary>A job's matching window, opened by its first response.</summary>
    public static ItemKey Window(string listingId) => new($"RESPONSE#{listingId}", "#WINDOW");

    public static ItemKey Match(string matchId) => new($"MATCH#{matchId}", "MATCH");
    public static ItemKey UserMatch(string userId, string matchId) => new($"USERMATCH#{userId}", matchId);
    public static string UserMatches(string userId) => $"USERMATCH#{userId}";
}

public static class SwipeActions
{
    public const string Like = "like";
    public const string Pass = "pass";
    public const string Superlike = "superlike";

    public static bool IsLike(string action) => action is Like or Superlike;
}

public sealed record SwipeRecord(string CardId, string CardOwnerProfileId, string Market, string Action, DateTimeOffset At);

public sealed record InboxRecord(string SwiperProfileId, string Action, DateTimeOffset At);

public sealed record PairRecord(IReadOnlyList<string> LikedBy, string? MatchId);

public sealed record OfferRecord(string MatchId);

public sealed record ResponseRecord(string ListingId, string WorkerProfileId, string WorkerUserId, DateTimeOffset At, string Status);

public static class ResponseStatus
{
    public const string Pending = "pending";
    public const string Selected = "selected";
    public const string Rejected = "rejected";
    public const string Completed = "completed";
}

public sealed record WindowRecord(DateTimeOffset OpensAt, DateTimeOffset ClosesAt);

public sealed record MatchRecord
{
    public required string Id { get; init; }
    public required string Market { get; init; }

    /// <summary>mutual, or offer (instant markets).</summary>
    public required string Kind { get; init; }
    public required IReadOnlyList<string> ProfileIds { get; init; }
    public required IReadOnlyList<string> UserIds { get; init; }
    public string? ListingId { get; init; }
    public required string ConversationId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The hub's match event.</summary>
public sealed record MatchEvent(string MatchId, string Market, string Kind, string ConversationId, string? ListingId);

[JsonSerializable(typeof(SwipeRecord))]
[JsonSerializable(typeof(InboxRecord))]
[JsonSerializable(typeof(PairRecord))]
[JsonSerializable(typeof(OfferRecord))]
[JsonSerializable(typeof(ResponseRecord))]
[JsonSerializable(typeof(WindowRecord))]
[JsonSerializable(typeof(MatchRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SwipeJson : JsonSerializerContext;
