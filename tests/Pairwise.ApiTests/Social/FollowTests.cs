using Microsoft.Extensions.DependencyInjection;
using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Social;

/// <summary>Following profiles, their posts in the aggregated feed, blocks, bookmarks and watches, through the API.</summary>
public sealed class FollowTests
{
    private static async Task<(UserSession Founder, string ProfileId)> StartupAsync(PairwiseApp app, string name = "Lantern Pay")
    {
        var founder = await app.SignUpAsync();
        var profile = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = name,
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = "Payments for night markets." },
        }), HttpStatusCode.Created);
        return (founder, profile.GetProperty("id").GetString()!);
    }

    private static async Task<string> PostAsync(UserSession author, string profileId, string text, string? link = null) =>
        (await Expect.Json(await author.Client.PostAsJsonAsync("/v1/posts", new { profileId, text, link }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task<JsonElement> FeedAsync(UserSession user, string query = "") =>
        await Expect.Json(await user.Client.GetAsync($"/v1/social/feed{query}"), HttpStatusCode.OK);

    private static List<string> Texts(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!)];

    [Theory]
    [OnEachEngine]
    public async Task FollowersSeeAProfilesPostsNewestFirstPageByPage(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startup) = await StartupAsync(app);
        var reader = await app.SignUpAsync();

        var followed = await Expect.Json(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        Assert.True(followed.GetProperty("following").GetBoolean());
        Assert.Equal(1, followed.GetProperty("followers").GetInt32());
        // Idempotent; one's own profile cannot be followed; an unknown one is not found.
        Assert.Equal(1, (await Expect.Json(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK)).GetProperty("followers").GetInt32());
        await Expect.Problem(await founder.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.Conflict);
        await Expect.Problem(await reader.Client.PutAsync("/v1/profiles/prf_nope/follow", null), HttpStatusCode.NotFound);

        var followers = await Expect.Json(await reader.Client.GetAsync($"/v1/profiles/{startup}/followers"), HttpStatusCode.OK);
        Assert.Equal(1, followers.GetProperty("total").GetInt32());
        Assert.True(followers.GetProperty("following").GetBoolean());
        Assert.Equal(reader.UserId, followers.GetProperty("items")[0].GetProperty("userId").GetString());
        var following = await Expect.Json(await reader.Client.GetAsync("/v1/me/following"), HttpStatusCode.OK);
        Assert.Equal("Lantern Pay", following.GetProperty("items")[0].GetProperty("displayName").GetString());
        Assert.Equal(1, following.GetProperty("total").GetInt32());

        // The feed is read (and its list cached) before the posts exist: fan-out on write must reach it.
        Assert.Empty(Texts(await FeedAsync(reader)));
        await PostAsync(founder, startup, "We opened a waitlist.");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await PostAsync(founder, startup, "Seed round closed.", "https://example.com/news");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(founder, startup, "Hiring a designer.");

        var feed = await FeedAsync(reader);
        Assert.Equal(["Hiring a designer.", "Seed round closed.", "We opened a waitlist."], Texts(feed));
        // The author sees their own posts in their feed too.
        Assert.Equal(Texts(feed), Texts(await FeedAsync(founder)));
        var state = await Expect.Json(await reader.Client.GetAsync($"/v1/profiles/{startup}/follow"), HttpStatusCode.OK);
        Assert.True(state.GetProperty("following").GetBoolean());
        Assert.False((await Expect.Json(await founder.Client.GetAsync($"/v1/profiles/{startup}/follow"), HttpStatusCode.OK)).GetProperty("following").GetBoolean());
        var item = feed.GetProperty("items")[1];
        Assert.Equal("pairwise", item.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(startup, item.GetProperty("source").GetProperty("profileId").GetString());
        Assert.Equal("Lantern Pay", item.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("https://example.com/news", item.GetProperty("url").GetString());

        // Pages of two: the cursor goes on where the page ended.
        var first = await FeedAsync(reader, "?limit=2");
        Assert.Equal(["Hiring a designer.", "Seed round closed."], Texts(first));
        var next = await FeedAsync(reader, $"?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["We opened a waitlist."], Texts(next));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);

        // A deleted post leaves every feed at once; only its author may delete it.
        await Expect.Problem(await reader.Client.DeleteAsync($"/v1/posts/{second}"), HttpStatusCode.NotFound);
        await Expect.Status(await founder.Client.DeleteAsync($"/v1/posts/{second}"), HttpStatusCode.NoContent);
        Assert.Equal(["Hiring a designer.", "We opened a waitlist."], Texts(await FeedAsync(reader)));
        Assert.Equal(2, (await Expect.Json(await reader.Client.GetAsync($"/v1/profiles/{startup}/posts"), HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        // Unfollowing empties the feed.
        Assert.Equal(0, (await Expect.Json(await reader.Client.DeleteAsync($"/v1/profiles/{startup}/follow"), HttpStatusCode.OK)).GetProperty("followers").GetInt32());
        Assert.Empty(Texts(await FeedAsync(reader)));
    }

    [Theory]
    [OnEachEngine]
    public async Task AProfileWithManyFollowersIsMergedAtReadInstead(Engine engine)
    {
        // With a fan-out limit of 1, the second follower makes the profile one whose posts are read-merged.
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Social:FanOutLimit"] = "1" });
        var (founder, startup) = await StartupAsync(app);
        var (other, quiet) = await StartupAsync(app, "Quiet Labs");
        var reader = await app.SignUpAsync();
        var second = await app.SignUpAsync();
        foreach (var user in new[] { reader, second })
        {
            await Expect.Status(await user.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        }
        await Expect.Status(await reader.Client.PutAsync($"/v1/profiles/{quiet}/follow", null), HttpStatusCode.OK);
        Assert.Empty(Texts(await FeedAsync(reader)));

        await PostAsync(founder, startup, "Popular news.");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(other, quiet, "Quiet news.");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(founder, startup, "More popular news.");

        Assert.Equal(["More popular news.", "Quiet news.", "Popular news."], Texts(await FeedAsync(reader)));
        Assert.Equal(["More popular news.", "Popular news."], Texts(await FeedAsync(second)));
        var page = await FeedAsync(reader, "?limit=1");
        Assert.Equal(["Quiet news."], Texts(await FeedAsync(reader, $"?limit=1&cursor={page.GetProperty("nextCursor").GetString()}")));
    }

    [Theory]
    [OnEachEngine]
    public async Task AListBuiltBeforeAProfilePassedTheFanOutLimitStillGetsItsPosts(Engine engine)
    {
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Social:FanOutLimit"] = "1" });
        var (founder, startup) = await StartupAsync(app);
        var reader = await app.SignUpAsync();
        await Expect.Status(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        await PostAsync(founder, startup, "Fanned out.");
        // The reader's list is built while the profile has one follower (its posts are fanned out)...
        Assert.Equal(["Fanned out."], Texts(await FeedAsync(reader)));

        // ...then a second follower takes it past the limit: its next post is merged at read, also for the reader.
        await Expect.Status(await (await app.SignUpAsync()).Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(founder, startup, "Merged at read.");
        Assert.Equal(["Merged at read.", "Fanned out."], Texts(await FeedAsync(reader)));
    }

    [Theory]
    [OnEachEngine]
    public async Task NewListingsOfAFollowedSellerArriveAsPosts(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var seller = await Marketplace.SellerAsync(app);
        var buyer = await app.SignUpAsync();
        var first = await Marketplace.ProductAsync(seller, "Road bike");
        var sellerProfile = first.GetProperty("ownerProfileId").GetString()!;
        await Expect.Status(await buyer.Client.PutAsync($"/v1/profiles/{sellerProfile}/follow", null), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var product = await Marketplace.ProductAsync(seller, "Folding bike");

        var feed = await FeedAsync(buyer);
        Assert.Equal(["New: Folding bike — Well kept.", "New: Road bike — Well kept."], Texts(feed));
        Assert.Equal(product.GetProperty("id").GetString(), feed.GetProperty("items")[0].GetProperty("listingId").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task BlockedPeopleNeitherFollowNorSeePosts(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startup) = await StartupAsync(app);
        var reader = await app.SignUpAsync();
        var bystander = await app.SignUpAsync();
        foreach (var user in new[] { reader, bystander })
        {
            await Expect.Status(await user.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);
        }
        var post = await PostAsync(founder, startup, "Before the block.");
        Assert.Single(Texts(await FeedAsync(reader)));

        await Expect.Status(await founder.Client.PostAsync($"/v1/users/{reader.UserId}/block", null), HttpStatusCode.OK);

        Assert.Empty(Texts(await FeedAsync(reader)));
        await Expect.Problem(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.NotFound);
        await Expect.Problem(await reader.Client.GetAsync($"/v1/profiles/{startup}/posts"), HttpStatusCode.NotFound);
        await Expect.Problem(await reader.Client.GetAsync($"/v1/profiles/{startup}/followers"), HttpStatusCode.NotFound);
        await Expect.Problem(await reader.Client.GetAsync($"/v1/posts/{post}"), HttpStatusCode.NotFound);
        await Expect.Problem(await reader.Client.PutAsync($"/v1/bookmarks/posts/{post}", null), HttpStatusCode.NotFound);
        // The founder no longer sees the blocked follower among their followers; others still see the post.
        var followers = await Expect.Json(await founder.Client.GetAsync($"/v1/profiles/{startup}/followers"), HttpStatusCode.OK);
        Assert.DoesNotContain(reader.UserId, followers.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("userId").GetString()));
        Assert.Equal(["Before the block."], Texts(await FeedAsync(bystander)));
    }

    [Theory]
    [OnEachEngine]
    public async Task BookmarksAndWatchesArePersonal(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startup) = await StartupAsync(app);
        var reader = await app.SignUpAsync();
        var stranger = await app.SignUpAsync();
        await Expect.Status(await reader.Client.PutAsync($"/v1/profiles/{startup}/follow", null), HttpStatusCode.OK);

        // Watching needs a source one follows.
        await Expect.Problem(await stranger.Client.PutAsync($"/v1/watches/{startup}", null), HttpStatusCode.NotFound);
        var watch = await Expect.Json(await reader.Client.PutAsync($"/v1/watches/{startup}", null), HttpStatusCode.OK);
        Assert.Equal("Lantern Pay", watch.GetProperty("name").GetString());

        var post = await PostAsync(founder, startup, "Demo day on Friday.");
        await PostAsync(founder, startup, "Slides are up.");
        // One notification per source per interval, not one per post.
        var tray = await Expect.Json(await reader.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        var posts = tray.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("type").GetString() == "post").ToList();
        Assert.Single(posts);
        Assert.Contains("Demo day on Friday.", posts[0].GetProperty("body").GetString());
        Assert.DoesNotContain((await Expect.Json(await stranger.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray(),
            n => n.GetProperty("type").GetString() == "post");

        // Bookmarks: idempotent, listed with the post, marked in the feed, invisible to others.
        await Expect.Status(await reader.Client.PutAsync($"/v1/bookmarks/posts/{post}", null), HttpStatusCode.Created);
        await Expect.Status(await reader.Client.PutAsync($"/v1/bookmarks/posts/{post}", null), HttpStatusCode.OK);
        var saved = await Expect.Json(await reader.Client.GetAsync("/v1/bookmarks/posts"), HttpStatusCode.OK);
        Assert.Equal(post, saved.GetProperty("items")[0].GetProperty("itemId").GetString());
        Assert.Equal("pairwise", saved.GetProperty("items")[0].GetProperty("provider").GetString());
        Assert.Equal("Demo day on Friday.", saved.GetProperty("items")[0].GetProperty("post").GetProperty("text").GetString());
        Assert.Contains((await FeedAsync(reader)).GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == post && i.GetProperty("bookmarked").GetBoolean()
            && i.GetProperty("source").GetProperty("watching").GetBoolean());
        Assert.Empty((await Expect.Json(await stranger.Client.GetAsync("/v1/bookmarks/posts"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await Expect.Json(await stranger.Client.GetAsync("/v1/me/watches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Single((await Expect.Json(await reader.Client.GetAsync("/v1/me/watches"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await Expect.Status(await reader.Client.DeleteAsync($"/v1/bookmarks/posts/{post}"), HttpStatusCode.NoContent);
        Assert.Empty((await Expect.Json(await reader.Client.GetAsync("/v1/bookmarks/posts"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [OnEachEngine]
    public async Task WrongRequestsAreProblems(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var (founder, startup) = await StartupAsync(app);
        var other = await app.SignUpAsync();

        await Expect.Problem(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "  " }), HttpStatusCode.BadRequest);
        await Expect.Problem(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Hi", link = "javascript:alert(1)" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = new string('a', 3001) }), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Not mine" }), HttpStatusCode.NotFound);
        await Expect.Problem(await other.Client.GetAsync("/v1/social/feed?limit=0"), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.GetAsync("/v1/social/feed?cursor=garbage"), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.GetAsync($"/v1/profiles/{startup}/followers?cursor=garbage"), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.PutAsync("/v1/bookmarks/posts/pst_nope", null), HttpStatusCode.NotFound);
        await Expect.Problem(await other.Client.PutAsync("/v1/watches/lnk_nope", null), HttpStatusCode.NotFound);
        await Expect.Problem(await other.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "myspace" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "bluesky", identifier = "a.test" }), HttpStatusCode.BadRequest);
        await Expect.Problem(await other.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "feed", url = "file:///etc/passwd" }), HttpStatusCode.BadRequest);

        // A post's images: up to four, real images only.
        var post = await Expect.Json(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startup, text = "Our booth" }), HttpStatusCode.Created);
        var id = post.GetProperty("id").GetString();
        await Expect.Problem(await founder.Client.PostAsync($"/v1/posts/{id}/images", Marketplace.ImageForm("fake.jpg")), HttpStatusCode.BadRequest);
        for (var i = 0; i < 4; i++)
        {
            await Expect.Status(await founder.Client.PostAsync($"/v1/posts/{id}/images", Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        }
        await Expect.Problem(await founder.Client.PostAsync($"/v1/posts/{id}/images", Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Conflict);
        var images = (await Expect.Json(await other.Client.GetAsync($"/v1/posts/{id}"), HttpStatusCode.OK)).GetProperty("images");
        Assert.Equal(4, images.GetArrayLength());
        var image = await app.CreateClient().GetAsync(images[0].GetProperty("url").GetString());
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
    }
}
