using GraphQL.Types;
using Pairwise.Social;

namespace Pairwise.Graph;

public sealed class SocialPostType : ObjectGraphType<FeedItemResponse>
{
    public SocialPostType()
    {
        Name = "SocialPost";
        Description = "An item of your aggregated feed: a post of a profile you follow (or your own), or of an account your linked accounts follow.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Bookmark it with PUT /v1/bookmarks/posts/{id}.").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<SocialSourceType>>("source").Resolve(c => c.Source.Source);
        Field<NonNullGraphType<SocialAuthorType>>("author").Resolve(c => c.Source.Author);
        Field(p => p.Text);
        Field(p => p.Url, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("imageUrls").Resolve(c => c.Source.Images.Select(i => i.Url));
        Field<IdGraphType>("listingId").Description("Set when the post announces a new listing.").Resolve(c => c.Source.ListingId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("publishedAt").Resolve(c => c.Source.PublishedAt);
        Field(p => p.Bookmarked);
    }
}

public sealed class SocialSourceType : ObjectGraphType<SourceResponse>
{
    public SocialSourceType()
    {
        Name = "SocialSource";
        Description = "Where a feed item came from. Watch it with PUT /v1/watches/{id}.";
        Field(s => s.Kind).Description("pairwise, bluesky or feed.");
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<IdGraphType>("profileId").Resolve(c => c.Source.ProfileId);
        Field<IdGraphType>("linkedAccountId").Resolve(c => c.Source.LinkedAccountId);
        Field(s => s.Account, nullable: true).Description("The linked account it came through (its handle).");
        Field(s => s.Stale).Description("The source's last poll failed: what you see may be out of date.");
        Field(s => s.Watching);
    }
}

public sealed class SocialAuthorType : ObjectGraphType<AuthorResponse>
{
    public SocialAuthorType()
    {
        Name = "SocialAuthor";
        Field(a => a.Name);
        Field(a => a.Handle, nullable: true);
        Field<IdGraphType>("profileId").Resolve(c => c.Source.ProfileId);
        Field(a => a.Url, nullable: true);
    }
}

public sealed class FollowPayloadType : ObjectGraphType<FollowResponse>
{
    public FollowPayloadType()
    {
        Name = "FollowPayload";
        Field<NonNullGraphType<IdGraphType>>("profileId").Resolve(c => c.Source.ProfileId);
        Field(f => f.Following);
        Field<NonNullGraphType<IntGraphType>>("followers").Resolve(c => (int)Math.Min(int.MaxValue, c.Source.Followers));
    }
}
