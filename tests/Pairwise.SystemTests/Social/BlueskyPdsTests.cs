namespace Pairwise.Tests.Social;

/// <summary>The Bluesky PDS the social tests stand on: what it serves, and that it survives an outage.</summary>
public sealed class BlueskyPdsTests
{
    [Fact]
    public async Task AFollowAndAPostCanBeReadFromTheirRepositoriesWithoutAToken()
    {
        await using var pds = await BlueskyPds.StartAsync();
        var investor = await pds.CreateAccountAsync("investor-ola.test");
        var founder = await pds.CreateAccountAsync("founder-mei.test");

        var follow = await pds.FollowAsync(investor, founder.Did);
        var post = await pds.PostAsync(founder, "Looking for a co-founder who ships.");

        var posts = await pds.ListRecordsAsync(founder.Did, "app.bsky.feed.post");
        var written = Assert.Single(posts);
        Assert.Equal(post.Uri, written.GetProperty("uri").GetString());
        Assert.Equal("Looking for a co-founder who ships.", written.GetProperty("value").GetProperty("text").GetString());
        var follows = await pds.ListRecordsAsync(investor.Did, "app.bsky.graph.follow");
        Assert.Equal(follow.Uri, Assert.Single(follows).GetProperty("uri").GetString());
        Assert.Equal(founder.Did, follows[0].GetProperty("value").GetProperty("subject").GetString());

        await pds.DeleteRecordAsync(investor, follow.Uri);
        Assert.Empty(await pds.ListRecordsAsync(investor.Did, "app.bsky.graph.follow"));
    }

    [Fact]
    public async Task AccountsPostsAndAppPasswordsSurviveARestartOnTheSamePort()
    {
        await using var pds = await BlueskyPds.StartAsync();
        var account = await pds.CreateAccountAsync("founder-ana.test");
        var appPassword = await pds.CreateAppPasswordAsync(account, "pairwise");
        var post = await pds.PostAsync(account, "Still here after the outage.");

        await pds.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => pds.ListRecordsAsync(account.Did, "app.bsky.feed.post"));
        await pds.StartAgainAsync();

        var session = await pds.CreateSessionAsync(account.Handle, appPassword);
        Assert.Equal(account.Did, session.Did);
        Assert.Equal(post.Uri, Assert.Single(await pds.ListRecordsAsync(account.Did, "app.bsky.feed.post")).GetProperty("uri").GetString());
        // The DID still resolves (the directory stayed up) to this PDS.
        using var plc = new HttpClient();
        var document = await plc.GetFromJsonAsync<JsonElement>(new Uri(pds.PlcDirectory, $"/{account.Did}"));
        Assert.Equal(pds.Service.ToString().TrimEnd('/'), document.GetProperty("service")[0].GetProperty("serviceEndpoint").GetString());
        // A token issued before the outage still works: the PDS kept its secrets.
        await pds.PostAsync(account, "Written with the old token.");
    }
}
