using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Extensions.Options;

namespace Pairwise.Social;

/// <summary>A feed document as read: its title, links, WebSub hub and entries.</summary>
public sealed record ParsedFeed(string Title, string? HomePage, string? Self, string? Hub, IReadOnlyList<ParsedEntry> Entries);

public sealed record ParsedEntry(string Id, string? Title, string? Summary, string? Url, string? Author, DateTimeOffset Published);

/// <summary>
/// RSS, Atom and JSON Feed sources (a blog, a shop's news, a YouTube or Mastodon account's feed).
/// Fetched with conditional GET (ETag, Last-Modified), at most <see cref="SocialOptions.MaxFeedBytes"/>
/// and <see cref="SocialOptions.FetchTimeout"/>, through the SSRF guard; a feed that names a WebSub
/// hub is subscribed to when the deployment has a public address, and its pushes arrive at once.
/// </summary>
public sealed partial class FeedConnector(IHttpClientFactory clients, IOptions<SocialOptions> options, TimeProvider time) : ISocialConnector
{
    public const string ClientName = "social-feeds";
    private const int MaxEntries = 100;

    public string Provider => Providers.Feed;

    public string Name => "feeds";

    public async Task<LinkedAccountRecord> LinkAsync(string userId, string linkedId, LinkRequest request, CancellationToken cancellationToken)
    {
        var account = new LinkedAccountRecord
        {
            Id = linkedId,
            UserId = userId,
            Provider = Provider,
            Handle = request.Url!.Host,
            Address = request.Url.ToString(),
            Public = request.Public,
            LinkedAt = time.GetUtcNow(),
        };
        // Read it once: it must be a feed we can parse.
        var (parsed, _, _) = await FetchAsync(account, conditional: false, cancellationToken);
        return account with
        {
            Handle = parsed is { Title.Length: > 0 } ? Posts.Shorten(parsed.Title, 100) : account.Handle,
            ProfileUrl = WebAddressOrNull(parsed?.HomePage) ?? account.Address,
        };
    }

    public async Task<PollResult> PollAsync(LinkedAccountRecord account, CancellationToken cancellationToken)
    {
        var (parsed, etag, modified) = await FetchAsync(account, conditional: true, cancellationToken);
        if (parsed is null)
        {
            return new PollResult(account, null);
        }
        account = account with
        {
            ETag = etag,
            LastModified = modified,
            Handle = parsed.Title.Length > 0 ? Posts.Shorten(parsed.Title, 100) : account.Handle,
            ProfileUrl = WebAddressOrNull(parsed.HomePage) ?? account.ProfileUrl,
            Hub = parsed.Hub,
            Topic = parsed.Self ?? account.Address,
        };
        return new PollResult(account, ToPosts(account, parsed));
    }

    /// <summary>The entries a WebSub hub pushed (the feed document, or only its new entries).</summary>
    public static IReadOnlyList<ProviderPostRecord> Pushed(LinkedAccountRecord account, byte[] body) =>
        Parse(body) is { } parsed ? ToPosts(account, parsed) : [];

    private static List<ProviderPostRecord> ToPosts(LinkedAccountRecord account, ParsedFeed feed) =>
        [.. feed.Entries.OrderByDescending(e => e.Published).Take(MaxEntries).Select(e => new ProviderPostRecord
        {
            LocalId = SourceIds.LocalId(e.Id),
            LinkedId = account.Id,
            Provider = Providers.Feed,
            ProviderPostId = e.Id,
            SourceId = account.Id,
            AuthorName = e.Author ?? account.Handle,
            AuthorUrl = account.ProfileUrl,
            Text = Posts.Shorten(string.Join(" — ", new[] { e.Title, e.Summary }.Where(s => !string.IsNullOrWhiteSpace(s))), 600),
            Url = WebAddressOrNull(e.Url),
            PublishedAt = e.Published,
        })];

