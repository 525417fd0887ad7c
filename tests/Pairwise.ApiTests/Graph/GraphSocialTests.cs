using static Pairwise.Tests.Scenarios.Gql;

namespace Pairwise.Tests.Graph;

/// <summary>Following, posting and the aggregated feed through GraphQL: the same services and rules as REST.</summary>
public sealed class GraphSocialTests
{
    private const string Feed = """
        query Feed($after: String) { socialFeed(first: 1, after: $after) {
          nodes { id text url publishedAt bookmarked source { kind id profileId watching stale } author { name profileId } }
          pageInfo { hasNextPage endCursor } } }
        """;

    [Theory]
    [OnEachEngine]
    public async Task FollowPostAndReadTheFeedOverGraphQL(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var founder = await app.SignUpAsync();
        var startup = (await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments." },
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var reader = await app.SignUpAsync();

        var followed = await DataAsync(reader.Client, "mutation($p: ID!) { follow(profileId: $p) { profileId following followers } }", new { p = startup });
        Assert.Equal(1, followed.GetProperty("follow").GetProperty("followers").GetInt32());
        Assert.Equal(["CONFLICT"], Codes(await RunAsync(founder.Client, "mutation($p: ID!) { follow(profileId: $p) { following } }", new { p = startup })));
        Assert.Equal(["NOT_FOUND"], Codes(await RunAsync(reader.Client, "mutation { follow(profileId: \"prf_nope\") { following } }")));

        const string Create = "mutation($p: ID!, $t: String!, $l: String) { createPost(profileId: $p, text: $t, link: $l) { id text url source { kind profileId } } }";
        var first = (await DataAsync(founder.Client, Create, new { p = startup, t = "Waitlist open.", l = (string?)null })).GetProperty("createPost");
        Assert.Equal("pairwise", first.GetProperty("source").GetProperty("kind").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await DataAsync(founder.Client, Create, new { p = startup, t = "Seed round closed.", l = "https://example.com/seed" });
        Assert.Equal(["BAD_USER_INPUT"], Codes(await RunAsync(founder.Client, Create, new { p = startup, t = "Hi", l = "javascript:alert(1)" })));
        Assert.Equal(["NOT_FOUND"], Codes(await RunAsync(reader.Client, Create, new { p = startup, t = "Not mine", l = (string?)null })));

        // Page by page, the same order as REST.
        var page = (await DataAsync(reader.Client, Feed, new { after = (string?)null })).GetProperty("socialFeed");
        var item = page.GetProperty("nodes")[0];
        Assert.Equal(("Seed round closed.", "https://example.com/seed", "Lantern Pay"),
            (item.GetProperty("text").GetString(), item.GetProperty("url").GetString(), item.GetProperty("author").GetProperty("name").GetString()));
        Assert.True(page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var next = (await DataAsync(reader.Client, Feed, new { after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("socialFeed");
        Assert.Equal(first.GetProperty("id").GetString(), next.GetProperty("nodes")[0].GetProperty("id").GetString());
        var rest = await Expect.Json(await reader.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK);
        Assert.Equal(["Seed round closed.", "Waitlist open."], rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()));
        Assert.Equal(["BAD_USER_INPUT"], Codes(await RunAsync(reader.Client, Feed, new { after = "garbage" })));

        Assert.False((await DataAsync(reader.Client, "mutation($p: ID!) { unfollow(profileId: $p) { following } }", new { p = startup })).GetProperty("unfollow").GetProperty("following").GetBoolean());
        Assert.Equal(0, (await DataAsync(reader.Client, Feed, new { after = (string?)null })).GetProperty("socialFeed").GetProperty("nodes").GetArrayLength());
        Assert.Equal(["UNAUTHENTICATED"], Codes(await RunAsync(app.CreateClient(), Feed, new { after = (string?)null })));
    }
}
