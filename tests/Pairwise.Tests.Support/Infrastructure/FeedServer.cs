using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pairwise.Tests.Infrastructure;

/// <summary>One entry of a test feed.</summary>
public sealed record FeedEntry(string Id, string Title, string Summary, DateTimeOffset Published);

/// <summary>
/// A real HTTP server publishing an RSS feed the test changes: entries added and removed, with an
/// ETag (answering 304 to a matching If-None-Match), a redirect, an outage switch, an oversized
/// document, and optionally a WebSub hub that records subscriptions.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<FeedEntry> _entries = [];
    private int _version;

    private FeedServer(WebApplication app) => _app = app;

    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The feed's address.</summary>
    public string Feed => $"{Address}/feed.xml";

    public string Title { get; set; } = "Harbour Notes";

    /// <summary>While true, every request is answered 503.</summary>
    public bool Down { get; set; }

    /// <summary>When set, the feed names this hub (and itself as the topic).</summary>
    public string? Hub { get; set; }

    public int Requests => _requests;
    private int _requests;

    public int NotModified => _notModified;
    private int _notModified;

    /// <summary>Requests that carried If-None-Match.</summary>
    public int Conditional => _conditional;
    private int _conditional;

    /// <summary>Subscription requests the hub received (form fields).</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Subscriptions { get; } = new();

    public void Add(FeedEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
            _version++;
        }
    }

    public void Remove(string id)
    {
        lock (_entries)
        {
            _entries.RemoveAll(e => e.Id == id);
            _version++;
        }
    }

    public string Document()
    {
        lock (_entries)
        {
            var items = string.Concat(_entries.Select(e =>
                $"<item><guid isPermaLink=\"false\">{SecurityElement.Escape(e.Id)}</guid><title>{SecurityElement.Escape(e.Title)}</title>"
                + $"<link>{Address}/posts/{Uri.EscapeDataString(e.Id)}</link><description>{SecurityElement.Escape(e.Summary)}</description>"
                + $"<pubDate>{e.Published.ToString("R", CultureInfo.InvariantCulture)}</pubDate></item>"));
            var hub = Hub is null ? "" : $"<atom:link rel=\"hub\" href=\"{Hub}\"/><atom:link rel=\"self\" href=\"{Feed}\"/>";
            return "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>"
                + $"<title>{SecurityElement.Escape(Title)}</title><link>{Address}/</link><description>Test feed</description>{hub}{items}</channel></rss>";
        }
    }

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FeedServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value;
        if (Down)
        {
            context.Response.StatusCode = 503;
            return;
        }
        if (path == "/hub" && HttpMethods.IsPost(context.Request.Method))
        {
            var form = await context.Request.ReadFormAsync();
            Subscriptions.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            context.Response.StatusCode = 202;
            return;
        }
        if (path == "/redirect")
        {
            context.Response.Redirect(context.Request.Query["to"].ToString());
            return;
        }
        if (path == "/huge.xml")
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title>" + new string(' ', 3 * 1024 * 1024) + "</channel></rss>");
            return;
        }
        if (path == "/not-a-feed")
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>Hello</body></html>");
            return;
        }
        if (path != "/feed.xml")
        {
            context.Response.StatusCode = 404;
            return;
        }
        string etag;
        lock (_entries)
        {
            etag = $"\"v{_version}\"";
        }
        if (context.Request.Headers.IfNoneMatch.Count > 0)
        {
            Interlocked.Increment(ref _conditional);
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                Interlocked.Increment(ref _notModified);
                context.Response.StatusCode = 304;
                return;
            }
        }
        context.Response.Headers.ETag = etag;
        context.Response.ContentType = "application/rss+xml";
        await context.Response.WriteAsync(Document());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
