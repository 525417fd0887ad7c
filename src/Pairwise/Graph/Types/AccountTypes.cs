using GraphQL;
using GraphQL.Types;
using Pairwise.Accounts;
using Pairwise.Markets;
using Pairwise.Swipes;

namespace Pairwise.Graph;

public sealed class MeType : ObjectGraphType<MeResponse>
{
    public MeType()
    {
        Name = "Me";
        Description = "The signed-in account (seed 002's GetUserInfo): its verification state, current mode and profiles.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.UserId);
        Field(m => m.Email);
        Field(m => m.DisplayName);
        Field(m => m.EmailVerified);
        Field(m => m.PhoneVerified);
        Field(m => m.VerifiedShop).Description("An operator approved this account's shop verification.");
        Field(m => m.Phone, nullable: true);
        Field<JsonGraphType>("currentMode").Description("The market and side the account is using now.").Resolve(c => c.Source.CurrentMode);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProfileSummaryType>>>>("profiles").Resolve(c => c.Source.Profiles);
        Field<MyProfileType>("profile").Description("Your own profile on a side of a market, preferences included; null when you have none.")
            .Argument<NonNullGraphType<IdGraphType>>("market")
            .Argument<NonNullGraphType<StringGraphType>>("side")
            .ResolveAsync(async c => (await c.Service<Profiles.ProfileStore>().FindOwnAsync(c.Source.UserId, c.GetArgument<string>("market"), c.GetArgument<string>("side"), c.CancellationToken))?.Record);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

public sealed class ProfileSummaryType : ObjectGraphType<ProfileSummary>
{
    public ProfileSummaryType()
    {
        Name = "ProfileSummary";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Market, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Side);
        Field(p => p.DisplayName);
        Field(p => p.Completeness);
    }
}

public sealed class AuthPayloadType : ObjectGraphType<TokenResponse>
{
    public AuthPayloadType()
    {
        Name = "AuthPayload";
        Description = "A session: send accessToken as Authorization: Bearer …; renew it with refresh before expiresIn seconds pass.";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field(t => t.AccessToken);
        Field(t => t.RefreshToken).Description("Single use: each refresh returns the next one.");
        Field(t => t.ExpiresIn).Description("Seconds until the access token expires.");
        Field(t => t.TokenType);
    }
}

public sealed class MarketType : ObjectGraphType<MarketDefinition>
{
    public MarketType()
    {
        Name = "Market";
        Description = "A matching arena (venture, gigs, marketplace, or one an operator defines).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(m => m.Name);
        Field(m => m.Description, nullable: true);
        Field<NonNullGraphType<StringGraphType>>("matchRule").Description("mutual (both like), instant (a like opens an offer), or selection (an owner selects one responder).")
            .Resolve(c => c.Source.MatchRule.ToString().ToLowerInvariant());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SideType>>>>("sides").Resolve(c => c.Source.Sides);
        Field<NonNullGraphType<JsonGraphType>>("definition").Description("The whole market file: attribute, preference and listing schemas, scoring. Build forms from it.")
            .Resolve(c => c.Source);
    }
}

public sealed class SideType : ObjectGraphType<SideDefinition>
{
    public SideType()
    {
        Name = "Side";
        Field(s => s.Id);
        Field(s => s.Name);
        Field(s => s.Description, nullable: true);
        Field<NonNullGraphType<StringGraphType>>("presentation").Description("card (each profile is one card) or listings (profiles own listings).")
            .Resolve(c => c.Source.Presentation.ToString().ToLowerInvariant());
    }
}

public sealed class SwipeResultType : ObjectGraphType<SwipeOutcome>
{
    public SwipeResultType()
    {
        Name = "SwipeResult";
        Field<NonNullGraphType<BooleanGraphType>>("matched").Description("A match (or, in instant markets, an offer) exists now.").Resolve(c => c.Source.Matched);
        Field<IdGraphType>("matchId").Resolve(c => c.Source.MatchId);
        Field<IdGraphType>("roomId").Description("The conversation the match opened.").Resolve(c => c.Source.ConversationId);
    }
}

public sealed class FeedCardType : ObjectGraphType<FeedCard>
{
    public FeedCardType()
    {
        Name = "FeedCard";
        Description = "A card of your feed, best first, with its score and why.";
        Field<NonNullGraphType<ListingType>>("listing").Resolve(c => c.Source.Listing);
        Field<NonNullGraphType<FloatGraphType>>("score").Resolve(c => c.Source.Score);
        Field<NonNullGraphType<JsonGraphType>>("explanation").Description("The terms of the score, as GET /v1/markets/{market}/feed gives them.").Resolve(c => c.Source.Explanation);
    }
}

public sealed record FeedCard(ListingNode Listing, double Score, object Explanation);
