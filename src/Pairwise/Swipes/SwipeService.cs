using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Observability;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Swipes;

public enum SwipeStatus
{
    Done,
    NoSuchCard,
    OwnCard,
    NoProfile,
    AlreadySwiped,
    Refused,
}

public sealed record SwipeOutcome(SwipeStatus Status, bool Matched = false, string? MatchId = null, string? ConversationId = null, string? Detail = null);

/// <summary>
/// Swipes and what they make, by the market's rule. Every outcome is decided inside one
/// transaction whose conditions make it exactly-once: a repeated swipe changes nothing, and two
/// people liking each other at the same instant make one match, because both likes write the
/// same pair item under a version condition and the second sees the first.
/// </summary>
public sealed class SwipeService(
    IItemStore store, MarketCatalog markets, ListingService listings, ListingStore listingStore, ProfileService profileService, ProfileStore profiles, Notifications.Notifier notifier,
    Blocks blocks, Hype hype, Realtime.RealtimePublisher realtime, Stats stats, IEnumerable<ISwipeGate> gates, TimeProvider time)
{
    public async Task<(StoredProfile? Profile, SideDefinition? Side)> ViewerForAsync(string userId, MarketDefinition market, SideDefinition cardSide, string? side, CancellationToken cancellationToken)
    {
        var candidates = side is not null
            ? market.Sides.Where(s => s.Id == side)
            : market.Sides.Where(s => market.CounterpartOf(s).Id == cardSide.Id);
        foreach (var candidate in candidates)
        {
            if (market.CounterpartOf(candidate).Id == cardSide.Id && await profiles.FindOwnAsync(userId, market.Id, candidate.Id, cancellationToken) is { } profile)
            {
                return (profile, candidate);
            }
        }
        return (null, null);
    }

    public async Task<SwipeOutcome> SwipeAsync(string userId, string listingId, string action, string? side, CancellationToken cancellationToken)
    {
        if (await listings.FindVisibleAsync(listingId, userId, cancellationToken) is not { } stored
            || !listings.IsLive(stored.Record) || markets.Find(stored.Record.Market) is not { } market)
        {
            return new SwipeOutcome(SwipeStatus.NoSuchCard);
        }
        var card = stored.Record;
        if (card.OwnerUserId == userId)
        {
            return new SwipeOutcome(SwipeStatus.OwnCard);
        }
        // Blocked either way: the card does not exist for this viewer.
        if (await blocks.EitherBlockedAsync(userId, card.OwnerUserId, cancellationToken))
        {
            return new SwipeOutcome(SwipeStatus.NoSuchCard);
        }
        var cardSide = market.FindSide(card.Side)!;
        var (viewer, viewerSide) = await ViewerForAsync(userId, market, cardSide, side, cancellationToken);
        if (viewer is null || viewerSide is null)
        {
            return new SwipeOutcome(SwipeStatus.NoProfile, Detail: $"Create a profile on the side that sees {cardSide.Id} cards in '{market.Id}' first.");
        }
        var me = viewer.Record;
        // Outside the market's hard filters either way: the card does not exist for this viewer.
        if (gates.Any(g => !g.Allows(market, viewerSide, me, card.Id)))
        {
            return new SwipeOutcome(SwipeStatus.NoSuchCard);
        }

        return await Optimistic.RetryAsync($"The swipe on {card.Id}", async ct =>
        {
            if (await store.GetAsync(SwipeKeys.Swipe(me.Id, card.Id), cancellationToken) is { } existing)
            {
                var previous = ItemJson.Deserialize(existing, SwipeJson.Default.SwipeRecord);
                return Attempt.Done(previous.Action == action
                    ? await OutcomeOfAsync(market, me, card, action, cancellationToken)
                    : new SwipeOutcome(SwipeStatus.AlreadySwiped, Detail: $"You already chose \"{previous.Action}\" for this card." + (previous.Action == SwipeActions.Pass ? " Undo the pass first." : "")));
            }
            var now = time.GetUtcNow();
            List<WriteOperation> operations =
            [
                new WriteOperation.Put(Record(SwipeKeys.Swipe(me.Id, card.Id), ItemJson.Serialize(new SwipeRecord(card.Id, card.OwnerProfileId, market.Id, action, now), SwipeJson.Default.SwipeRecord)), Condition.NotExists),
                new WriteOperation.Put(Record(SwipeKeys.Inbox(card.OwnerProfileId, me.Id), ItemJson.Serialize(new InboxRecord(me.Id, action, now), SwipeJson.Default.InboxRecord))),
                .. BehaviourCounters.Count(card.Id, me.Id, SwipeActions.IsLike(action), now),
            ];
            SwipeOutcome outcome = new(SwipeStatus.Done);
            var made = new Made(operations, [], viewerSide.Id);
            if (SwipeActions.IsLike(action))
            {
                outcome = market.MatchRule switch
                {
                    MatchRule.Mutual when cardSide.Presentation == Presentation.Card => await MutualAsync(market, me, card, action, now, made, cancellationToken),
                    MatchRule.Instant => await OfferAsync(market, me, card, now, made, cancellationToken),
                    MatchRule.Selection when cardSide.Presentation == Presentation.Listings => await RespondAsync(market, me, card, now, made, cancellationToken),
                    _ => outcome,
                };
            }
            if ((await store.TransactAsync(operations, cancellationToken)).Committed)
            {
                // The ranking reads the new counts: the card's appeal, and how readily the swiper says yes (on their own card).
                listingStore.Published(BehaviourCounters.Changed(card.Id), me.CardId is { } mine ? BehaviourCounters.Changed(mine) : null);
                await profileService.TouchAsync(viewer, cancellationToken);
                await stats.CountAsync(market.Id, "swipes", cancellationToken);
                if (SwipeActions.IsLike(action))
                {
                    await hype.RecordAsync(card.Id, made.Match?.Kind == "offer" ? HypeSignal.Offer : HypeSignal.Like, cancellationToken);
                }
                if (made.Match is { } match)
                {
                    Telemetry.Matches.Add(1, new KeyValuePair<string, object?>("market", market.Id));
                    await stats.CountAsync(market.Id, "matches", cancellationToken);
                    await realtime.SendAsync([.. match.UserIds.Distinct()], Realtime.RealtimeEvents.Match,
                        new MatchEvent(match.Id, match.Market, match.Kind, match.ConversationId, match.ListingId), cancellationToken);
                }
                await notifier.DeliverAsync(made.Notices, cancellationToken);
                return Attempt.Done(outcome);
            }
            return Attempt.Conflict<SwipeOutcome>();
        }, cancellationToken);
    }

    /// <summary>Takes back a pass, so the card can come back to the feed at once.</summary>
    public async Task<bool> UndoPassAsync(string userId, string listingId, string? side, CancellationToken cancellationToken)
    {
        if (await listings.GetAsync(listingId, cancellationToken) is not { } stored || markets.Find(stored.Record.Market) is not { } market)
        {
            return false;
        }
        var (viewer, _) = await ViewerForAsync(userId, market, market.FindSide(stored.Record.Side)!, side, cancellationToken);
        if (viewer is null || await store.GetAsync(SwipeKeys.Swipe(viewer.Record.Id, listingId), cancellationToken) is not { } swipe
            || ItemJson.Deserialize(swipe, SwipeJson.Default.SwipeRecord).Action != SwipeActions.Pass)
        {
            return false;
        }
        var undone = (await store.TransactAsync(
        [
            new WriteOperation.Delete(swipe.Key, Condition.VersionIs(swipe.Version)),
            new WriteOperation.Delete(SwipeKeys.Inbox(stored.Record.OwnerProfileId, viewer.Record.Id)),
            .. BehaviourCounters.Count(listingId, viewer.Record.Id, like: false, ItemJson.Deserialize(swipe, SwipeJson.Default.SwipeRecord).At, delta: -1),
        ], cancellationToken)).Committed;
        if (undone)
        {
            listingStore.Published(BehaviourCounters.Changed(listingId), viewer.Record.CardId is { } mine ? BehaviourCounters.Changed(mine) : null);
        }
        return undone;
    }

    private async Task<SwipeOutcome> MutualAsync(MarketDefinition market, ProfileRecord me, ListingRecord card, string action, DateTimeOffset now, Made made, CancellationToken cancellationToken)
    {
        var operations = made.Operations;
        var pairKey = SwipeKeys.Pair(me.Id, card.OwnerProfileId);
        var pairItem = await store.GetAsync(pairKey, cancellationToken);
        var pair = pairItem is null ? new PairRecord([], null) : ItemJson.Deserialize(pairItem, SwipeJson.Default.PairRecord);
        var likedBy = pair.LikedBy.Contains(me.Id) ? pair.LikedBy : [.. pair.LikedBy, me.Id];
        var condition = pairItem is null ? Condition.NotExists : Condition.VersionIs(pairItem.Version);
        var version = (pairItem?.Version ?? 0) + 1;
        if (!likedBy.Contains(card.OwnerProfileId) || pair.MatchId is not null)
        {
            operations.Add(new WriteOperation.Put(Record(pairKey, ItemJson.Serialize(pair with { LikedBy = likedBy }, SwipeJson.Default.PairRecord), version), condition));
            if (pair.MatchId is null)
            {
                // Seed 000: "company is interested"; a super-like says so.
                await made.NotifyAsync(notifier, card.OwnerUserId, Notifications.NotificationTypes.Interested,
                    action == SwipeActions.Superlike ? $"{me.DisplayName} super-liked you." : $"{me.DisplayName} is interested in you.",
                    new Dictionary<string, string> { ["profileId"] = me.Id, ["cardId"] = me.CardId ?? "", ["market"] = market.Id, ["action"] = action }, cancellationToken);
            }
            return new SwipeOutcome(SwipeStatus.Done, pair.MatchId is not null, pair.MatchId);
        }
        var match = NewMatch(market, "mutual", [me.Id, card.OwnerProfileId], [me.UserId, card.OwnerUserId], null, now);
        operations.Add(new WriteOperation.Put(Record(pairKey, ItemJson.Serialize(new PairRecord(likedBy, match.Id), SwipeJson.Default.PairRecord), version), condition));
        await AddMatchAsync(made, match, me, card, cancellationToken);
        await made.NotifyAsync(notifier, me.UserId, Notifications.NotificationTypes.Match, $"You matched with {card.Title}.",
            new Dictionary<string, string> { ["matchId"] = match.Id, ["conversationId"] = match.ConversationId }, cancellationToken);
        await made.NotifyAsync(notifier, card.OwnerUserId, Notifications.NotificationTypes.Match, $"You matched with {me.DisplayName}.",
            new Dictionary<string, string> { ["matchId"] = match.Id, ["conversationId"] = match.ConversationId }, cancellationToken);
        return new SwipeOutcome(SwipeStatus.Done, true, match.Id, match.ConversationId);
    }

    private async Task<SwipeOutcome> OfferAsync(MarketDefinition market, ProfileRecord me, ListingRecord card, DateTimeOffset now, Made made, CancellationToken cancellationToken)
    {
        var match = NewMatch(market, "offer", [me.Id, card.OwnerProfileId], [me.UserId, card.OwnerUserId], card.Id, now);
        made.Operations.Add(new WriteOperation.Put(Record(SwipeKeys.Offer(card.Id, me.Id), ItemJson.Serialize(new OfferRecord(match.Id), SwipeJson.Default.OfferRecord)), Condition.NotExists));
        await AddMatchAsync(made, match, me, card, cancellationToken);
        await made.NotifyAsync(notifier, card.OwnerUserId, Notifications.NotificationTypes.Interested, $"{me.DisplayName} wants {card.Title}.",
            new Dictionary<string, string> { ["matchId"] = match.Id, ["conversationId"] = match.ConversationId, ["listingId"] = card.Id }, cancellationToken);
        return new SwipeOutcome(SwipeStatus.Done, true, match.Id, match.ConversationId);
    }

    /// <summary>
    /// A worker's response to a job (seed 001): only while available, and only within the job's
    /// matching window, which the first response opens (or the posting, as the market says).
    /// </summary>
    private async Task<SwipeOutcome> RespondAsync(MarketDefinition market, ProfileRecord me, ListingRecord card, DateTimeOffset now, Made made, CancellationToken cancellationToken)
    {
        var rules = market.Selection;
        if (me.Attributes.TryGetValue(rules.AvailabilityAttribute, out var status) && status.ValueKind == System.Text.Json.JsonValueKind.String && status.GetString() != rules.Available)
        {
            return new SwipeOutcome(SwipeStatus.Refused, Detail: $"You are {status.GetString()}: only {rules.Available} members can respond. Finish your current job first.");
        }
        var window = await store.GetAsync(SwipeKeys.Window(card.Id), cancellationToken);
        var closes = rules.WindowStartsAt == WindowStart.Posting ? card.CreatedAt.AddMinutes(rules.WindowMinutes)
            : window is null ? now.AddMinutes(rules.WindowMinutes) : ItemJson.Deserialize(window, SwipeJson.Default.WindowRecord).ClosesAt;
        if (now > closes)
        {
            return new SwipeOutcome(SwipeStatus.Refused, Detail: $"The matching window for this job closed at {closes:u}.");
        }
        if (window is null && rules.WindowStartsAt == WindowStart.FirstResponse)
        {
            // Two first responses at once: one opens the window, the other retries and joins it.
            made.Operations.Add(new WriteOperation.Put(Record(SwipeKeys.Window(card.Id), ItemJson.Serialize(new WindowRecord(now, closes), SwipeJson.Default.WindowRecord)), Condition.NotExists));
        }
        made.Operations.Add(new WriteOperation.Put(Record(SwipeKeys.Response(card.Id, me.Id),
            ItemJson.Serialize(new ResponseRecord(card.Id, me.Id, me.UserId, now, ResponseStatus.Pending), SwipeJson.Default.ResponseRecord)), Condition.NotExists));
        await made.NotifyAsync(notifier, card.OwnerUserId, Notifications.NotificationTypes.Interested, $"{me.DisplayName} responded to {card.Title}.",
            new Dictionary<string, string> { ["listingId"] = card.Id, ["responseId"] = me.Id }, cancellationToken);
        return new SwipeOutcome(SwipeStatus.Done);
    }

    /// <summary>What an earlier identical swipe made, so that repeating it answers the same.</summary>
    private async Task<SwipeOutcome> OutcomeOfAsync(MarketDefinition market, ProfileRecord me, ListingRecord card, string action, CancellationToken cancellationToken)
    {
        if (!SwipeActions.IsLike(action))
        {
            return new SwipeOutcome(SwipeStatus.Done);
        }
        string? matchId = null;
        if (market.MatchRule == MatchRule.Mutual && await store.GetAsync(SwipeKeys.Pair(me.Id, card.OwnerProfileId), cancellationToken) is { } pair)
        {
            matchId = ItemJson.Deserialize(pair, SwipeJson.Default.PairRecord).MatchId;
        }
        else if (market.MatchRule == MatchRule.Instant && await store.GetAsync(SwipeKeys.Offer(card.Id, me.Id), cancellationToken) is { } offer)
        {
            matchId = ItemJson.Deserialize(offer, SwipeJson.Default.OfferRecord).MatchId;
        }
        if (matchId is null || await store.GetAsync(SwipeKeys.Match(matchId), cancellationToken) is not { } item)
        {
            return new SwipeOutcome(SwipeStatus.Done);
        }
        var match = ItemJson.Deserialize(item, SwipeJson.Default.MatchRecord);
        return new SwipeOutcome(SwipeStatus.Done, true, match.Id, match.ConversationId);
    }

    private MatchRecord NewMatch(MarketDefinition market, string kind, IReadOnlyList<string> profileIds, IReadOnlyList<string> userIds, string? listingId, DateTimeOffset now) => new()
    {
        Id = Ids.New(Ids.Match, time),
        Market = market.Id,
        Kind = kind,
        ProfileIds = profileIds,
        UserIds = userIds,
        ListingId = listingId,
        ConversationId = Ids.New(Ids.Conversation, time),
        CreatedAt = now,
    };

    /// <summary>The match, a pointer to it under both users, and its conversation.</summary>
    private async Task AddMatchAsync(Made made, MatchRecord match, ProfileRecord me, ListingRecord card, CancellationToken cancellationToken)
    {
        made.Match = match;
        made.Operations.AddRange(MatchStore.CreateOperations(match));
        var owner = (await profiles.GetAsync(card.OwnerProfileId, cancellationToken))?.Record;
        made.Operations.AddRange(Conversations.ConversationService.Open(new Conversations.ConversationRecord
        {
            Id = match.ConversationId,
            Market = match.Market,
            MatchId = match.Id,
            ListingId = match.ListingId,
            Members =
            [
                new(me.UserId, me.Id, made.ViewerSide, me.DisplayName),
                new(card.OwnerUserId, card.OwnerProfileId, owner?.Side ?? card.Side, owner?.DisplayName ?? card.Title),
            ],
            CreatedAt = match.CreatedAt,
        }));
    }

    /// <summary>What one swipe writes, and what it tells people once that is committed.</summary>
    private sealed class Made(List<WriteOperation> operations, List<Notifications.PendingNotification> notices, string viewerSide)
    {
        public List<WriteOperation> Operations { get; } = operations;
        public List<Notifications.PendingNotification> Notices { get; } = notices;
        public string ViewerSide { get; } = viewerSide;
        public MatchRecord? Match { get; set; }

        public async Task NotifyAsync(Notifications.Notifier notifier, string userId, string type, string body, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
        {
            if (await notifier.PrepareAsync(userId, type, body, data, cancellationToken) is { } notice)
            {
                Notices.Add(notice);
                if (notice.Write is { } write)
                {
                    Operations.Add(write);
                }
            }
        }
    }

    private static Item Record(ItemKey key, byte[] data, long version = 1) => new() { Pk = key.Pk, Sk = key.Sk, Data = data, Version = version };
}
