using System.Security.Cryptography;
using System.Text;
using Pairwise.Social;
using FeedEntry = Pairwise.Social.FeedEntry;

namespace Pairwise.Tests.Social;

/// <summary>The pure parts of the social connectors: which addresses are public, feed formats, WebSub signatures, feed list members.</summary>
public sealed class SocialParsingTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:192.168.0.1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:a00:1::", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::808:808", true)]
    public void OnlyPublicAddressesArePublic(string address, bool expected) =>
        Assert.Equal(expected, OutboundGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void AtomAndJsonFeedsAreReadAsRssIs()
    {
        var atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>Night Market News</title>
              <link rel="alternate" href="https://market.example/"/>
              <link rel="self" href="https://market.example/atom.xml"/>
              <link rel="hub" href="https://hub.example/"/>
              <id>urn:uuid:1</id><updated>2026-11-01T10:00:00Z</updated>
              <entry><id>urn:uuid:e1</id><title>Stall 12 opens</title><updated>2026-11-01T10:00:00Z</updated>
                <link href="https://market.example/12"/><summary type="html">&lt;p&gt;Fresh &lt;b&gt;noodles&lt;/b&gt; &amp;amp; tea&lt;/p&gt;</summary>
                <author><name>Mei</name></author></entry>
            </feed>
            """;
        var parsed = FeedConnector.Parse(Encoding.UTF8.GetBytes(atom))!;
        Assert.Equal("Night Market News", parsed.Title);
        Assert.Equal("https://hub.example/", parsed.Hub);
        Assert.Equal("https://market.example/atom.xml", parsed.Self);
        var entry = Assert.Single(parsed.Entries);
        Assert.Equal(("urn:uuid:e1", "Stall 12 opens", "Fresh noodles & tea", "https://market.example/12", "Mei"), (entry.Id, entry.Title, entry.Summary, entry.Url, entry.Author));

        var json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"Shop","home_page_url":"https://shop.example/","hubs":[{"type":"WebSub","url":"https://hub.example/"}],
             "items":[{"id":"7","url":"https://shop.example/7","title":"Blue bikes","content_html":"<p>In stock</p>","date_published":"2026-11-02T08:00:00Z","authors":[{"name":"Ann"}]}]}
            """;
        var fromJson = FeedConnector.Parse(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal(("Shop", "https://hub.example/"), (fromJson.Title, fromJson.Hub));
        Assert.Equal(("7", "In stock", "Ann", new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero)),
            (fromJson.Entries[0].Id, fromJson.Entries[0].Summary, fromJson.Entries[0].Author, fromJson.Entries[0].Published));
    }

    [Fact]
    public void OnlyWebAddressesLeaveAFeed()
    {
        var rss = """
            <rss version="2.0"><channel><title>T</title><link>javascript:alert(1)</link>
            <item><guid>1</guid><title>A</title><link>javascript:alert(2)</link><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
            <item><guid>2</guid><title>B</title><link>https://ok.example/2</link><pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item>
            </channel></rss>
            """;
        var account = new LinkedAccountRecord { Id = "lnk_1", UserId = "usr_1", Provider = "feed", Handle = "T", Address = "https://ok.example/feed", LinkedAt = DateTimeOffset.UnixEpoch };
        var posts = FeedConnector.Pushed(account, Encoding.UTF8.GetBytes(rss));
        Assert.Equal([null, "https://ok.example/2"], posts.OrderBy(p => p.ProviderPostId).Select(p => p.Url));
    }

    [Theory]
    [InlineData("<html><body>no feed</body></html>")]
    [InlineData("""{"version":"1","items":[]}""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>""")]
    [InlineData("not even markup")]
    public void WhatIsNotAFeedIsRefused(string body) => Assert.Null(FeedConnector.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void APushIsAcceptedOnlyWithTheSubscriptionsSignature()
    {
        var body = "<feed/>"u8.ToArray();
        var good = Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8.ToArray(), body));
        Assert.True(WebSub.IsSigned("s3cret", $"sha256={good}", body));
        Assert.True(WebSub.IsSigned("s3cret", $"sha512={Convert.ToHexStringLower(HMACSHA512.HashData("s3cret"u8.ToArray(), body))}", body));
        Assert.False(WebSub.IsSigned("other", $"sha256={good}", body));
        Assert.False(WebSub.IsSigned("s3cret", $"md5={good}", body));
        Assert.False(WebSub.IsSigned("s3cret", "sha256=zz", body));
        Assert.False(WebSub.IsSigned("s3cret", null, body));
        Assert.False(WebSub.IsSigned("s3cret", $"sha256={good}", "<feed>changed</feed>"u8.ToArray()));
    }

    [Fact]
    public void FeedMembersOrderByTimeAndParseBack()
    {
        var older = new FeedEntry("POSTS#prf_1", FeedEntry.SortKeyOf(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "pst_b"));
        var newer = new FeedEntry("LINKEDPOSTS#lnk_1", FeedEntry.SortKeyOf(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero), "0a"));
        Assert.True(string.CompareOrdinal(newer.Member, older.Member) > 0);
        Assert.Equal(older, FeedEntry.Parse(older.Member));
        Assert.Null(FeedEntry.Parse("no-separator"));
        // The provider item id leads back to its stored key.
        var post = new ProviderPostRecord
        {
            LocalId = "0a", LinkedId = "lnk_0123456789abcdef0123456789abcdef", Provider = "feed", ProviderPostId = "x", SourceId = "s", AuthorName = "A", Text = "t",
            PublishedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero),
        };
        Assert.Equal(new Pairwise.Storage.ItemKey("LINKEDPOSTS#lnk_0123456789abcdef0123456789abcdef", post.SortKey), FeedRecord.KeyOfProviderItem(FeedRecord.ProviderItemId(post)));
        Assert.Null(FeedRecord.KeyOfProviderItem("lnk_x~1~2"));
    }
}
