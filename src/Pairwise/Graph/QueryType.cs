using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Pairwise.Platform;
using Pairwise.Social;
using Microsoft.Extensions.Primitives;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Ranking;

namespace Pairwise.Graph;

/// <summary>
/// The reads. Every field calls the same service as its REST endpoint, with the caller's user:
/// what REST would answer 404 for (someone else's room, a draft of another seller) is null here,
/// with a <c>NOT_FOUND</c> error, never data.
/// </summary>
public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Field<MeType>("me").Description("The signed-in account (GetUserInfo).").ResolveAsync(async c =>
            await c.Service<AccountService>().MeAsync(c.UserId(), c.CancellationToken) ?? throw GraphErrors.NotFoundError("The account no longer exists."));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MarketType>>>>("markets").Description("Every market this platform serves.")
            .Resolve(c => c.Service<MarketCatalog>().All);
        Field<MarketType>("market").Argument<NonNullGraphType<IdGraphType>>("id").Resolve(c =>
            c.Service<MarketCatalog>().Find(c.GetArgument<string>("id")) ?? throw GraphErrors.NotFoundError($"There is no market '{c.GetArgument<string>("id")}'."));

        Field<ListingType>("listing").Description("One listing (GetProduct): anything live or past, and your own drafts.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                return await c.Service<ListingService>().ViewAsync(id, c.UserId(), c.CancellationToken) is { } listing
                    ? new ListingNode(listing.Record, listing.Version)
                    : throw GraphErrors.NotFoundError($"There is no listing '{id}'.");
            });

        Field<NonNullGraphType<ConnectionType<ListingType, ListingNode>>>("listings")
            .Description("Live listings of a market, newest first (ListProducts), with combinable filters.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<ListingFilterType>("filterBy")
            .Argument<IntGraphType>("first", "Page size, 1–100 (default 20).")
            .Argument<StringGraphType>("after", "pageInfo.endCursor of the previous page.")
            .ResolveAsync(async c => await ListingsAsync(c));

        Field<NonNullGraphType<SearchResultType>>("search")
            .Description("Live listings of a market whose title, tags or description hold every word of q, with filters and a sort; never your own, "
                + "nor those of people blocked either way; the market's hard filters hold as in the feed.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<StringGraphType>("q", "Words that must all appear.")
            .Argument<StringGraphType>("sort", "relevance (the default with q), newest (without), price, -price, distance (needs near).")
            .Argument<SearchFilterType>("filterBy")
            .Argument<IntGraphType>("first", "Page size, 1–100 (default 20).")
            .Argument<StringGraphType>("after", "pageInfo.endCursor of the previous page.")
            .ResolveAsync(async c => await SearchAsync(c));

        Field<DealType>("deal").Description("The priced offers of a marketplace match you are in, with the listing's status now.")
            .Argument<NonNullGraphType<IdGraphType>>("matchId")
            .ResolveAsync(async c =>
            {
                var (view, problem) = await c.Service<Deals.DealService>().ViewAsync(c.UserId(), c.GetArgument<string>("matchId"), c.CancellationToken);
                return view is not null ? Deals.DealResponse.From(view)
                    : problem!.Status == Deals.DealStatus.NotFound ? throw GraphErrors.NotFoundError(problem.Detail!) : throw GraphErrors.ConflictError(problem.Detail!);
            });

        Field<NonNullGraphType<ConnectionType<FeedCardType, FeedCard>>>("feed")
            .Description("Your ranked feed in a market, best first, each card with its score and why.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<StringGraphType>("side", "The side you look as, when you have profiles on several.")
            .Argument<IntGraphType>("first", "Cards per page, 1–50 (default: the market's feed size).")
            .Argument<StringGraphType>("after")
            .Argument<GeoInputType>("near", "Where you are now, instead of your profile's location.")
            .ResolveAsync(async c => await FeedAsync(c));

        Field<NonNullGraphType<ConnectionType<SocialPostType, FeedItemResponse>>>("socialFeed")
            .Description("Your aggregated feed: posts of the profiles you follow (and your own) and of your linked accounts' follows, newest first.")
            .Argument<IntGraphType>("first", "1–100 (default 20).")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                try
                {
                    var page = await c.Service<FeedReader>().ReadAsync(c.UserId(), Limit(c, 20, FeedReader.MaxLimit), c.GetArgument<string?>("after"), c.CancellationToken);
                    return Pages.Of(page.Items, page.NextCursor);
                }
                catch (InvalidCursorException e)
                {
                    throw GraphErrors.Invalid("after", e.Message);
                }
            });

        Field<NonNullGraphType<ConnectionType<RoomType, ConversationResponse>>>("rooms")
            .Description("Your conversations by last activity, newest first (ListRooms).")
            .Argument<RoomFilterType>("filterBy")
            .Argument<IntGraphType>("first", "1–100 (default 20).")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var role = c.GetArgument<Dictionary<string, object?>>("filterBy")?.GetValueOrDefault("role") as string;
                var (items, next) = await c.Service<ConversationService>().ListAsync(userId, role, Limit(c, 20, 100), c.GetArgument<string?>("after"), c.CancellationToken);
                return Pages.Of<ConversationResponse>([.. items.Select(v => ConversationResponse.From(userId, v))], next);
            });
        Field<RoomType>("room").Argument<NonNullGraphType<IdGraphType>>("id").ResolveAsync(async c =>
        {
            var userId = c.UserId();
            var id = c.GetArgument<string>("id");
            var conversations = c.Service<ConversationService>();
            return await conversations.FindAsync(userId, id, c.CancellationToken) is { } room
                ? ConversationResponse.From(userId, await conversations.ViewAsync(userId, room, c.CancellationToken))
                : throw RoomNotFound(id);
        });

        Field<ConnectionType<MessageType, MessageResponse>>("messages").Description("A room's messages, newest first (ListMessages).")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .Argument<IntGraphType>("first", "1–200 (default 50).")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var roomId = c.GetArgument<string>("roomId");
                var conversations = c.Service<ConversationService>();
                var limit = Limit(c, 50, 200);
                (string Before, string? After)? position = null;
                if (c.GetArgument<string?>("after") is { } cursor && (position = MessageCursor.Decode(cursor)) is null)
                {
                    throw GraphErrors.Invalid("after", "Not a cursor this list returned.");
                }
                if (await conversations.FindAsync(c.UserId(), roomId, c.CancellationToken) is not { } room)
                {
                    throw RoomNotFound(roomId);
                }
                var page = await conversations.ListMessagesAsync(room.Record.Id, limit, position?.Before, position?.After, c.CancellationToken);
                return Pages.Of<MessageResponse>([.. page.Items.Select(MessageResponse.From)], page.NextCursor, m => MessageCursor.Encode(m.Id, position?.After));
            });

        Field<NonNullGraphType<NotificationConnectionType>>("notifications").Description("Your notification tray, newest first.")
            .Argument<IntGraphType>("first", "1–100 (default 20).")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var tray = await c.Service<NotificationTray>().ListAsync(c.UserId(), Limit(c, 20, 100), c.GetArgument<string?>("after"), c.CancellationToken);
                return new NotificationPage(Pages.Of<NotificationResponse>(tray.Items, tray.NextCursor), tray.UnreadCount);
            });
    }

    /// <summary>A GeoInput as the REST APIs write a place: LAT,LON.</summary>
    private static string GeoText(Dictionary<string, object?> place) => string.Create(CultureInfo.InvariantCulture, $"{place["lat"]},{place["lon"]}");

    public static ExecutionError RoomNotFound(string id) => GraphErrors.NotFoundError($"You have no room '{id}'.");

    /// <summary>The page size asked for, within the list's bounds.</summary>
    public static int Limit(IResolveFieldContext c, int fallback, int max) => c.GetArgument<int?>("first") switch
    {
        null => fallback,
        { } first when first >= 1 && first <= max => first,
        _ => throw GraphErrors.Invalid("first", $"Must be 1–{max}."),
    };

    private static async Task<Page<ListingNode>> ListingsAsync(IResolveFieldContext c)
    {
        _ = c.UserId();
        var market = c.GetArgument<string>("market");
        if (c.Service<MarketCatalog>().Find(market) is null)
        {
            throw GraphErrors.NotFoundError($"There is no market '{market}'.");
        }
        // The REST filters' own binder, so both transports refuse and accept the same filters.
        var query = FilterQuery(c);
        if (c.GetArgument<int?>("first") is { } first)
        {
            query["limit"] = first.ToString(CultureInfo.InvariantCulture);
        }
        if (c.GetArgument<string?>("after") is { } after)
        {
            query["cursor"] = after;
        }
        var (bound, errors) = BrowseFilterBinder.Bind(market, new QueryCollection(query));
        if (bound is null)
        {
            throw GraphErrors.Invalid("", errors.ToDictionary(e => e.Key switch { "limit" => "first", "cursor" => "after", var other => "filterBy." + other }, e => e.Value));
        }
        var (items, nextBefore) = await c.Service<ListingService>().BrowseAsync(bound, c.CancellationToken);
        return Pages.Of<ListingNode>([.. items.Select(i => new ListingNode(i.Listing, null, i.DistanceKm))],
            nextBefore is null ? null : BrowseFilterBinder.EncodeCursor(nextBefore), l => BrowseFilterBinder.EncodeCursor(l.Record.Id));
    }

    /// <summary>The filterBy argument as the REST query parameters it stands for (tags comma-separated, near as LAT,LON, values by name).</summary>
    private static Dictionary<string, StringValues> FilterQuery(IResolveFieldContext c)
    {
        var query = new Dictionary<string, StringValues>();
        foreach (var (name, value) in c.GetArgument<Dictionary<string, object?>>("filterBy") ?? [])
        {
            switch (value)
            {
                case null:
                    break;
                case IEnumerable<object?> tags when name == "tags":
                    query["tags"] = string.Join(',', tags);
                    break;
                case IEnumerable<object?> pairs when name == "values":
                    foreach (var pair in pairs.OfType<Dictionary<string, object?>>())
                    {
                        query[Convert.ToString(pair["name"], CultureInfo.InvariantCulture)!] = Convert.ToString(pair["value"], CultureInfo.InvariantCulture);
                    }
                    break;
                case Dictionary<string, object?> near when name == "near":
                    query["near"] = GeoText(near);
                    break;
                default:
                    query[name] = Convert.ToString(value, CultureInfo.InvariantCulture);
                    break;
            }
        }
        return query;
    }

    private static async Task<SearchResult> SearchAsync(IResolveFieldContext c)
    {
        var marketId = c.GetArgument<string>("market");
        if (c.Service<MarketCatalog>().Find(marketId) is not { } market)
        {
            throw GraphErrors.NotFoundError($"There is no market '{marketId}'.");
        }
        // The REST parameters' own binder, so both transports refuse and accept the same searches.
        var query = FilterQuery(c);
        foreach (var name in new[] { "q", "sort", "after", "first" })
        {
            if (c.GetArgument<object?>(name) is { } value)
            {
                query[name switch { "after" => "cursor", "first" => "limit", _ => name }] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }
        var (wanted, errors) = SearchBinder.Bind(market, new QueryCollection(query));
        if (wanted is null)
        {
            throw GraphErrors.Invalid("", errors.ToDictionary(e => e.Key switch { "limit" => "first", "cursor" => "after", "q" or "sort" => e.Key, var other => "filterBy." + other }, e => e.Value));
        }
        var page = await c.Service<SearchService>().SearchAsync(c.UserId(), market, wanted, c.CancellationToken)
            ?? throw GraphErrors.Coded("UNAVAILABLE", "The search index is still loading; retry in a few seconds.");
        return new SearchResult(page.Total, [.. page.Items.Select(i => new ListingNode(i.Listing, null, i.DistanceKm))], page.NextCursor);
    }

    private static async Task<Page<FeedCard>> FeedAsync(IResolveFieldContext c)
    {
        var market = c.GetArgument<string>("market");
        GeoPoint? near = c.GetArgument<Dictionary<string, object?>>("near") is { } place
            && GeoPoint.TryParse(GeoText(place), out var point)
            ? point
            : c.GetArgument<Dictionary<string, object?>>("near") is null ? null : throw GraphErrors.Invalid("near", GeoPoint.Format);
        var result = await c.Service<FeedService>().GetAsync(
            new FeedRequest(c.UserId(), market, c.GetArgument<string?>("side"), null, near, c.GetArgument<int?>("first") is null ? null : Limit(c, 10, 50), c.GetArgument<string?>("after")),
            c.CancellationToken);
        return result.Status switch
        {
            FeedStatus.Ok => Pages.Of<FeedCard>([.. result.Entries.Select(e => new FeedCard(new ListingNode(e.Listing), e.Score, e.Explanation))], result.NextCursor),
            FeedStatus.NoSuchMarket => throw GraphErrors.NotFoundError($"There is no market '{market}'."),
            FeedStatus.BadCursor => throw GraphErrors.Invalid("after", result.Detail!),
            FeedStatus.Warming => throw GraphErrors.Coded("UNAVAILABLE", result.Detail!),
            _ => throw GraphErrors.ConflictError(result.Detail!),
        };
    }
}
