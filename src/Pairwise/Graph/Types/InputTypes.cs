using GraphQL.Types;
using Pairwise.Markets;
using Pairwise.Swipes;

namespace Pairwise.Graph;

public sealed class GeoInputType : InputObjectGraphType
{
    public GeoInputType()
    {
        Name = "GeoInput";
        Field<NonNullGraphType<FloatGraphType>>("lat").Description("Latitude in degrees.");
        Field<NonNullGraphType<FloatGraphType>>("lon").Description("Longitude in degrees.");
    }
}

public sealed class ListingFilterType : InputObjectGraphType
{
    public ListingFilterType()
    {
        Name = "ListingFilter";
        Description = "Filters that combine (all must hold), as GET /v1/markets/{market}/listings takes them.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("A listing must have all of them.");
        Field<DecimalGraphType>("minPrice");
        Field<DecimalGraphType>("maxPrice");
        Field<StringGraphType>("condition").Description("The condition attribute, e.g. new, used.");
        Field<GeoInputType>("near").Description("Only listings within radiusKm of this place, with their distance.");
        Field<FloatGraphType>("radiusKm").Description("Around near, in km (default 10).");
        Field<IdGraphType>("owner").Description("A profile id: only that owner's listings.");
        Field<StringGraphType>("side").Description("Only listings of this side.");
    }
}

public sealed class RoomFilterType : InputObjectGraphType
{
    public RoomFilterType()
    {
        Name = "RoomFilter";
        Field<RoleType>("role").Description("Only rooms where you are on this side (e.g. SELLER).");
    }
}

/// <summary>Every side of every market, as an enum value (SELLER for seller…): the roles a member can have in a room.</summary>
public sealed class RoleType : EnumerationGraphType
{
    public RoleType(MarketCatalog markets)
    {
        Name = "Role";
        Description = "A side of a market, as your role in a room.";
        foreach (var side in markets.All.SelectMany(m => m.Sides).Select(s => s.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Add(new string([.. side.ToUpperInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_')]), side);
        }
    }
}

public sealed class SwipeActionType : EnumerationGraphType
{
    public SwipeActionType()
    {
        Name = "SwipeAction";
        Add("LIKE", SwipeActions.Like, "Interested (in instant markets: an offer, which opens a room).");
        Add("SUPERLIKE", SwipeActions.Superlike, "Very interested: the owner is told so.");
        Add("PASS", SwipeActions.Pass, "Not interested (can be undone over REST).");
    }
}

public sealed class LocationInputType : InputObjectGraphType
{
    public LocationInputType()
    {
        Name = "LocationInput";
        Field<NonNullGraphType<FloatGraphType>>("lat");
        Field<NonNullGraphType<FloatGraphType>>("lon");
        Field<StringGraphType>("district");
    }
}

public sealed class ProductInputType : InputObjectGraphType
{
    public ProductInputType()
    {
        Name = "ProductInput";
        Description = "A listing to create: checked against the market's listing schema, as POST /v1/markets/{market}/listings checks it.";
        Field<StringGraphType>("side").Description("Your side that lists (when you have several).");
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<StringGraphType>("description");
        Field<JsonGraphType>("attributes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags");
        Field<DecimalGraphType>("price");
        Field<LocationInputType>("location");
        Field<StringGraphType>("status").Description("draft (only you see it) or live (the default).");
    }
}

public sealed class ProductUpdateInputType : InputObjectGraphType
{
    public ProductUpdateInputType()
    {
        Name = "ProductUpdateInput";
        Description = "The fields to change; attributes merge by name (null removes one); status moves forward only.";
        Field<StringGraphType>("title");
        Field<StringGraphType>("description");
        Field<JsonGraphType>("attributes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags");
        Field<DecimalGraphType>("price");
        Field<LocationInputType>("location");
        Field<StringGraphType>("status");
    }
}

public sealed class ProfileInputType : InputObjectGraphType
{
    public ProfileInputType()
    {
        Name = "ProfileInput";
        Description = "Your profile on a side: checked against the market's schemas. Replaces attributes and preferences as given.";
        Field<StringGraphType>("displayName");
        Field<JsonGraphType>("attributes");
        Field<JsonGraphType>("preferences");
    }
}

public sealed class AccountInputType : InputObjectGraphType
{
    public AccountInputType()
    {
        Name = "AccountInput";
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}
