using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Social;

/// <summary>
/// Bluesky and any AT Protocol server, over XRPC. Linking signs in with an app password
/// (<c>com.atproto.server.createSession</c>); only the session's tokens are kept (sealed), and
/// refreshed when the access token expires. A poll reads the account's follows from its repository
/// and their posts: the timeline when the server has an AppView behind it, else each followed
/// repository's posts (<c>com.atproto.repo.listRecords</c>).
/// </summary>
public sealed class BlueskyConnector(IHttpClientFactory clients, LinkedAccounts accounts, TimeProvider time) : ISocialConnector
{
    public const string ClientName = "social-bluesky";
    private const int MaxFollows = 500;
    private const int PostsPerFollow = 20;
    private const int DescribesPerPoll = 50;

    public string Provider => Providers.Bluesky;

    public string Name => "bluesky";

    private HttpClient Client => clients.CreateClient(ClientName);

    public async Task<LinkedAccountRecord> LinkAsync(string userId, string linkedId, LinkRequest request, CancellationToken cancellationToken)
    {
        var service = request.Service ?? new Uri("https://bsky.social");
        using var response = await Client.PostAsJsonAsync(Xrpc(service, "com.atproto.server.createSession"),
            new CreateSession(request.Identifier!, request.AppPassword!), BlueskyJson.Default.CreateSession, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            throw new ConnectorRefusedException($"{service.Host} refused the identifier or app password ({await ErrorOf(response, cancellationToken)}).");
        }
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync(BlueskyJson.Default.Session, cancellationToken)
            ?? throw new ConnectorRefusedException($"{service.Host} did not answer as an AT Protocol server.");
        return new LinkedAccountRecord
        {
            Id = linkedId,
            UserId = userId,
            Provider = Provider,
            Handle = session.Handle,
            Address = service.ToString(),
            ProviderId = session.Did,
            ProfileUrl = $"https://bsky.app/profile/{session.Handle}",
            Public = request.Public,
            SealedSession = Seal(session.AccessJwt, session.RefreshJwt),
            LinkedAt = time.GetUtcNow(),
        };
    }

    public async Task<PollResult> PollAsync(LinkedAccountRecord account, CancellationToken cancellationToken)
    {
        var service = new Uri(account.Address);
        var session = ItemJsonText.Parse(accounts.Unseal(account.SealedSession!), SocialJson.Default.ProviderSession);
        // The timeline needs a valid access token; an expired one is refreshed once.
        var (timeline, refreshed) = await TimelineAsync(service, session, cancellationToken);
        if (refreshed is not null)
        {
            session = refreshed;
            account = account with { SealedSession = Seal(session.AccessJwt, session.RefreshJwt) };
        }
        // Handles: kept from earlier polls, learnt from the timeline's authors, else asked for (a few per poll, within the budget).
        var known = account.Follows.ToDictionary(f => f.Id);
        foreach (var item in timeline ?? [])
        {
            known[item.Author.Did] = new ProviderAuthor(item.Author.Did, item.Author.Handle, item.Author.DisplayName);
        }
        var subjects = await FollowedAsync(service, account.ProviderId!, cancellationToken);
        IReadOnlyList<ProviderPostRecord> posts;
        if (timeline is not null)
        {
            var followed = subjects.ToHashSet(StringComparer.Ordinal);
            posts = [.. timeline.Where(t => followed.Contains(t.Author.Did)).Select(t => ToPost(account, t.Author.Did, t.Author.Handle, t.Author.DisplayName, t.Uri, t.Record))];
        }
        else
        {
            posts = await PostsPerFollowAsync(service, account, subjects, known, cancellationToken);
        }
        account = account with { Follows = [.. subjects.Select(did => known.TryGetValue(did, out var author) ? author : new ProviderAuthor(did, did))] };
        return new PollResult(account, posts);
    }