    private async Task<(ParsedFeed? Feed, string? ETag, string? LastModified)> FetchAsync(LinkedAccountRecord account, bool conditional, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, account.Address);
        request.Headers.Accept.ParseAdd("application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5");
        if (conditional && account.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }
        if (conditional && account.LastModified is { } modified && DateTimeOffset.TryParse(modified, System.Globalization.CultureInfo.InvariantCulture, out var since))
        {
            request.Headers.IfModifiedSince = since;
        }
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return (null, account.ETag, account.LastModified);
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new ConnectorRefusedException($"{request.RequestUri!.Host} answered {(int)response.StatusCode} for the feed.");
        }
        response.EnsureSuccessStatusCode();
        var body = await ReadLimitedAsync(response.Content, options.Value.MaxFeedBytes, cancellationToken);
        var parsed = Parse(body) ?? throw new ConnectorRefusedException("The address does not serve an RSS, Atom or JSON feed.");
        return (parsed, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
    }

    /// <summary>Only http(s) addresses leave a feed: a <c>javascript:</c> or <c>data:</c> link in an entry is dropped.</summary>
    private static string? WebAddressOrNull(string? value) => value is not null && Posts.IsWebAddress(value) ? value : null;

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
        {
            throw new ConnectorRefusedException($"The feed is larger than {limit / 1024} KB.");
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ConnectorRefusedException($"The feed is larger than {limit / 1024} KB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads RSS 2.0, Atom 1.0 or JSON Feed 1.x; null when the bytes are none of them.</summary>
    public static ParsedFeed? Parse(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('{') ? ParseJson(body) : ParseXml(body);
    }

    private static ParsedFeed? ParseXml(byte[] body)
    {
        try
        {
            // No DTDs and no external entities: a feed cannot make the server read files or other addresses.
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0 });
            var feed = SyndicationFeed.Load(reader);
            string? Link(string relation) => feed.Links.FirstOrDefault(l => string.Equals(l.RelationshipType ?? "alternate", relation, StringComparison.OrdinalIgnoreCase))?.Uri?.ToString();
            var entries = feed.Items.Select(item => new ParsedEntry(
                Id: item.Id ?? item.Links.FirstOrDefault()?.Uri?.ToString() ?? $"{item.Title?.Text}|{item.PublishDate:O}",
                Title: Plain(item.Title?.Text),
                Summary: Plain(item.Summary?.Text ?? (item.Content as TextSyndicationContent)?.Text),
                Url: item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri?.ToString(),
                Author: item.Authors.FirstOrDefault() is { } a ? a.Name ?? a.Email : null,
                Published: item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime)).ToList();
            return new ParsedFeed(Plain(feed.Title?.Text) ?? "", Link("alternate"), Link("self"), Link("hub"), entries);
        }
        catch (Exception e) when (e is XmlException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static ParsedFeed? ParseJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !(Str(root, "version")?.StartsWith("https://jsonfeed.org/version/", StringComparison.Ordinal) ?? false))
            {
                return null;
            }
            var hub = root.TryGetProperty("hubs", out var hubs) && hubs.ValueKind == JsonValueKind.Array
                ? hubs.EnumerateArray().Select(h => Str(h, "url")).FirstOrDefault(u => u is not null)
                : null;
            var entries = root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new ParsedEntry(
                    Id: Str(i, "id") ?? Str(i, "url") ?? "",
                    Title: Plain(Str(i, "title")),
                    Summary: Plain(Str(i, "content_text") ?? Str(i, "summary") ?? Str(i, "content_html")),
                    Url: Str(i, "url"),
                    Author: i.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array && authors.GetArrayLength() > 0
                        ? Str(authors[0], "name")
                        : i.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? Str(author, "name") : null,
                    Published: DateTimeOffset.TryParse(Str(i, "date_published") ?? Str(i, "date_modified"), System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : DateTimeOffset.UnixEpoch))
                    .Where(e => e.Id.Length > 0).ToList()
                : [];
            return new ParsedFeed(Plain(Str(root, "title")) ?? "", Str(root, "home_page_url"), Str(root, "feed_url"), hub, entries);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Text without markup: tags dropped, entities decoded, spaces collapsed.</summary>
    private static string? Plain(string? html) =>
        html is null ? null : Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
