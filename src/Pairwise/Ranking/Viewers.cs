using System.Globalization;
using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>Turns a request into a prepared viewer: which of the user's profiles looks, from where, with what text and features.</summary>
public sealed class Viewers(
    MarketCatalog markets, ProfileStore profiles, ListingStore listings, IItemStore store, SwipeHistory history, Embeddings embeddings, Blocks blocks, TimeProvider time)
{
    public MarketCatalog Markets => markets;

    public Task<HashSet<string>> HiddenFromAsync(string userId, CancellationToken cancellationToken) => blocks.HiddenFromAsync(userId, cancellationToken);

    public Task<StoredProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken) => profiles.GetAsync(profileId, cancellationToken);

    public IAsyncEnumerable<ProfileRecord> ListSideAsync(string market, string side, int pageSize, CancellationToken cancellationToken) =>
        profiles.ListSideAsync(market, side, pageSize, cancellationToken);

    public Task<IReadOnlyList<ProfileSummary>> ListOwnAsync(string userId, CancellationToken cancellationToken) => profiles.ListOwnAsync(userId, cancellationToken);

    /// <summary>Which of the user's profiles looks (or why none can), and every profile the user holds in the market (<c>Own</c>: their cards never rank for them).</summary>
    public async Task<(StoredProfile? Profile, SideDefinition? Side, FeedResult? Problem, IReadOnlyList<string> Own)> ResolveViewerAsync(
        FeedRequest request, MarketDefinition market, CancellationToken cancellationToken)
    {
        // One range read finds the user's profiles in the market, whichever sides; then the one profile is read.
        var owned = await profiles.OwnedInAsync(request.UserId, market.Id, cancellationToken);
        var found = new List<(StoredProfile, SideDefinition)>();
        foreach (var side in market.Sides.Where(s => (request.Side is null || s.Id == request.Side) && market.CounterpartOf(s).Presentation != Presentation.None))
        {
            if (owned.FirstOrDefault(o => o.Side == side.Id) is { } pointer && await profiles.GetAsync(pointer.ProfileId, cancellationToken) is { } profile)
            {
                found.Add((profile, side));
            }
        }
        IReadOnlyList<string> own = [.. owned.Select(o => o.ProfileId)];
        return found.Count switch
        {
            1 => (found[0].Item1, found[0].Item2, null, own),
            0 => (null, null, new FeedResult(FeedStatus.NoProfile, [], null, request.Side is null
                ? $"Create a profile in '{market.Id}' to get a feed."
                : $"You have no {request.Side} profile in '{market.Id}' (or that side has no feed)."), own),
            _ => (null, null, new FeedResult(FeedStatus.AmbiguousSide, [], null, $"You have profiles on several sides of '{market.Id}'; name one with side=."), own),
        };
    }

    /// <summary>The viewer's own profiles and those of users blocked either way: their cards never rank.</summary>
    public async Task<List<string>> ExcludedOwnersAsync(string userId, string marketId, IEnumerable<string> hidden, CancellationToken cancellationToken) =>
        await ExcludedOwnersAsync([.. (await profiles.OwnedInAsync(userId, marketId, cancellationToken)).Select(o => o.ProfileId)], marketId, hidden, cancellationToken);

    /// <summary>As above, with the user's own profiles in the market already known (<see cref="ResolveViewerAsync"/> found them).</summary>
    public async Task<List<string>> ExcludedOwnersAsync(IReadOnlyList<string> own, string marketId, IEnumerable<string> hidden, CancellationToken cancellationToken)
    {
        var excluded = new List<string>(own);
        foreach (var user in hidden)
        {
            excluded.AddRange((await profiles.OwnedInAsync(user, marketId, cancellationToken)).Select(o => o.ProfileId));
        }
        return excluded;
    }

    /// <summary>What the viewer did and what was done to them (swipes both ways, seen marks).</summary>
    public Task<Signals> SignalsAsync(string profileId, CancellationToken cancellationToken) => Signals.LoadAsync(history, store, profileId, time.GetUtcNow(), cancellationToken);

    /// <summary>The viewer ready to rank with: features, location, text embedding and the recipe's per-request state; null when a listings side has no listing to rank for.</summary>
    public async Task<Viewer?> PrepareAsync(SideDefinition side, ProfileRecord profile, FeedRequest request, MarketIndex index, CancellationToken cancellationToken, bool learned = true)
    {
        var market = index.Market;
        var recipe = index.Model.Recipe;
        CandidateCard? listing = null;
        var columns = index.Current.Columns;
        if (side.Presentation == Presentation.Listings && recipe.UsesEmbeddings)
        {
            var listingId = request.ForListingId ?? await listings.NewestLiveIdAsync(market.Id, profile.Id, cancellationToken);
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
            // The feed never runs the model: a viewer's text was embedded when their listing or card was indexed.
            var indexed = listing ?? (profile.CardId is { } ownCard ? index.Find(ownCard) : null);
            var snapshot = index.Current;
            if (indexed is { Row: var row } && snapshot.Holds(indexed))
            {
                var at = snapshot.Columns;
                embedding = at.Embedding(row).ToArray();
                remote = at.RemoteDimensions > 0 && at.HasRemote[row] ? at.RemoteEmbedding(row).ToArray() : null;
            }
            if (listing is null && (embedding is null || (remote is null && embeddings.Remote is not null)))
            {
                // No card in the index (not yet applied, or not live): the cached vector, which a miss computes once.
                var text = ProfileText(side, profile);
                embedding ??= await embeddings.LocalAsync(text, Embeddings.ProfileText, cancellationToken);
                remote = await embeddings.RemoteAsync(text, Embeddings.ProfileText, cancellationToken);
            }
        }
        var location = request.Near ?? side.Attributes.Where(f => f.Type == FieldType.Geo).Select(f => profile.Attributes.TryGetValue(f.Name, out var v)
            ? new GeoPoint(v.GetProperty("lat").GetDouble(), v.GetProperty("lon").GetDouble()) : (GeoPoint?)null).FirstOrDefault(p => p is not null);
        var own = profile.CardId is { } cardId ? index.Find(cardId) : null;
        if (own is not null && own.Row >= index.Current.Count)
        {
            own = null;
        }
        var now = time.GetUtcNow().UtcTicks;
        var viewer = new Viewer
        {
            Market = market,
            Side = side,
            Counterpart = market.CounterpartOf(side),
            Profile = profile,
            Features = FeatureView.Of(index.Model.Profile(side).Encode(profile.Attributes, profile.Preferences), index.Model.RankedLength),
            Location = location,
            Embedding = embedding,
            RemoteEmbedding = remote,
            Listing = listing is null ? null : columns.Features(listing.Row),
            Now = now,
            Quality = own is not null ? Recipe.Quality(index.Current.Columns, own.Row, now) : 50,
            Learned = learned && index.Model.Learning ? await LearnedAsync(index, side, profile, own, cancellationToken) : null,
            Tags = profile.Preferences.TryGetValue("tags", out var tags) ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [],
            Fingerprint = string.Create(CultureInfo.InvariantCulture, $"{profile.UpdatedAt.UtcTicks:x}.{listing?.Id}.{listing?.ChangedAt:x}.{index.Learned.FittedAt?.UtcTicks:x}"),
        };
        viewer.State = recipe.Prepare(viewer);
        return viewer;
    }

    /// <summary>The learned term's view of a viewer: the market's like-rates and the viewer's own, from their card (or their given counts).</summary>
    private async Task<LearnedView> LearnedAsync(MarketIndex index, SideDefinition side, ProfileRecord profile, CandidateCard? own, CancellationToken cancellationToken)
    {
        var model = index.Model;
        var counterpart = index.Market.CounterpartOf(side);
        var (cardRate, swipes) = index.Received(counterpart.Id);
        var (viewerRate, _) = index.Received(side.Id);
        float likesOut, swipesOut, likesIn = 0, swipesIn = 0;
        var columns = index.Current.Columns;
        if (own is not null)
        {
            (likesIn, swipesIn, likesOut, swipesOut) = (columns.LikesIn[own.Row], columns.SwipesIn[own.Row], columns.LikesOut[own.Row], columns.SwipesOut[own.Row]);
        }
        else
        {
            (likesOut, swipesOut) = await BehaviourCounters.GivenAsync(store, profile.Id, time.GetUtcNow(), cancellationToken);
        }
        var parameters = index.Learned;
        return new LearnedView
        {
            Parameters = parameters,
            Weight = (float)parameters.Blend * swipes / (swipes + model.LearningRamp),
            PriorSwipes = model.LearningPrior,
            CardRate = cardRate,
            ViewerRate = viewerRate,
            ViewerEagerness = LearnedView.Relative(likesOut, swipesOut, cardRate, model.LearningPrior),
            ViewerAppeal = LearnedView.Relative(likesIn, swipesIn, viewerRate, model.LearningPrior),
            Mutual = index.Market.MatchRule == MatchRule.Mutual && side.Presentation == Presentation.Card && counterpart.Presentation == Presentation.Card,
        };
    }

    private static string ProfileText(SideDefinition side, ProfileRecord profile) => string.Join(' ', side.Attributes
        .Where(f => f.Type is FieldType.Text or FieldType.Tags && profile.Attributes.ContainsKey(f.Name))
        .Select(f => profile.Attributes[f.Name] is var v && v.ValueKind == System.Text.Json.JsonValueKind.Array
            ? string.Join(' ', v.EnumerateArray().Select(t => t.GetString()))
            : v.GetString()));
}
