using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Graph;

/// <summary>The GraphQL gateway on the real binary, with the reference clients from npm: graphql-ws for subscriptions, graphql for the schema.</summary>
[Trait("Category", "BinaryProcess")]
public sealed class GraphClientTests
{
    [Fact]
    public async Task TheGraphqlWsClientGetsARoomsMessagesSentOverRestAndGraphQLInOrderOnce()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("graphql"), new Dictionary<string, string> { ["Pairwise__RateLimits__SendBurst"] = "1000" });
        var pair = await MatchAsync(() => new HttpClient { BaseAddress = server.Address });
        await using var client = NodeScript.Start("graphql-ws-client.mjs", server.Address.ToString().TrimEnd('/'), Token(pair.Investor), pair.ConversationId);
        await client.WaitForAsync("ready");

        var sent = new List<string>();
        for (var i = 1; i <= 10; i++)
        {
            var text = $"rest {i}";
            await SendAsync(pair.Founder, pair.ConversationId, text, $"r{i}");
            sent.Add(text);
            text = $"graphql {i}";
            await Scenarios.Gql.DataAsync(pair.Founder.Client, "mutation($r: ID!, $t: String!, $c: String!) { sendMessage(roomId: $r, text: $t, clientMessageId: $c) { id } }",
                new { r = pair.ConversationId, t = text, c = $"g{i}" });
            sent.Add(text);
        }
        // The investor's own message comes back too; a stranger's token is refused by the protocol.
        await Scenarios.Gql.DataAsync(pair.Investor.Client, "mutation($r: ID!) { sendMessage(roomId: $r, text: \"mine\", clientMessageId: \"mine\") { id } }", new { r = pair.ConversationId });
        sent.Add("mine");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Events(client).Count < sent.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(500);
        var received = Events(client);
        Assert.Equal(sent, received.Select(e => e.GetProperty("text").GetString()));
        Assert.Equal(received.Count, received.Select(e => e.GetProperty("id").GetString()).Distinct().Count());

        var stranger = await SignUpAsync(new HttpClient { BaseAddress = server.Address }, "Sly Stranger");
        await using var spy = NodeScript.Start("graphql-ws-client.mjs", server.Address.ToString().TrimEnd('/'), Token(stranger), pair.ConversationId);
        var refused = await spy.WaitForAsync("error");
        Assert.Equal("NOT_FOUND", refused.GetProperty("error")[0].GetProperty("extensions").GetProperty("code").GetString());
        await using var forged = NodeScript.Start("graphql-ws-client.mjs", server.Address.ToString().TrimEnd('/'), "forged", pair.ConversationId);
        Assert.Equal(4403, (await forged.WaitForAsync("closed")).GetProperty("closed").GetInt32());
    }

    [Fact]
    public async Task TheReferenceImplementationReadsOurSchemaAndValidatesTheReadmesDocuments()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("graphql-schema"));
        await using var validator = NodeScript.Start("graphql-validate.mjs", server.Address.ToString().TrimEnd('/'), Path.Combine(Repository.Root, "README.md"));
        var done = await validator.WaitForAsync("done");
        Assert.True(done.GetProperty("done").GetInt32() >= 3, "The README should show a query, a mutation and a subscription.");
        Assert.True(validator.Lines.First(l => l.TryGetProperty("types", out _)).GetProperty("types").GetInt32() > 30);
        var documents = validator.Lines.Where(l => l.TryGetProperty("document", out _)).ToList();
        Assert.All(documents, d => Assert.True(d.GetProperty("errors").GetArrayLength() == 0, d.ToString()));
        Assert.Contains(documents, d => d.GetProperty("document").GetString()!.StartsWith("subscription", StringComparison.Ordinal));
        Assert.Contains(documents, d => d.GetProperty("document").GetString()!.StartsWith("mutation", StringComparison.Ordinal));
        Assert.Contains(documents, d => d.GetProperty("document").GetString()!.StartsWith("query", StringComparison.Ordinal));
    }

    private static List<JsonElement> Events(NodeScript client) =>
        [.. client.Lines.Where(l => l.TryGetProperty("next", out _)).Select(l => l.GetProperty("next").GetProperty("data").GetProperty("roomMessages"))];
}
