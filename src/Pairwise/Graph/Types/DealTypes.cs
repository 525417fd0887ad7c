using GraphQL.Types;
using Pairwise.Deals;

namespace Pairwise.Graph;

/// <summary>A page of search results with how many match in all.</summary>
public sealed record SearchResult(int Total, IReadOnlyList<ListingNode> Nodes, string? EndCursor) : IPage;

public sealed class SearchResultType : ObjectGraphType<SearchResult>
{
    public SearchResultType()
    {
        Name = "SearchResult";
        Description = "One page of listings that match a search, and how many match in all. Pass pageInfo.endCursor as after for the next page.";
        Field<NonNullGraphType<IntGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ListingType>>>>("nodes").Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source);
    }
}

public sealed class SearchFilterType : InputObjectGraphType
{
    public SearchFilterType()
    {
        Name = "SearchFilter";
        Description = "Filters that combine (all must hold), as GET /v1/markets/{market}/search takes them.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("A listing must have all of them.");
        Field<DecimalGraphType>("minPrice");
        Field<DecimalGraphType>("maxPrice");
        Field<GeoInputType>("near").Description("Each listing's distance from this place (and with radiusKm, only those within).");
        Field<FloatGraphType>("radiusKm");
        Field<StringGraphType>("side").Description("Only listings of this side.");
        Field<ListGraphType<NonNullGraphType<ValueFilterType>>>("values").Description("Category attributes of the market's listings: category = bikes, condition = used.");
    }
}

public sealed class ValueFilterType : InputObjectGraphType
{
    public ValueFilterType()
    {
        Name = "ValueFilter";
        Field<NonNullGraphType<StringGraphType>>("name").Description("A category attribute of the market's listings.");
        Field<NonNullGraphType<StringGraphType>>("value").Description("One of its values.");
    }
}

public sealed class OfferType : ObjectGraphType<OfferResponse>
{
    public OfferType()
    {
        Name = "Offer";
        Description = "An amount one party of a marketplace match proposed for the listing.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("matchId").Resolve(c => c.Source.MatchId);
        Field<NonNullGraphType<IdGraphType>>("roomId").Description("The conversation it is made in.").Resolve(c => c.Source.ConversationId);
        Field<NonNullGraphType<IdGraphType>>("listingId").Resolve(c => c.Source.ListingId);
        Field<NonNullGraphType<IdGraphType>>("byUserId").Description("Who proposed it.").Resolve(c => c.Source.ByUserId);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<StringGraphType>("currency").Description("ISO 4217, from the market.").Resolve(c => c.Source.Currency);
        Field<StringGraphType>("note").Resolve(c => c.Source.Note);
        Field<NonNullGraphType<StringGraphType>>("status").Description("pending, accepted, declined, countered, withdrawn, cancelled or completed.").Resolve(c => c.Source.Status);
        Field<StringGraphType>("reason").Description("Why the platform closed it (reserved for or sold to another buyer).").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
        Field<DateTimeOffsetGraphType>("answeredAt").Resolve(c => c.Source.AnsweredAt);
    }
}

public sealed class DealType : ObjectGraphType<DealResponse>
{
    public DealType()
    {
        Name = "Deal";
        Description = "The priced offers of a marketplace match, with the listing's status now.";
        Field<NonNullGraphType<IdGraphType>>("matchId").Resolve(c => c.Source.MatchId);
        Field<NonNullGraphType<IdGraphType>>("listingId").Resolve(c => c.Source.ListingId);
        Field<StringGraphType>("listingStatus").Description("active, reserved, sold…; null when the listing is gone.").Resolve(c => c.Source.ListingStatus);
        Field<DecimalGraphType>("listingPrice").Resolve(c => c.Source.ListingPrice);
        Field<IdGraphType>("pending").Description("The offer waiting for an answer.").Resolve(c => c.Source.Pending);
        Field<IdGraphType>("accepted").Description("The accepted offer while the deal is on.").Resolve(c => c.Source.Accepted);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OfferType>>>>("offers").Description("Oldest first.").Resolve(c => c.Source.Offers);
    }
}

public sealed class OfferActionType : EnumerationGraphType
{
    public OfferActionType()
    {
        Name = "OfferAction";
        Description = "What can be done with an offer: the other party accepts or declines it, its maker withdraws it; an accepted one is called off by either party or completed by the seller.";
        foreach (var action in new[] { DealActions.Accept, DealActions.Decline, DealActions.Withdraw, DealActions.Cancel, DealActions.Complete })
        {
            Add(action.ToUpperInvariant(), action);
        }
    }
}
