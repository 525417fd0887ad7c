using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Deals;

/// <summary>Every key the deals feature writes (see docs/keys.md).</summary>
internal static class DealKeys
{
    /// <summary>A priced offer in a match; ids are time-ordered, so the partition reads oldest first.</summary>
    public static ItemKey Offer(string matchId, string offerId) => new($"DEAL#{matchId}", offerId);
    public static string Offers(string matchId) => $"DEAL#{matchId}";

    /// <summary>The match's open and accepted offer: every move is conditioned on its version, so moves happen one at a time.</summary>
    public static ItemKey State(string matchId) => new($"DEAL#{matchId}", "#STATE");
}

public static class OfferStatus
{
    /// <summary>Waiting for the other party's answer.</summary>
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Declined = "declined";

    /// <summary>The other party answered with an amount of their own.</summary>
    public const string Countered = "countered";

    /// <summary>Its maker took it back (or replaced it with a new amount).</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>Accepted, then called off by either party: the listing is back on sale.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Accepted and done: the listing is sold.</summary>
    public const string Completed = "completed";
}

/// <summary>An amount one party of a match proposes for the listing; <paramref name="Reason"/> says why it closed when the system closed it.</summary>
public sealed record PriceOffer(
    string Id, string MatchId, string ListingId, string ByUserId, string ToUserId, decimal Amount, string? Currency, string? Note, string Status,
    DateTimeOffset At, DateTimeOffset? AnsweredAt = null, string? Reason = null);

public sealed record DealState(string? Pending, string? Accepted);

[JsonSerializable(typeof(PriceOffer))]
[JsonSerializable(typeof(DealState))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DealJson : JsonSerializerContext;