    private async Task<(IReadOnlyList<FeedPost>? Timeline, ProviderSession? Refreshed)> TimelineAsync(Uri service, ProviderSession session, CancellationToken cancellationToken)
    {
        ProviderSession? refreshed = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Xrpc(service, "app.bsky.feed.getTimeline?limit=100"));
            request.Headers.Authorization = new("Bearer", (refreshed ?? session).AccessJwt);
            using var response = await Client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var timeline = await response.Content.ReadFromJsonAsync(BlueskyJson.Default.Timeline, cancellationToken);
                return ([.. (timeline?.Feed ?? []).Select(f => f.Post).Where(p => p is not null)!], refreshed);
            }
            var error = await ErrorOf(response, cancellationToken);
            if (attempt == 0 && (response.StatusCode == HttpStatusCode.Unauthorized || error is "ExpiredToken" or "InvalidToken"))
            {
                refreshed = await RefreshAsync(service, session, cancellationToken);
                continue;
            }
            // No AppView behind this server (a bare PDS): read the followed repositories instead.
            return (null, refreshed);
        }
        return (null, refreshed);
    }

    private async Task<ProviderSession> RefreshAsync(Uri service, ProviderSession session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc(service, "com.atproto.server.refreshSession"));
        request.Headers.Authorization = new("Bearer", session.RefreshJwt);
        using var response = await Client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ConnectorRefusedException($"{service.Host} no longer accepts this account's session; link it again ({await ErrorOf(response, cancellationToken)}).");
        }
        var fresh = await response.Content.ReadFromJsonAsync(BlueskyJson.Default.Session, cancellationToken)
            ?? throw new HttpRequestException($"{service.Host} answered a refresh with nothing.");
        return new ProviderSession(fresh.AccessJwt, fresh.RefreshJwt);
    }

    /// <summary>The DIDs the account follows (its repository's follow records, up to <see cref="MaxFollows"/>).</summary>
    private async Task<IReadOnlyList<string>> FollowedAsync(Uri service, string did, CancellationToken cancellationToken)
    {
        var subjects = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListRecordsAsync(service, did, "app.bsky.graph.follow", 100, cursor, cancellationToken);
            subjects.AddRange(page.Records.Select(r => r.Value.TryGetProperty("subject", out var subject) ? subject.GetString() : null).OfType<string>());
            cursor = page.Records.Count == 0 ? null : page.Cursor;
        }
        while (cursor is not null && subjects.Count < MaxFollows);
        return [.. subjects.Distinct(StringComparer.Ordinal).Take(MaxFollows)];
    }

    private async Task<ProviderAuthor> DescribeAsync(Uri service, string did, CancellationToken cancellationToken)
    {
        using var response = await Client.GetAsync(Xrpc(service, $"com.atproto.repo.describeRepo?repo={Uri.EscapeDataString(did)}"), cancellationToken);
        var repo = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(BlueskyJson.Default.Repo, cancellationToken) : null;
        return new ProviderAuthor(did, repo?.Handle ?? did);
    }

    private async Task<IReadOnlyList<ProviderPostRecord>> PostsPerFollowAsync(
        Uri service, LinkedAccountRecord account, IReadOnlyList<string> subjects, Dictionary<string, ProviderAuthor> known, CancellationToken cancellationToken)
    {
        var posts = new List<ProviderPostRecord>();
        var described = 0;
        foreach (var did in subjects)
        {
            var page = await ListRecordsAsync(service, did, "app.bsky.feed.post", PostsPerFollow, null, cancellationToken);
            if (page.Records.Count == 0)
            {
                continue;
            }
            if (!known.TryGetValue(did, out var author) && described++ < DescribesPerPoll)
            {
                known[did] = author = await DescribeAsync(service, did, cancellationToken);
            }
            author ??= new ProviderAuthor(did, did);
            posts.AddRange(page.Records.Select(r => ToPost(account, did, author.Handle, author.Name, r.Uri, r.Value)));
        }
        return posts;
    }

    private async Task<RecordPage> ListRecordsAsync(Uri service, string repo, string collection, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = $"com.atproto.repo.listRecords?repo={Uri.EscapeDataString(repo)}&collection={collection}&limit={limit}"
            + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        using var response = await Client.GetAsync(Xrpc(service, query), cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            // A repository this server does not host (or no longer has): nothing to read here.
            return new RecordPage([], null);
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BlueskyJson.Default.RecordPage, cancellationToken) ?? new RecordPage([], null);
    }

    private static ProviderPostRecord ToPost(LinkedAccountRecord account, string did, string handle, string? name, string uri, JsonElement record)
    {
        var text = record.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        var published = record.TryGetProperty("createdAt", out var c) && c.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.UnixEpoch;
        var rkey = uri[(uri.LastIndexOf('/') + 1)..];
        return new ProviderPostRecord
        {
            LocalId = SourceIds.LocalId(uri),
            LinkedId = account.Id,
            Provider = Providers.Bluesky,
            ProviderPostId = uri,
            SourceId = SourceIds.ForAuthor(account.Id, did),
            AuthorName = string.IsNullOrWhiteSpace(name) ? handle : name,
            AuthorHandle = handle,
            AuthorUrl = $"https://bsky.app/profile/{handle}",
            Text = Posts.Shorten(text, Posts.MaxText),
            Url = $"https://bsky.app/profile/{handle}/post/{rkey}",
            PublishedAt = published,
        };
    }

    private string Seal(string access, string refresh) =>
        accounts.Seal(System.Text.Encoding.UTF8.GetString(ItemJson.Serialize(new ProviderSession(access, refresh), SocialJson.Default.ProviderSession)));

    private static Uri Xrpc(Uri service, string method) => new(service, $"/xrpc/{method}");

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(BlueskyJson.Default.XrpcError, cancellationToken);
            return error?.Error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (JsonException)
        {
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

internal sealed record CreateSession(string Identifier, string Password);

internal sealed record Session(string AccessJwt, string RefreshJwt, string Handle, string Did);

internal sealed record XrpcError(string? Error, string? Message);

internal sealed record Repo(string? Handle);

internal sealed record RecordPage(IReadOnlyList<RepoRecord> Records, string? Cursor);

internal sealed record RepoRecord(string Uri, JsonElement Value);

internal sealed record Timeline(IReadOnlyList<TimelineItem>? Feed);

internal sealed record TimelineItem(FeedPost? Post);

internal sealed record FeedPost(string Uri, FeedAuthor Author, JsonElement Record);

internal sealed record FeedAuthor(string Did, string Handle, string? DisplayName);

[JsonSerializable(typeof(CreateSession))]
[JsonSerializable(typeof(Session))]
[JsonSerializable(typeof(XrpcError))]
[JsonSerializable(typeof(Repo))]
[JsonSerializable(typeof(RecordPage))]
[JsonSerializable(typeof(Timeline))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class BlueskyJson : JsonSerializerContext;

/// <summary>Records kept as JSON text (sealed secrets) rather than item payloads.</summary>
internal static class ItemJsonText
{
    public static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"No {typeof(T).Name} in the sealed value.");
}
