using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Graph;

/// <summary>
/// The writes, each through the same service and the same rate limit as its REST endpoint, so a
/// rule (validation, ownership, idempotency, budgets) exists once. Image upload stays REST.
/// </summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Image upload is not here: POST /v1/listings/{id}/images (multipart) with the same bearer token.";
        AccountFields();
        ListingFields();
        ConversationFields();
        SocialFields();
    }

    private void SocialFields()
    {
        Field<NonNullGraphType<FollowPayloadType>>("follow").Description("Follow a profile (any market, not your own). Idempotent.")
            .Argument<NonNullGraphType<IdGraphType>>("profileId")
            .ResolveAsync(async c =>
            {
                var profileId = c.GetArgument<string>("profileId");
                var follows = c.Service<Social.Follows>();
                return await follows.FollowAsync(c.UserId(), profileId, c.CancellationToken) switch
                {
                    null => throw GraphErrors.NotFoundError($"There is no profile '{profileId}'."),
                    false => throw GraphErrors.ConflictError("You cannot follow your own profile."),
                    true => new Social.FollowResponse(profileId, true, await follows.FollowerCountAsync(profileId, c.CancellationToken)),
                };
            });
        Field<NonNullGraphType<FollowPayloadType>>("unfollow").Description("Idempotent.")
            .Argument<NonNullGraphType<IdGraphType>>("profileId")
            .ResolveAsync(async c =>
            {
                var profileId = c.GetArgument<string>("profileId");
                var follows = c.Service<Social.Follows>();
                await follows.UnfollowAsync(c.UserId(), profileId, c.CancellationToken);
                return new Social.FollowResponse(profileId, false, await follows.FollowerCountAsync(profileId, c.CancellationToken));
            });
        Field<NonNullGraphType<SocialPostType>>("createPost").Description("Publish a post as one of your profiles; it reaches your followers' feeds at once. Images: POST /v1/posts/{id}/images.")
            .Argument<NonNullGraphType<IdGraphType>>("profileId")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<StringGraphType>("link")
            .ResolveAsync(async c =>
            {
                c.Spend(UserLimit.Listing);
                var outcome = await c.Service<Social.Posts>().CreateAsync(c.UserId(), c.GetArgument<string>("profileId"), c.GetArgument<string>("text"), c.GetArgument<string?>("link"), c.CancellationToken);
                return outcome.Status switch
                {
                    Social.PostStatus.Done => Social.FeedReader.Item(outcome.Post!),
                    Social.PostStatus.Invalid => throw GraphErrors.Invalid(outcome.Field ?? "text", outcome.Detail!),
                    _ => throw GraphErrors.NotFoundError(outcome.Detail!),
                };
            });
    }

    private void AccountFields()
    {
        Field<NonNullGraphType<AuthPayloadType>>("signup").Description("Create an account and sign in.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password", "8–128 characters, not a common or guessable one.")
            .Argument<NonNullGraphType<StringGraphType>>("displayName")
            .ResolveAsync(async c =>
            {
                c.Spend(UserLimit.Auth);
                var request = new SignupRequest(c.GetArgument<string>("email"), c.GetArgument<string>("password"), c.GetArgument<string>("displayName"));
                InputRules.Check(request);
                var (outcome, session) = await c.Service<AccountService>().SignUpAsync(request.Email, request.Password, request.DisplayName, c.Caller().Client, c.CancellationToken);
                return session is not null ? TokenResponse.From(session) : throw AccountError(outcome);
            });
        Field<NonNullGraphType<AuthPayloadType>>("login")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c =>
            {
                c.Spend(UserLimit.Auth);
                var request = new LoginRequest(c.GetArgument<string>("email"), c.GetArgument<string>("password"));
                InputRules.Check(request);
                var (outcome, session) = await c.Service<AccountService>().LogInAsync(request.Email, request.Password, c.Caller().Client, c.CancellationToken);
                return session is not null ? TokenResponse.From(session) : throw AccountError(outcome);
            });
        Field<NonNullGraphType<AuthPayloadType>>("refresh").Description("The next access and refresh tokens; a refresh token works once.")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c =>
            {
                c.Spend(UserLimit.Auth);
                var request = new RefreshRequest(c.GetArgument<string>("refreshToken"));
                InputRules.Check(request);
                var outcome = await c.Service<TokenService>().RefreshAsync(request.RefreshToken, c.CancellationToken);
                return outcome.Tokens is { } pair
                    ? TokenResponse.From(pair)
                    : throw GraphErrors.Coded(GraphErrors.Unauthenticated, outcome.WasReused
                        ? "This refresh token was already used. The session has been revoked; log in again."
                        : "The refresh token is not valid or has expired.");
            });
        Field<NonNullGraphType<MeType>>("updateAccount").Description("Change what the account shows (its name).")
            .Argument<NonNullGraphType<AccountInputType>>("input")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var request = new RenameRequest(c.GetArgument<Dictionary<string, object?>>("input")["displayName"] as string ?? "");
                InputRules.Check(request, "input");
                var outcome = await c.Service<AccountLife>().RenameAsync(userId, request.DisplayName, c.CancellationToken);
                return outcome.Status == AccountStatus.Done && await c.Service<AccountService>().MeAsync(userId, c.CancellationToken) is { } me ? me : throw AccountError(outcome);
            });
        Field<NonNullGraphType<MyProfileType>>("updateProfile").Description("Create or replace your profile on a side of a market.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<NonNullGraphType<StringGraphType>>("side")
            .Argument<NonNullGraphType<ProfileInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var request = new ProfileRequest(input.GetValueOrDefault("displayName") as string, Json(input, "attributes"), Json(input, "preferences"));
                InputRules.Check(request, "input");
                var (market, side) = (c.GetArgument<string>("market"), c.GetArgument<string>("side"));
                var outcome = await c.Service<ProfileService>().PutAsync(c.UserId(), market, side, request.DisplayName, request.Attributes, request.Preferences, c.CancellationToken);
                return outcome.Status switch
                {
                    ProfileStatus.Created or ProfileStatus.Replaced => outcome.Profile!,
                    ProfileStatus.Invalid => throw GraphErrors.Invalid("input", outcome.Errors!),
                    ProfileStatus.NoAccount => throw GraphErrors.NotFoundError("The account no longer exists."),
                    _ => throw GraphErrors.NotFoundError($"There is no side '{side}' in a market '{market}'."),
                };
            });
    }

    private void ListingFields()
    {
        Field<NonNullGraphType<ListingType>>("createProduct").Description("Create a listing (a product, a job…) in a market.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<NonNullGraphType<ProductInputType>>("input")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var request = new CreateListingRequest(input.GetValueOrDefault("side") as string, input.GetValueOrDefault("title") as string, input.GetValueOrDefault("description") as string,
                    Json(input, "attributes"), Strings(input, "tags"), input.GetValueOrDefault("price") as decimal?, Location(input), input.GetValueOrDefault("status") as string);
                InputRules.Check(request, "input");
                c.Spend(UserLimit.Listing);
                return Listing(await c.Service<ListingService>().CreateAsync(userId, c.GetArgument<string>("market"), request, c.CancellationToken));
            });
        Field<NonNullGraphType<ListingType>>("updateProduct").Description("Change your listing. Pass the version you read to refuse overwriting a newer change.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<IntGraphType>("version", "The listing's version when you read it (as If-Match over REST).")
            .Argument<NonNullGraphType<ProductUpdateInputType>>("input")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var request = new UpdateListingRequest(input.GetValueOrDefault("title") as string, input.GetValueOrDefault("description") as string, Json(input, "attributes"),
                    Strings(input, "tags"), input.GetValueOrDefault("price") as decimal?, Location(input), input.GetValueOrDefault("status") as string);
                InputRules.Check(request, "input");
                return Listing(await c.Service<ListingService>().UpdateAsync(c.GetArgument<string>("id"), userId, request, c.GetArgument<int?>("version"), c.CancellationToken));
            });
        Field<NonNullGraphType<IdGraphType>>("deleteProduct").Description("Delete your listing; returns its id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                var outcome = await c.Service<ListingService>().DeleteAsync(id, c.UserId(), c.CancellationToken);
                return outcome.Status == ListingStatus.Done ? id : throw ListingError(outcome);
            });
        Field<NonNullGraphType<OfferType>>("makeOffer")
            .Description("Propose a price in a marketplace match (either party): it counters the other's open offer, or replaces your own.")
            .Argument<NonNullGraphType<IdGraphType>>("matchId")
            .Argument<NonNullGraphType<DecimalGraphType>>("amount")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c => Offer(await c.Service<Deals.DealService>().MakeAsync(
                c.UserId(), c.GetArgument<string>("matchId"), c.GetArgument<decimal>("amount"), c.GetArgument<string?>("note"), c.CancellationToken)));
        Field<NonNullGraphType<OfferType>>("answerOffer")
            .Description("Accept or decline the other party's offer, withdraw your own, call an accepted deal off, or (the seller) complete it.")
            .Argument<NonNullGraphType<IdGraphType>>("matchId")
            .Argument<NonNullGraphType<IdGraphType>>("offerId")
            .Argument<NonNullGraphType<OfferActionType>>("action")
            .ResolveAsync(async c => Offer(await c.Service<Deals.DealService>().AnswerAsync(
                c.UserId(), c.GetArgument<string>("matchId"), c.GetArgument<string>("offerId"), c.GetArgument<string>("action"), c.CancellationToken)));
        Field<NonNullGraphType<SwipeResultType>>("swipe").Description("Like, super-like or pass on a card or listing of your feed.")
            .Argument<NonNullGraphType<IdGraphType>>("listingId")
            .Argument<NonNullGraphType<SwipeActionType>>("action")
            .Argument<StringGraphType>("side", "The side you swipe as, when you have profiles on several.")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("listingId");
                var outcome = await c.Service<SwipeService>().SwipeAsync(c.UserId(), id, c.GetArgument<string>("action"), c.GetArgument<string?>("side"), c.CancellationToken);
                return outcome.Status == SwipeStatus.Done ? outcome : throw SwipeError(id, outcome);
            });
        Field<NonNullGraphType<BooleanGraphType>>("markSeen")
            .Description("Say which cards your app showed on screen (fetching the feed marks nothing); from an hour later they count as seen.")
            .Argument<NonNullGraphType<StringGraphType>>("market")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("listingIds", "1–100 listing ids.")
            .Argument<StringGraphType>("side", "The side you look as, when you have profiles on several.")
            .ResolveAsync(async c =>
            {
                var market = c.GetArgument<string>("market");
                var ids = c.GetArgument<List<string>>("listingIds");
                if (ids.Count is 0 or > Ranking.FeedEndpoints.MaxSeenPerCall || ids.Any(id => !Ids.IsWellFormed(id, Ids.Listing)))
                {
                    throw GraphErrors.Invalid("listingIds", $"Name 1–{Ranking.FeedEndpoints.MaxSeenPerCall} listing ids.");
                }
                var result = await c.Service<Ranking.FeedService>().MarkSeenAsync(new Ranking.FeedRequest(c.UserId(), market, c.GetArgument<string?>("side"), null, null, null, null), ids, c.CancellationToken);
                return result.Status switch
                {
                    Ranking.FeedStatus.Ok => true,
                    Ranking.FeedStatus.NoSuchMarket => throw GraphErrors.NotFoundError($"There is no market '{market}'."),
                    _ => throw GraphErrors.ConflictError(result.Detail!),
                };
            });
    }

    private void ConversationFields()
    {
        Field<NonNullGraphType<RoomType>>("createRoom")
            .Description("Open a room with a listing's owner about it (seed 002's CreateRoom(seller, buyer, product)): an offer, in markets where a like opens one. "
                + "Idempotent: the same listing again returns the same room. In mutual markets rooms open on a mutual like, in selection markets when the owner selects.")
            .Argument<NonNullGraphType<IdGraphType>>("listingId")
            .Argument<StringGraphType>("side", "The side you act as (e.g. buyer), when you have profiles on several.")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var id = c.GetArgument<string>("listingId");
                if (await c.Service<ListingService>().FindVisibleAsync(id, userId, c.CancellationToken) is not { } listing)
                {
                    throw GraphErrors.NotFoundError($"There is no live listing '{id}'.");
                }
                if (c.Service<MarketCatalog>().Find(listing.Record.Market) is { MatchRule: not MatchRule.Instant } market)
                {
                    throw GraphErrors.Invalid("listingId", $"In '{market.Id}' a room opens when a like is mutual or an owner selects, not on request: use swipe.");
                }
                var outcome = await c.Service<SwipeService>().SwipeAsync(userId, id, SwipeActions.Like, c.GetArgument<string?>("side"), c.CancellationToken);
                if (outcome.Status != SwipeStatus.Done || outcome.ConversationId is not { } roomId)
                {
                    throw SwipeError(id, outcome);
                }
                var conversations = c.Service<ConversationService>();
                return await conversations.FindAsync(userId, roomId, c.CancellationToken) is { } room
                    ? ConversationResponse.From(userId, await conversations.ViewAsync(userId, room, c.CancellationToken))
                    : throw QueryType.RoomNotFound(roomId);
            });
        Field<NonNullGraphType<MessageType>>("sendMessage").Description("Stored before it is acknowledged and pushed. Retrying with the same clientMessageId returns the message already stored.")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<NonNullGraphType<StringGraphType>>("clientMessageId", "A new id per message (1–64 letters, digits, . _ : -); a retry reuses it.")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                c.Spend(UserLimit.Send);
                var roomId = c.GetArgument<string>("roomId");
                var outcome = await c.Service<ConversationService>().SendAsync(userId, roomId, c.GetArgument<string>("text"), c.GetArgument<string>("clientMessageId"), c.CancellationToken);
                return outcome.Status switch
                {
                    SendStatus.Sent or SendStatus.Replayed => MessageResponse.From(outcome.Message!),
                    SendStatus.Invalid => throw GraphErrors.Invalid(outcome.Field!, outcome.Detail!),
                    SendStatus.Closed => throw GraphErrors.ForbiddenError(ConversationService.ClosedDetail),
                    _ => throw QueryType.RoomNotFound(roomId),
                };
            });
        Field<NonNullGraphType<ReadMarkerType>>("markRead").Description("Move your read marker forward (never back) to a message, or to the latest one.")
            .Argument<NonNullGraphType<IdGraphType>>("roomId")
            .Argument<IdGraphType>("upToMessageId")
            .ResolveAsync(async c =>
            {
                var userId = c.UserId();
                var roomId = c.GetArgument<string>("roomId");
                var conversations = c.Service<ConversationService>();
                if (await conversations.FindAsync(userId, roomId, c.CancellationToken) is not { } room)
                {
                    throw QueryType.RoomNotFound(roomId);
                }
                var upTo = c.GetArgument<string?>("upToMessageId");
                if (upTo is not null && !await conversations.MessageExistsAsync(room.Record.Id, upTo, c.CancellationToken))
                {
                    throw GraphErrors.Invalid("upToMessageId", "There is no such message in this room.");
                }
                return await conversations.MarkReadAsync(userId, room, upTo, c.CancellationToken);
            });
    }

    private static ListingNode Listing(ListingOutcome outcome) =>
        outcome.Status == ListingStatus.Done ? new ListingNode(outcome.Listing!, outcome.Version) : throw ListingError(outcome);

    /// <summary>The one translation of a listing outcome into a GraphQL error.</summary>
    private static ExecutionError ListingError(ListingOutcome outcome) => outcome.Status switch
    {
        ListingStatus.NotFound => GraphErrors.NotFoundError(outcome.Detail!),
        ListingStatus.Invalid => GraphErrors.Invalid("input", outcome.Errors!),
        ListingStatus.Stale => GraphErrors.ConflictError(outcome.Detail ?? "The listing changed since you read it; read it again."),
        _ => GraphErrors.ConflictError(outcome.Detail!),
    };

    private static ExecutionError SwipeError(string listingId, SwipeOutcome outcome) => outcome.Status switch
    {
        SwipeStatus.NoSuchCard => GraphErrors.NotFoundError($"There is no live listing '{listingId}'."),
        SwipeStatus.OwnCard => GraphErrors.ConflictError("That is your own card."),
        _ => GraphErrors.ConflictError(outcome.Detail ?? "That cannot be done now."),
    };

    /// <summary>The one translation of an account outcome into a GraphQL error.</summary>
    private static ExecutionError AccountError(AccountOutcome outcome) => outcome.Status switch
    {
        AccountStatus.Invalid => GraphErrors.Invalid(outcome.Field!, outcome.Detail!),
        AccountStatus.Taken or AccountStatus.NoProfile => GraphErrors.ConflictError(outcome.Detail!),
        AccountStatus.Unauthorized => GraphErrors.Coded(GraphErrors.Unauthenticated, outcome.Detail!),
        AccountStatus.Throttled => GraphErrors.Limited(outcome.RetryAfter, outcome.Detail!),
        AccountStatus.WrongCode => GraphErrors.Invalid("code", outcome.Detail!),
        _ => GraphErrors.NotFoundError(outcome.Detail ?? "The account no longer exists."),
    };

    private static JsonElement? Json(Dictionary<string, object?> input, string name) => input.GetValueOrDefault(name) as JsonElement?;

    private static IReadOnlyList<string>? Strings(Dictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is IEnumerable<object?> values ? [.. values.Select(v => v as string ?? "")] : null;

    private static LocationInput? Location(Dictionary<string, object?> input) =>
        input.GetValueOrDefault("location") is Dictionary<string, object?> place
            ? new LocationInput(Convert.ToDouble(place["lat"], System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToDouble(place["lon"], System.Globalization.CultureInfo.InvariantCulture), place.GetValueOrDefault("district") as string)
            : null;

    private static Deals.OfferResponse Offer(Deals.DealOutcome outcome) => outcome.Status switch
    {
        Deals.DealStatus.Done => Deals.OfferResponse.From(outcome.Offer!, outcome.ConversationId!),
        Deals.DealStatus.NotFound => throw GraphErrors.NotFoundError(outcome.Detail!),
        Deals.DealStatus.Invalid => throw GraphErrors.Invalid(outcome.Field!, outcome.Detail!),
        _ => throw GraphErrors.ConflictError(outcome.Detail!),
    };
}
