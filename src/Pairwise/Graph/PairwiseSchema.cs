using GraphQL.Types;

namespace Pairwise.Graph;

/// <summary>The GraphQL schema of the whole platform (seed 002's gateway, over every market).</summary>
public sealed class PairwiseSchema : Schema
{
    public PairwiseSchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription) : base(services)
    {
        Description = "Pairwise: two-sided matching over every market of this platform. The same accounts, rules and data as the REST API "
            + "(/v1, described at /openapi/v1.json); the same bearer access token. Image upload stays REST: POST /v1/listings/{id}/images (multipart).";
        // What graphql-js's introspection query asks about (isRepeatable, deprecated arguments): every client tool can read the schema.
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
    }
}
