using GraphQL;
using GraphQL.Types;
using Pairwise.Listings;
using Pairwise.Profiles;

namespace Pairwise.Graph;

/// <summary>A listing as one caller sees it: the record, its version when read alone (for <c>updateProduct</c>), its distance when searched near a place.</summary>
public sealed record ListingNode(ListingRecord Record, long? Version = null, double? DistanceKm = null);

public sealed class ListingType : ObjectGraphType<ListingNode>
{
    public ListingType()
    {
        Name = "Listing";
        Description = "A listing in a market: a product, a job, or a profile's card (a startup, an investor, a worker). Seed 002's Product.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Record.Id);
        Field<NonNullGraphType<IdGraphType>>("market").Resolve(c => c.Source.Record.Market);
        Field<NonNullGraphType<StringGraphType>>("side").Description("The side whose listing this is (seller, employer, startup…).").Resolve(c => c.Source.Record.Side);
        Field<NonNullGraphType<BooleanGraphType>>("isCard").Description("True for a profile's own card rather than something it offers.").Resolve(c => c.Source.Record.IsCard);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Record.Title);
        Field<StringGraphType>("description").Resolve(c => c.Source.Record.Description);
        Field<DecimalGraphType>("price").Resolve(c => c.Source.Record.Price);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags").Resolve(c => c.Source.Record.Tags);
        Field<NonNullGraphType<JsonGraphType>>("attributes").Description("Checked against the market's listing schema.").Resolve(c => c.Source.Record.Attributes);
        Field<LocationType>("location").Resolve(c => c.Source.Record.Location);
        Field<FloatGraphType>("distanceKm").Description("From the place searched near (listings with filterBy.near).").Resolve(c => c.Source.DistanceKm is { } d ? Math.Round(d, 3) : null);
        Field<NonNullGraphType<StringGraphType>>("status").Description("draft, live, then what the market allows (reserved, sold, filled…).").Resolve(c => c.Source.Record.Status);
        Field<IntGraphType>("version").Description("Pass to updateProduct as version to refuse overwriting a newer change. Set when the listing is read alone.")
            .Resolve(c => c.Source.Version is { } v ? (int)v : null);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.Record.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(c => c.Source.Record.UpdatedAt);
        Field<DateTimeOffsetGraphType>("expiresAt").Resolve(c => c.Source.Record.ExpiresAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImageType>>>>("images")
            .Description("In the owner's order; the first is the cover. Upload with REST: POST /v1/listings/{id}/images (multipart).")
            .Argument<IntGraphType>("first", "At most this many (the cover first).")
            .Resolve(c =>
            {
                var links = c.Service<ImageLinks>();
                var listing = c.Source.Record;
                var first = c.GetArgument<int?>("first");
                if (first is < 0)
                {
                    throw GraphErrors.Invalid("first", "Must be 0 or more.");
                }
                return listing.Images.Take(first ?? int.MaxValue).Select(i => ImageResponse.From(i, links.Url(listing, i)));
            });
        Field<ProfileType>("owner").Description("The profile that owns it (batched: one read for a whole page of listings).")
            .Resolve(c => c.Caller().Loaders.Profiles.Load(c.Source.Record.OwnerProfileId));
    }
}

public sealed class LocationType : ObjectGraphType<ListingLocation>
{
    public LocationType()
    {
        Name = "Location";
        Field(l => l.Lat).Description("Latitude in degrees.");
        Field(l => l.Lon).Description("Longitude in degrees.");
        Field(l => l.District, nullable: true);
    }
}

public sealed class ImageType : ObjectGraphType<ImageResponse>
{
    public ImageType()
    {
        Name = "Image";
        Field(i => i.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(i => i.Url).Description("Where to fetch it (drafts' images by a signed, expiring link).");
        Field(i => i.ContentType);
        Field(i => i.Width);
        Field(i => i.Height);
    }
}

/// <summary>A profile as others see it; preferences stay private.</summary>
public sealed class ProfileType : ObjectGraphType<ProfileRecord>
{
    public ProfileType()
    {
        Name = "Profile";
        Description = "A member's profile on one side of a market, as others see it (preferences stay private).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field<NonNullGraphType<IdGraphType>>("market").Resolve(c => c.Source.Market);
        Field<NonNullGraphType<StringGraphType>>("side").Resolve(c => c.Source.Side);
        Field<NonNullGraphType<StringGraphType>>("displayName").Resolve(c => c.Source.DisplayName);
        Field<NonNullGraphType<JsonGraphType>>("attributes").Resolve(c => c.Source.Attributes);
        Field<NonNullGraphType<FloatGraphType>>("completeness").Resolve(c => c.Source.Completeness);
        Field<IdGraphType>("cardId").Description("The listing that shows this profile, on sides shown as cards.").Resolve(c => c.Source.CardId);
        Field<NonNullGraphType<JsonGraphType>>("ratings").Description("What others said after deals: good, neutral, bad, badRatio, averageStars.")
            .Resolve(c => RatingsResponse.From(c.Source.Ratings));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

/// <summary>The caller's own profile on a side, preferences included.</summary>
public sealed class MyProfileType : ObjectGraphType<ProfileRecord>
{
    public MyProfileType()
    {
        Name = "MyProfile";
        Description = "Your own profile on one side of a market, with your private preferences.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("market").Resolve(c => c.Source.Market);
        Field<NonNullGraphType<StringGraphType>>("side").Resolve(c => c.Source.Side);
        Field<NonNullGraphType<StringGraphType>>("displayName").Resolve(c => c.Source.DisplayName);
        Field<NonNullGraphType<JsonGraphType>>("attributes").Resolve(c => c.Source.Attributes);
        Field<NonNullGraphType<JsonGraphType>>("preferences").Resolve(c => c.Source.Preferences);
        Field<NonNullGraphType<FloatGraphType>>("completeness").Resolve(c => c.Source.Completeness);
        Field<IdGraphType>("cardId").Resolve(c => c.Source.CardId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
    }
}
