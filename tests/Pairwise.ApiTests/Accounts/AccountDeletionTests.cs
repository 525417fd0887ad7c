using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Accounts;

public sealed class AccountDeletionTests
{
    [Theory]
    [OnEachEngine]
    public async Task ADeletedAccountLeavesNoItemKeyedByItsIdAndTheOtherSideKeepsASensibleConversation(Engine engine)
    {
        await using var blog = await FeedServer.StartAsync();
        blog.Add(new Pairwise.Tests.Infrastructure.FeedEntry("n1", "Notes", "One.", DateTimeOffset.UnixEpoch.AddYears(56)));
        using var app = new PairwiseApp(engine, new() { ["Pairwise:Social:AllowedFeedHosts:0"] = "127.0.0.1" });
        // The founder has a bit of everything: a card, a product with a photo, a bookmark, swipes, a match with
        // messages both ways, a priced offer countered, reviews given and received, a block, a digest, notifications.
        var pair = await MatchAsync(app);
        var founder = pair.Founder;
        await SendAsync(pair.Investor, pair.ConversationId, "Tell me about your traction.");
        await SendAsync(founder, pair.ConversationId, "We grew 20% a month.");
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Lantern Shop" } }), HttpStatusCode.Created);
        var product = (await Marketplace.ProductAsync(founder)).GetProperty("id").GetString()!;
        var photo = await Expect.Json(await founder.Client.PostAsync($"/v1/listings/{product}/images", Marketplace.ImageForm("photo.png")), HttpStatusCode.Created);
        var imageId = photo.GetProperty("images")[0].GetProperty("id").GetString()!;
        // A buyer's priced offer on the founder's product, and the founder's counter-offer.
        var buyer = await Marketplace.BuyerAsync(app);
        var offerMatch = (await Expect.Json(await buyer.Client.PostAsJsonAsync($"/v1/listings/{product}/swipe", new { action = "like" }), HttpStatusCode.OK)).GetProperty("matchId").GetString()!;
        await Expect.Status(await buyer.Client.PostAsJsonAsync($"/v1/matches/{offerMatch}/offers", new { amount = 250 }), HttpStatusCode.Created);
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/matches/{offerMatch}/offers", new { amount = 280 }), HttpStatusCode.Created);
        var other = await Marketplace.SellerAsync(app);
        var theirs = (await Marketplace.ProductAsync(other, title: "Lamp")).GetProperty("id").GetString()!;
        await Expect.Status(await founder.Client.PutAsync($"/v1/bookmarks/{theirs}", null), HttpStatusCode.Created);
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/users/{pair.Investor.UserId}/reviews", new { rating = "good", text = "Sharp questions.", contextId = pair.MatchId }), HttpStatusCode.Created);
        await Expect.Status(await pair.Investor.Client.PostAsJsonAsync($"/v1/users/{founder.UserId}/reviews", new { rating = "good", contextId = pair.MatchId }), HttpStatusCode.Created);
        await Expect.Status(await founder.Client.PostAsync($"/v1/users/{other.UserId}/block", null), HttpStatusCode.OK);
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "08:00", timeZone = "Asia/Hong_Kong" }), HttpStatusCode.OK);
        // Social: follows and watches both ways, posts, a post bookmark and a linked feed.
        static async Task<string> ProfileOf(UserSession user, string side) =>
            (await Expect.Json(await user.Client.GetAsync("/v1/me"), HttpStatusCode.OK)).GetProperty("profiles").EnumerateArray()
                .First(p => p.GetProperty("side").GetString() == side).GetProperty("id").GetString()!;
        var (startupProfile, fundProfile) = (await ProfileOf(founder, "startup"), await ProfileOf(pair.Investor, "investor"));
        foreach (var (user, profile) in new[] { (pair.Investor, startupProfile), (founder, fundProfile) })
        {
            await Expect.Status(await user.Client.PutAsync($"/v1/profiles/{profile}/follow", null), HttpStatusCode.OK);
            await Expect.Status(await user.Client.PutAsync($"/v1/watches/{profile}", null), HttpStatusCode.OK);
        }
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/posts", new { profileId = startupProfile, text = "Traction update." }), HttpStatusCode.Created);
        var fundPost = (await Expect.Json(await pair.Investor.Client.PostAsJsonAsync("/v1/posts", new { profileId = fundProfile, text = "Office hours." }), HttpStatusCode.Created)).GetProperty("id").GetString();
        await Expect.Status(await founder.Client.PutAsync($"/v1/bookmarks/posts/{fundPost}", null), HttpStatusCode.Created);
        await Expect.Status(await founder.Client.PostAsJsonAsync("/v1/me/linked-accounts", new { provider = "feed", url = blog.Feed }), HttpStatusCode.Created);
        var exportId = (await Expect.Json(await founder.Client.PostAsync("/v1/me/export", null), HttpStatusCode.Accepted)).GetProperty("exportId").GetString()!;
        for (var i = 0; i < 200 && (await founder.Client.GetAsync($"/v1/me/export/{exportId}")).StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(50);
        }
        Assert.Contains(Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories), f => f.Contains(exportId, StringComparison.Ordinal));
        Assert.Contains(await StoreScan.AllItemsAsync(app), item => item.Contains(founder.UserId, StringComparison.Ordinal));

        await Expect.Problem(await founder.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/v1/me") { Content = JsonContent.Create(new { password = "not my password" }) }), HttpStatusCode.BadRequest);
        await Expect.Status(await founder.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/v1/me") { Content = JsonContent.Create(new { password = founder.Password }) }), HttpStatusCode.NoContent);

        // Nothing is keyed by the founder's id any more; what still mentions them is documented (docs/privacy.md).
        var items = await StoreScan.AllItemsAsync(app);
        var keyed = items.Where(i => KeysOf(i, engine).Contains(founder.UserId, StringComparison.Ordinal)).ToList();
        Assert.True(keyed.Count == 0, "items keyed by the deleted user:\n" + string.Join('\n', keyed.Select(i => i[..Math.Min(200, i.Length)])));
        // Only what expires by itself: used-up refresh tokens (30 days) and the log of ended sessions (1 hour).
        var mentioned = items.Where(i => i.Contains(founder.UserId, StringComparison.Ordinal)
            && !i.Contains("REFRESH#", StringComparison.Ordinal) && !i.Contains("SESSION-ENDS", StringComparison.Ordinal)).ToList();
        Assert.True(mentioned.Count == 0, "items that still mention the deleted user:\n" + string.Join('\n', mentioned.Select(i => i[..Math.Min(200, i.Length)])));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "blobs", "images", imageId)));
        Assert.DoesNotContain(Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories),
            f => f.Contains(imageId, StringComparison.Ordinal) || f.Contains(exportId, StringComparison.Ordinal));

        // The investor's conversation is closed and still reads sensibly.
        // The investor no longer follows a startup that is gone, and its posts left their feed.
        Assert.Equal(0, (await Expect.Json(await pair.Investor.Client.GetAsync("/v1/me/following"), HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.DoesNotContain("Traction update.", (await Expect.Json(await pair.Investor.Client.GetAsync("/v1/social/feed"), HttpStatusCode.OK)).GetRawText(), StringComparison.Ordinal);
        var conversation = await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/conversations/{pair.ConversationId}"), HttpStatusCode.OK);
        Assert.Contains("Deleted account", conversation.GetRawText(), StringComparison.Ordinal);
        var texts = Texts(await MessagesAsync(pair.Investor, pair.ConversationId));
        Assert.Contains("Tell me about your traction.", texts);
        Assert.Contains("This message was deleted with its author's account.", texts);
        Assert.DoesNotContain("We grew 20% a month.", texts);
        await Expect.Problem(await pair.Investor.Client.PostAsJsonAsync($"/v1/conversations/{pair.ConversationId}/messages", new { text = "hello?", clientMessageId = "x1" }), HttpStatusCode.Forbidden);
        var reviews = await Expect.Json(await pair.Investor.Client.GetAsync($"/v1/users/{pair.Investor.UserId}/reviews"), HttpStatusCode.OK);
        Assert.Equal("Deleted account", reviews.GetProperty("items")[0].GetProperty("reviewerName").GetString());

        // Log-in answers exactly as for an unknown address; the address can sign up again.
        var anonymous = app.CreateClient();
        var deleted = await (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = founder.Email, password = founder.Password })).Content.ReadAsStringAsync();
        var unknown = await (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = "nobody-at-all@example.com", password = founder.Password })).Content.ReadAsStringAsync();
        Assert.Equal(Detail(unknown), Detail(deleted));
        await Expect.Problem(await founder.Client.GetAsync("/v1/me"), HttpStatusCode.Unauthorized);
        await app.SignUpAsync(founder.Email);
    }

    private static string Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString()!;

    /// <summary>The key attributes of a scanned item (everything before its data).</summary>
    private static string KeysOf(string item, Engine engine) =>
        engine == Engine.Sqlite ? string.Join('|', item.Split(" | ").Take(6)) : string.Join('|', item.Split(" | ").Where(part => !part.StartsWith('{')));
}
