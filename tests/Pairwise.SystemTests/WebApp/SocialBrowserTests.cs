using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>
/// Following, posts and linked accounts in the web app, in real headless Chromium against the real
/// binary, with a real local RSS server as the linked feed: a founder on a desktop window posts,
/// an investor on a phone-sized one follows and reads.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class SocialBrowserTests
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    // Uncaught script errors on any page: none is acceptable.
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task AFounderPostsAnInvestorFollowsFromTheDeckAndReadsThePostBesideALinkedFeed()
    {
        await using var feed = await FeedServer.StartAsync();
        feed.Add(new FeedEntry("demo-day", "Demo day in Kowloon", "Twelve startups on one stage.", DateTimeOffset.UtcNow.AddHours(-2)));
        await using var smtp = await SmtpSink.StartAsync();
        var settings = smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!);
        settings["Pairwise__Social__AllowedFeedHosts__0"] = "127.0.0.1";
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-social"), settings);
        // Accounts and profiles through the API (their forms have their own test); everything social in the browser.
        var (founderUser, startupId) = await WithProfileAsync(server, smtp, "Mei Founder", "startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_500_000, description = "Payments for night markets." },
            preferences = new { industries = new[] { "fintech" }, locations = new[] { "Hong Kong" } },
        });
        var (investorUser, _) = await WithProfileAsync(server, smtp, "Ian Investor", "investor", new
        {
            displayName = "Harbour Ventures",
            attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 2_000_000 },
            preferences = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } },
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var founder = await OpenAsync(browser, server, Desktop, founderUser);
        var investor = await OpenAsync(browser, server, Phone, investorUser);

        // The founder posts from the composer on Following, with a link and a photo: it shows at once, photo included.
        const string Text = "We closed our seed round. Thank you, night markets!";
        await founder.GetByTestId("nav-following").ClickAsync();
        await Assertions.Expect(founder.GetByTestId("feed-empty")).ToBeVisibleAsync();
        await founder.GetByTestId("post-text-input").FillAsync(Text);
        await founder.GetByTestId("post-add-link").ClickAsync();
        await founder.GetByTestId("post-link-input").FillAsync("https://lantern.example/news/seed");
        await founder.GetByTestId("post-image-input").SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "photo.jpg"));
        await founder.GetByTestId("post-submit").ClickAsync();
        var posted = founder.GetByTestId("feed-item").First;
        await Assertions.Expect(posted.GetByTestId("post-text")).ToHaveTextAsync(Text);
        await Assertions.Expect(posted.GetByTestId("post-image")).ToBeVisibleAsync();
        await Assertions.Expect(posted.GetByTestId("source-badge")).ToHaveTextAsync("Pairwise");
        await Assertions.Expect(founder.GetByTestId("post-text-input")).ToHaveValueAsync("");
        await Assertions.Expect(founder.GetByTestId("post-link-input")).ToBeHiddenAsync();

        // The investor follows the startup with the button on its deck card: a click, and the count moves.
        await investor.GotoAsync("/#/deck");
        await BrowserTests.ExpectCardAsync(investor, "Lantern Pay");
        var follow = investor.GetByTestId("deck-card").GetByTestId("follow-control");
        await Assertions.Expect(follow.GetByTestId("follow-button")).ToHaveTextAsync("Follow");
        await Assertions.Expect(follow.GetByTestId("follower-count")).ToHaveTextAsync("0 followers");
        await follow.GetByTestId("follow-button").ClickAsync();
        await Assertions.Expect(follow.GetByTestId("follow-button")).ToHaveTextAsync("Unfollow");
        await Assertions.Expect(follow.GetByTestId("follower-count")).ToHaveTextAsync("1 follower");
        await founder.GotoAsync("/#/profile");
        await Assertions.Expect(founder.GetByTestId("own-followers")).ToContainTextAsync("1 follower");

        // From the account page to Linked accounts; a feed linked through the form is read at once and shown on the profiles.
        await investor.GetByTestId("nav-account").ClickAsync();
        await investor.GetByTestId("linked-accounts-link").ClickAsync();
        await Assertions.Expect(investor.GetByTestId("linked-empty")).ToBeVisibleAsync();
        await investor.GetByTestId("feed-url").FillAsync(feed.Feed);
        await investor.GetByTestId("link-feed").GetByRole(AriaRole.Button, new() { Name = "Add feed" }).ClickAsync();
        var linked = investor.GetByTestId("linked-account");
        await Assertions.Expect(linked).ToContainTextAsync("Harbour Notes");
        await Assertions.Expect(linked.GetByTestId("linked-health")).ToContainTextAsync("Read");
        await linked.GetByTestId("linked-public").CheckAsync();
        await Assertions.Expect(investor.GetByText("Harbour Notes is shown on your profiles.")).ToBeVisibleAsync();
        await Assertions.Expect(investor.GetByTestId("bluesky-service")).ToHaveValueAsync("https://bsky.social");
        await Assertions.Expect(investor.Locator(".toast")).ToHaveCountAsync(0);
        await BrowserTests.ShotAsync(investor, "linked-accounts");

        // Following: the founder's post first (newest), with the Pairwise badge; the feed's entry with the Feed badge.
        await investor.GetByTestId("nav-following").ClickAsync();
        var items = investor.GetByTestId("feed-item");
        await Assertions.Expect(items).ToHaveCountAsync(2);
        await Assertions.Expect(items.Nth(0).GetByTestId("post-text")).ToHaveTextAsync(Text);
        await Assertions.Expect(items.Nth(0).GetByTestId("source-badge")).ToHaveTextAsync("Pairwise");
        await Assertions.Expect(items.Nth(0).GetByTestId("post-image")).ToBeVisibleAsync();
        await Assertions.Expect(items.Nth(0).GetByTestId("post-link")).ToHaveAttributeAsync("href", "https://lantern.example/news/seed");
        await Assertions.Expect(items.Nth(1).GetByTestId("post-text")).ToContainTextAsync("Demo day in Kowloon");
        await Assertions.Expect(items.Nth(1).GetByTestId("source-badge")).ToHaveTextAsync("Feed · Harbour Notes");

        // Bookmark the post and watch its author with the bell; both hold after a reload (the bell from GET /me/watches).
        var post = items.Nth(0);
        await post.GetByTestId("bookmark-post").ClickAsync();
        await Assertions.Expect(post.GetByTestId("bookmark-post")).ToHaveAttributeAsync("aria-pressed", "true");
        await post.GetByTestId("watch-source").ClickAsync();
        await Assertions.Expect(post.GetByTestId("watch-source")).ToHaveAttributeAsync("aria-pressed", "true");
        await investor.ReloadAsync();
        await Assertions.Expect(items.Nth(0).GetByTestId("bookmark-post")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(items.Nth(0).GetByTestId("watch-source")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(items.Nth(1).GetByTestId("watch-source")).ToHaveAttributeAsync("aria-pressed", "false");
        await BrowserTests.ShotAsync(investor, "social-feed");

        var watches = await Expect.Json(await investorUser.Client.GetAsync("/v1/me/watches"), HttpStatusCode.OK);
        Assert.Equal(startupId, Assert.Single(watches.GetProperty("items").EnumerateArray()).GetProperty("sourceId").GetString());
        var bookmarks = await Expect.Json(await investorUser.Client.GetAsync("/v1/bookmarks/posts"), HttpStatusCode.OK);
        Assert.Equal(Text, Assert.Single(bookmarks.GetProperty("items").EnumerateArray()).GetProperty("post").GetProperty("text").GetString());
        Assert.Empty(_pageErrors);
    }

    /// <summary>A verified account with one venture profile.</summary>
    private static async Task<(UserSession User, string ProfileId)> WithProfileAsync(ServerProcess server, SmtpSink smtp, string name, string side, object profile)
    {
        var user = await Scenarios.Chat.SignUpAsync(new HttpClient { BaseAddress = server.Address }, name);
        await Expect.Status(await user.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(user.Email) }), HttpStatusCode.OK);
        var created = await Expect.Json(await user.Client.PutAsJsonAsync($"/v1/markets/venture/profiles/{side}", profile), HttpStatusCode.Created);
        return (user, created.GetProperty("id").GetString()!);
    }

    /// <summary>A window signed in as the user (the app keeps its tokens in local storage), on Discover.</summary>
    private async Task<IPage> OpenAsync(IBrowser browser, ServerProcess server, ViewportSize size, UserSession user)
    {
        var page = await Browsers.NewPageAsync(browser, server, size, size == Phone, _pageErrors);
        await page.GotoAsync("/");
        await page.EvaluateAsync("tokens => localStorage.setItem('pairwise.tokens', JSON.stringify(tokens))",
            new { userId = user.UserId, accessToken = Scenarios.Chat.Token(user), refreshToken = user.RefreshToken });
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("nav-following")).ToBeVisibleAsync();
        return page;
    }
}
