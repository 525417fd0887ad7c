using System.Globalization;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Realtime;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Deals;

public enum DealStatus
{
    Done,
    NotFound,
    Conflict,
    Invalid,
}

public sealed record DealOutcome(DealStatus Status, PriceOffer? Offer = null, string? Detail = null, string? Field = null, string? ConversationId = null)
{
    public static DealOutcome NotFound(string detail) => new(DealStatus.NotFound, Detail: detail);

    public static DealOutcome Conflict(string detail) => new(DealStatus.Conflict, Detail: detail);

    public static DealOutcome Invalid(string field, string detail) => new(DealStatus.Invalid, Detail: detail, Field: field);
}

/// <summary>A conversation's deal: the listing as it is now and every offer made, oldest first.</summary>
public sealed record DealView(MatchRecord Match, ListingRecord? Listing, IReadOnlyList<PriceOffer> Offers, string? Pending, string? Accepted);

public static class DealActions
{
    public const string Accept = "accept";
    public const string Decline = "decline";
    public const string Withdraw = "withdraw";
    public const string Cancel = "cancel";
    public const string Complete = "complete";
}

/// <summary>
/// Priced offers in a buyer's conversation about a listing (seed 002's "make an offer"): either
/// party proposes an amount; the other accepts, declines or answers with their own (a counter-offer);
/// its maker may withdraw it. Accepting reserves the listing (the market's hold status: it leaves
/// feeds and search) and declines every other open offer on it; calling the deal off puts it back on
/// sale; the seller completing it marks it sold. One offer is open per conversation at a time, and
/// every move is conditioned on the deal's version, so two moves never both happen.
/// </summary>
public sealed class DealService(
    IItemStore store, MatchStore matches, ListingStore listings, MarketCatalog markets, ProfileStore profiles, Blocks blocks, Notifier notifier,
    RealtimePublisher realtime, TimeProvider time)
{
    public const decimal MaxAmount = 1_000_000_000m;
    public const int MaxNoteLength = 500;
    public const string Event = "deal";

    private const string NotAnOfferMatch = "Priced offers are made in a buyer's conversation about a listing (a marketplace match).";
    private const string Raced = "Another move on this deal came first; read the offers again.";

    private sealed record Deal(MatchRecord Match, StoredListing? Listing, MarketDefinition Market, DealState State, long StateVersion);

    public async Task<(DealView? View, DealOutcome? Problem)> ViewAsync(string userId, string matchId, CancellationToken cancellationToken)
    {
        var (deal, problem) = await OpenAsync(userId, matchId, cancellationToken);
        if (deal is null)
        {
            return (null, problem);
        }
        var offers = new List<PriceOffer>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = DealKeys.Offers(matchId), SortKey = SortKeyCondition.BeginsWith(Ids.Offer), Limit = 100 }, cancellationToken))
        {
            offers.Add(ItemJson.Deserialize(item, DealJson.Default.PriceOffer));
        }
        return (new DealView(deal.Match, deal.Listing?.Record, offers, deal.State.Pending, deal.State.Accepted), null);
    }

    /// <summary>Whether the deal in this match was completed (the item changed hands): an exchange worth reviewing.</summary>
    public async Task<bool> CompletedAsync(string matchId, CancellationToken cancellationToken)
    {
        await foreach (var item in store.QueryAllAsync(new Query { Pk = DealKeys.Offers(matchId), SortKey = SortKeyCondition.BeginsWith(Ids.Offer), Limit = 100 }, cancellationToken))
        {
            if (ItemJson.Deserialize(item, DealJson.Default.PriceOffer).Status == OfferStatus.Completed)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A new amount from either party: it counters the other's open offer, or replaces one's own.</summary>
    public async Task<DealOutcome> MakeAsync(string userId, string matchId, decimal amount, string? note, CancellationToken cancellationToken)
    {
        if (amount <= 0 || amount > MaxAmount || amount.Scale > 2 && decimal.Round(amount, 2) != amount)
        {
            return DealOutcome.Invalid("amount", $"Must be more than 0 and at most {MaxAmount:0}, in at most two decimals.");
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > MaxNoteLength)
        {
            return DealOutcome.Invalid("note", $"At most {MaxNoteLength} characters.");
        }
        var (deal, problem) = await OpenAsync(userId, matchId, cancellationToken);
        if (deal is null)
        {
            return problem!;
        }
        if (await OpenForOffersAsync(deal, cancellationToken) is { } closed)
        {
            return DealOutcome.Conflict(closed);
        }
        if (deal.State.Accepted is not null)
        {
            return DealOutcome.Conflict("An offer is already accepted; call the deal off before proposing another amount.");
        }
        var now = time.GetUtcNow();
        var other = deal.Match.UserIds.First(u => u != userId);
        List<WriteOperation> operations = [];
        var previous = deal.State.Pending is { } pending ? await GetOfferAsync(matchId, pending, cancellationToken) : null;
        var countered = previous is { Status: OfferStatus.Pending } && previous.ByUserId != userId;
        if (previous is { Status: OfferStatus.Pending })
        {
            operations.Add(Put(previous with { Status = countered ? OfferStatus.Countered : OfferStatus.Withdrawn, AnsweredAt = now }));
        }
        var offer = new PriceOffer(Ids.New(Ids.Offer, time), matchId, deal.Listing!.Record.Id, userId, other, amount, deal.Market.Currency, note, OfferStatus.Pending, now);
        operations.Add(Put(offer, Condition.NotExists));
        operations.Add(PutState(matchId, new DealState(offer.Id, null), deal.StateVersion));
        if (!(await store.TransactAsync(operations, cancellationToken)).Committed)
        {
            return DealOutcome.Conflict(Raced);
        }
        var name = await NameAsync(deal.Match, userId, cancellationToken);
        var title = deal.Listing.Record.Title;
        await TellAsync(deal.Match, other, offer, countered ? $"{name} countered with {Money(offer)} for {title}." : $"{name} offered {Money(offer)} for {title}.", cancellationToken);
        return new DealOutcome(DealStatus.Done, offer, ConversationId: deal.Match.ConversationId);
    }

    /// <summary>Accept, decline or withdraw an open offer; call off or complete an accepted one.</summary>
    public async Task<DealOutcome> AnswerAsync(string userId, string matchId, string offerId, string action, CancellationToken cancellationToken)
    {
        var (deal, problem) = await OpenAsync(userId, matchId, cancellationToken);
        if (deal is null)
        {
            return problem!;
        }
        if (!Ids.IsWellFormed(offerId, Ids.Offer) || await GetOfferAsync(matchId, offerId, cancellationToken) is not { } offer)
        {
            return DealOutcome.NotFound("There is no such offer in this conversation.");
        }
        var mine = offer.ByUserId == userId;
        var seller = deal.Listing?.Record.OwnerUserId == userId;
        var refusal = action switch
        {
            DealActions.Accept or DealActions.Decline when offer.Status != OfferStatus.Pending => $"This offer is {offer.Status}; only a pending offer is answered.",
            DealActions.Accept or DealActions.Decline when mine => "You made this offer; the other party answers it. Withdraw it, or propose a new amount.",
            DealActions.Withdraw when offer.Status != OfferStatus.Pending || !mine => "Only your own pending offer can be withdrawn.",
            DealActions.Cancel or DealActions.Complete when offer.Status != OfferStatus.Accepted => $"This offer is {offer.Status}; only an accepted offer is called off or completed.",
            DealActions.Complete when !seller => "Only the seller marks the deal done (when the item has changed hands).",
            _ => null,
        };
        if (refusal is not null)
        {
            return DealOutcome.Conflict(refusal);
        }
        if (action == DealActions.Accept && await OpenForOffersAsync(deal, cancellationToken) is { } closed)
        {
            return DealOutcome.Conflict(closed);
        }
        var now = time.GetUtcNow();
        var (status, state) = action switch
        {
            DealActions.Accept => (OfferStatus.Accepted, new DealState(null, offer.Id)),
            DealActions.Decline => (OfferStatus.Declined, new DealState(null, null)),
            DealActions.Withdraw => (OfferStatus.Withdrawn, new DealState(null, null)),
            DealActions.Cancel => (OfferStatus.Cancelled, new DealState(null, null)),
            _ => (OfferStatus.Completed, new DealState(null, null)),
        };
        var answered = offer with { Status = status, AnsweredAt = now };
        List<WriteOperation> operations = [Put(answered), PutState(matchId, state, deal.StateVersion)];
        var rules = deal.Market.FindSide(deal.Listing?.Record.Side ?? "")?.Listings;
        var moved = deal.Listing is { } listing && rules is not null
            ? action switch
            {
                DealActions.Accept when rules.HoldStatus is { } hold => hold,
                DealActions.Cancel when listing.Record.Status == rules.HoldStatus => rules.Statuses[0],
                DealActions.Complete when rules.DoneStatus is { } done && listing.Record.Status != done => done,
                _ => null,
            }
            : null;
        if (moved is not null)
        {
            var before = deal.Listing!.Record;
            operations.AddRange(listings.ReplaceOperations(before, deal.Listing.Version, before with { Status = moved, UpdatedAt = now }));
        }
        if (!(await store.TransactAsync(operations, cancellationToken)).Committed)
        {
            return DealOutcome.Conflict(Raced);
        }
        if (moved is not null)
        {
            listings.Published(deal.Listing!.Record.Id);
        }
        var name = await NameAsync(deal.Match, userId, cancellationToken);
        var other = deal.Match.UserIds.First(u => u != userId);
        var title = deal.Listing?.Record.Title ?? "the listing";
        var told = action switch
        {
            DealActions.Accept => $"{name} accepted your offer of {Money(offer)} for {title}.",
            DealActions.Decline => $"{name} declined your offer of {Money(offer)} for {title}.",
            DealActions.Withdraw => $"{name} withdrew their offer of {Money(offer)} for {title}.",
            DealActions.Cancel => $"{name} called off the deal on {title}.",
            _ => $"{name} marked {title} sold to you for {Money(offer)}. You can now review each other.",
        };
        await TellAsync(deal.Match, other, answered, told, cancellationToken);
        if (action is DealActions.Accept or DealActions.Complete && deal.Listing is { } shown)
        {
            await CloseOthersAsync(shown.Record, matchId, action == DealActions.Accept ? $"{title} is reserved for another buyer." : $"{title} was sold to another buyer.", cancellationToken);
        }
        return new DealOutcome(DealStatus.Done, answered, ConversationId: deal.Match.ConversationId);
    }

    /// <summary>Declines the open offers of every other conversation about the listing, and tells their buyers.</summary>
    private async Task CloseOthersAsync(ListingRecord listing, string keptMatchId, string reason, CancellationToken cancellationToken)
    {
        await foreach (var matchId in matches.OfferMatchIdsAsync(listing.Id, cancellationToken))
        {
            if (matchId == keptMatchId || await store.GetAsync(DealKeys.State(matchId), cancellationToken) is not { } stateItem
                || ItemJson.Deserialize(stateItem, DealJson.Default.DealState).Pending is not { } pending
                || await GetOfferAsync(matchId, pending, cancellationToken) is not { Status: OfferStatus.Pending } open
                || await matches.GetAsync(matchId, cancellationToken) is not { } match)
            {
                continue;
            }
            var closed = open with { Status = OfferStatus.Declined, AnsweredAt = time.GetUtcNow(), Reason = reason };
            if ((await store.TransactAsync([Put(closed), PutState(matchId, new DealState(null, null), stateItem.Version)], cancellationToken)).Committed)
            {
                foreach (var buyer in match.Record.UserIds.Where(u => u != listing.OwnerUserId))
                {
                    await TellAsync(match.Record, buyer, closed, reason, cancellationToken);
                }
            }
        }
    }

    private async Task<(Deal? Deal, DealOutcome? Problem)> OpenAsync(string userId, string matchId, CancellationToken cancellationToken)
    {
        if (await matches.GetAsync(matchId, cancellationToken) is not { } match || !match.Record.UserIds.Contains(userId))
        {
            return (null, DealOutcome.NotFound("You have no such match."));
        }
        if (match.Record is not { Kind: "offer", ListingId: { } listingId } || markets.Find(match.Record.Market) is not { } market)
        {
            return (null, DealOutcome.Conflict(NotAnOfferMatch));
        }
        var listing = await listings.GetIncludingExpiredAsync(listingId, cancellationToken);
        var state = await store.GetAsync(DealKeys.State(matchId), cancellationToken);
        return (new Deal(match.Record, listing, market, state is null ? new DealState(null, null) : ItemJson.Deserialize(state, DealJson.Default.DealState), state?.Version ?? 0), null);
    }

    /// <summary>Null when amounts may be proposed or accepted; otherwise why not.</summary>
    private async Task<string?> OpenForOffersAsync(Deal deal, CancellationToken cancellationToken)
    {
        if (deal.Listing is not { } listing || listing.Record.ExpiresAt <= time.GetUtcNow())
        {
            return "The listing is no longer there.";
        }
        if (!listings.IsLive(listing.Record))
        {
            return $"The listing is {listing.Record.Status}: it takes no offers now.";
        }
        return await blocks.EitherBlockedAsync(deal.Match.UserIds[0], deal.Match.UserIds[^1], cancellationToken) ? ConversationService.ClosedDetail : null;
    }

    private async Task<PriceOffer?> GetOfferAsync(string matchId, string offerId, CancellationToken cancellationToken) =>
        await store.GetAsync(DealKeys.Offer(matchId, offerId), cancellationToken) is { } item ? ItemJson.Deserialize(item, DealJson.Default.PriceOffer) : null;

    private async Task<string> NameAsync(MatchRecord match, string userId, CancellationToken cancellationToken)
    {
        var index = match.UserIds.ToList().IndexOf(userId);
        return index >= 0 && index < match.ProfileIds.Count && await profiles.GetAsync(match.ProfileIds[index], cancellationToken) is { } profile
            ? profile.Record.DisplayName
            : "Someone";
    }

    /// <summary>A notification for the other party, and the deal's live event for both (so an open chat redraws it).</summary>
    private async Task TellAsync(MatchRecord match, string userId, PriceOffer offer, string text, CancellationToken cancellationToken)
    {
        await notifier.NotifyAsync(userId, NotificationTypes.Offer, text,
            new Dictionary<string, string> { ["matchId"] = match.Id, ["conversationId"] = match.ConversationId, ["listingId"] = offer.ListingId, ["offerId"] = offer.Id },
            cancellationToken);
        await realtime.SendAsync(match.UserIds, Event, OfferResponse.From(offer, match.ConversationId), cancellationToken);
    }

    /// <summary>An amount in its currency's code, e.g. "HKD 350" or "USD 1,250.50".</summary>
    public static string Money(PriceOffer offer) =>
        string.Create(CultureInfo.InvariantCulture, $"{(offer.Currency is { } code ? code + " " : "")}{offer.Amount:#,0.##}");

    private static WriteOperation.Put Put(PriceOffer offer, Condition? condition = null)
    {
        var key = DealKeys.Offer(offer.MatchId, offer.Id);
        return new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(offer, DealJson.Default.PriceOffer), Version = 1 }, condition ?? Condition.None);
    }

    /// <summary>The deal's new state, if it is still at <paramref name="version"/> (0: none yet).</summary>
    private static WriteOperation.Put PutState(string matchId, DealState state, long version)
    {
        var key = DealKeys.State(matchId);
        return new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(state, DealJson.Default.DealState), Version = version + 1 },
            version == 0 ? Condition.NotExists : Condition.VersionIs(version));
    }
}
