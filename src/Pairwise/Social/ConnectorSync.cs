using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// Puts what a connector found into the store and the owner's feed list: new posts added, posts
/// gone upstream deleted (when the poll saw the whole window), the account's health recorded, and
/// the watchers of each source told of its new posts (not of the backlog found when linking).
/// </summary>
public sealed partial class ConnectorSync(IItemStore store, LinkedAccounts accounts, Timelines timelines, Watches watches, TimeProvider time, ILogger<ConnectorSync> logger)
{
    /// <summary>Polls one account with its connector and applies the result; false when the poll failed (the source is then marked stale).</summary>
    public async Task<bool> PollAsync(ISocialConnector connector, LinkedAccountRecord account, CancellationToken cancellationToken)
    {
        PollResult result;
        try
        {
            result = await connector.PollAsync(account, cancellationToken);
        }
        catch (Exception e) when (IsProviderFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, account.Provider, account.Id, e.GetType().Name, e.Message);
            await RecordAsync(account.UserId, account.Id, a => a with { LastAttemptAt = time.GetUtcNow(), LastError = Describe(e) }, cancellationToken);
            return false;
        }
        await ApplyAsync(result, cancellationToken);
        return true;
    }

    /// <summary>The failures of a provider (down, slow, over budget, refusing): they make its posts stale, nothing more.</summary>
    public static bool IsProviderFailure(Exception e) =>
        e is HttpRequestException or Polly.ExecutionRejectedException or TaskCanceledException or ConnectorRefusedException
            or System.Text.Json.JsonException or IOException;

    /// <summary>The provider's name does not exist (the address is wrong, not the provider down).</summary>
    public static bool IsUnknownHost(Exception e) =>
        e is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound } };

    public static string Describe(Exception e) => e switch
    {
        Polly.CircuitBreaker.BrokenCircuitException => "The provider failed repeatedly; it is left alone for a while.",
        Polly.Timeout.TimeoutRejectedException or TaskCanceledException => "The provider did not answer in time.",
        Polly.RateLimiting.RateLimiterRejectedException => "This server's request budget for the provider is spent for now.",
        ConnectorRefusedException or RefusedAddressException => e.Message,
        HttpRequestException { InnerException: RefusedAddressException refused } => refused.Message,
        _ when IsUnknownHost(e) => "There is no such host: check the address.",
        HttpRequestException { StatusCode: { } status } => $"The provider answered {(int)status}.",
        _ => "The provider could not be reached.",
    };

    public async Task ApplyAsync(PollResult result, CancellationToken cancellationToken)
    {
        var account = result.Account;
        var firstSync = account.LastSuccessAt is null;
        var now = time.GetUtcNow();
        var saved = await RecordAsync(account.UserId, account.Id, stored => result.Account with
        {
            Public = stored.Public,
            LastSuccessAt = now,
            LastAttemptAt = now,
            LastError = null,
            HubSubscribedUntil = stored.HubSubscribedUntil ?? account.HubSubscribedUntil,
            SealedHubSecret = stored.SealedHubSecret ?? account.SealedHubSecret,
        }, cancellationToken);
        if (!saved || result.Posts is not { } posts)
        {
            return;
        }
        var existing = new Dictionary<string, Item>(StringComparer.Ordinal);
        await foreach (var item in accounts.PostsOfAsync(account.Id, cancellationToken))
        {
            existing[item.Sk] = item;
        }
        var current = posts.GroupBy(p => p.SortKey, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var added = current.Where(p => !existing.ContainsKey(p.SortKey)).ToList();
        var gone = result.Complete ? existing.Keys.Except(current.Select(p => p.SortKey), StringComparer.Ordinal).ToList() : [];
        foreach (var post in added)
        {
            await store.PutAsync(new Item
            {
                Pk = SocialKeys.ProviderPosts(account.Id),
                Sk = post.SortKey,
                Data = ItemJson.Serialize(post, SocialJson.Default.ProviderPostRecord),
                Version = 1,
            }, Condition.None, cancellationToken);
        }
        foreach (var sortKey in gone)
        {
            await store.DeleteAsync(new ItemKey(SocialKeys.ProviderPosts(account.Id), sortKey), Condition.None, cancellationToken);
        }
        if (await accounts.GetAsync(account.UserId, account.Id, cancellationToken) is null)
        {
            // Unlinked while this poll ran: nothing of it stays.
            await store.DeletePartitionAsync(SocialKeys.ProviderPosts(account.Id), cancellationToken);
            return;
        }
        foreach (var post in added)
        {
            await timelines.AddAsync([account.UserId], new FeedEntry(SocialKeys.ProviderPosts(account.Id), post.SortKey).Member);
        }
        await timelines.RemoveAsync(account.UserId, [.. gone.Select(sk => new FeedEntry(SocialKeys.ProviderPosts(account.Id), sk).Member)]);
        if (!firstSync)
        {
            foreach (var post in added.OrderBy(p => p.PublishedAt))
            {
                await watches.NotifyAsync(post.SourceId, $"{post.AuthorName}: {Posts.Shorten(post.Text, 120)}",
                    new Dictionary<string, string> { ["sourceId"] = post.SourceId, ["linkedAccountId"] = account.Id, ["url"] = post.Url ?? "" }, cancellationToken);
            }
        }
        LogSynced(logger, account.Provider, account.Id, added.Count, gone.Count);
    }

    /// <summary>Changes the stored account (retrying on a concurrent change); false when it is gone.</summary>
    public async Task<bool> RecordAsync(string userId, string linkedId, Func<LinkedAccountRecord, LinkedAccountRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await accounts.GetAsync(userId, linkedId, cancellationToken) is not { } stored)
            {
                return false;
            }
            if (await accounts.SaveAsync(change(stored.Account), stored.Version, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Provider} account {LinkedId} failed ({Error}: {Detail}); its posts are stale")]
    private static partial void LogFailed(ILogger logger, string provider, string linkedId, string error, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Synced {Provider} account {LinkedId}: {Added} new posts, {Gone} gone")]
    private static partial void LogSynced(ILogger logger, string provider, string linkedId, int added, int gone);
}
