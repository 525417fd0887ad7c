using System.Diagnostics;
using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>
/// The web app at / in real headless Chromium (Debian's), driven by Playwright, against the real
/// binary: two people, one on a phone-sized window and one on a desktop one.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class BrowserTests
{
    private const string Password = "a sturdy passphrase";
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    // Uncaught script errors on any page: none is acceptable.
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task TwoPeopleSignUpMatchLiveChatLiveAndTheirBadgesClear()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser"), smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!));
        using var playwright = await Playwright.CreateAsync();
        await using var founderBrowser = await Browsers.LaunchAsync(playwright);
        await using var investorBrowser = await Browsers.LaunchAsync(playwright);
        var founder = await OpenAsync(founderBrowser, server, Phone);
        var investor = await OpenAsync(investorBrowser, server, Desktop);

        // Sign up; the founder also verifies the e-mail address with the code sent over SMTP.
        var founderEmail = await SignUpAsync(founder, "Mei Founder");
        await VerifyAsync(founder, await smtp.VerificationCodeAsync(founderEmail));
        await SignUpAsync(investor, "Ian Investor");

        // Profiles from the forms the market's schema generates.
        await ChooseAsync(founder, "venture", "startup");
        await founder.GetByTestId("profile-display-name").FillAsync("Lantern Pay");
        await Field(founder, "attributes", "industry").Locator("select").SelectOptionAsync("fintech");
        await Field(founder, "attributes", "fundingStage").Locator("select").SelectOptionAsync("seed");
        await Field(founder, "attributes", "location").Locator("select").SelectOptionAsync("Hong Kong");
        await Field(founder, "attributes", "fundingAmount").Locator("input").FillAsync("1500000");
        await Field(founder, "attributes", "description").Locator("textarea").FillAsync("Payments for night markets.");
        await Field(founder, "preferences", "industries").Locator("input[value='fintech']").CheckAsync();
        await founder.GetByTestId("profile-save").ClickAsync();

        await ChooseAsync(investor, "venture", "investor");
        await investor.GetByTestId("profile-display-name").FillAsync("Harbour Ventures");
        await Field(investor, "attributes", "industries").Locator("input[value='fintech']").CheckAsync();
        await Field(investor, "attributes", "fundingStages").Locator("input[value='seed']").CheckAsync();
        await Field(investor, "attributes", "locations").Locator("input[value='Hong Kong']").CheckAsync();
        await Field(investor, "preferences", "industries").Locator("input[value='fintech']").CheckAsync();
        await Field(investor, "preferences", "fundingStages").Locator("input[value='seed']").CheckAsync();
        await investor.GetByTestId("profile-save").ClickAsync();

        // Each sees the other in the deck, with the reason.
        var load = Stopwatch.StartNew();
        await ExpectCardAsync(investor, "Lantern Pay");
        var deckReady = load.Elapsed;
        await ExpectCardAsync(founder, "Harbour Ventures");
        await Assertions.Expect(investor.GetByTestId("card-why")).ToBeVisibleAsync();
        await ShotAsync(founder, "deck-phone");
        await ShotAsync(investor, "deck-desktop");

        // The investor likes with the keyboard; the founder drags the card to the right: a match, live for both.
        await investor.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(investor.GetByTestId("match-dialog")).Not.ToBeVisibleAsync();
        await DragRightAsync(founder);
        await Assertions.Expect(founder.GetByTestId("match-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(investor.GetByTestId("match-dialog")).ToBeVisibleAsync();

        // The founder opens the chat and writes; the investor, elsewhere, sees the unread badge.
        await founder.GetByTestId("match-open-chat").ClickAsync();
        await investor.Keyboard.PressAsync("Escape");
        await SendAsync(founder, "Hello from Lantern Pay!");
        await Assertions.Expect(investor.GetByTestId("unread-total")).ToHaveTextAsync("1");
        await investor.GetByTestId("nav-matches").ClickAsync();
        var item = investor.GetByTestId("conversation-item");
        await Assertions.Expect(item.GetByTestId("unread-badge")).ToHaveTextAsync("1");

        // Opening it reads it: both badges clear, and the founder sees "Seen".
        await item.ClickAsync();
        await Assertions.Expect(Messages(investor, "theirs")).ToHaveTextAsync(["Hello from Lantern Pay!"]);
        await Assertions.Expect(investor.GetByTestId("unread-total")).ToBeHiddenAsync();
        await Assertions.Expect(founder.GetByTestId("read-marker")).ToBeVisibleAsync();

        // Typing shows on the other side; the reply arrives live.
        await investor.GetByTestId("message-input").PressSequentiallyAsync("Hi Mei");
        await Assertions.Expect(founder.GetByTestId("typing-indicator")).ToBeVisibleAsync();
        await investor.GetByTestId("message-input").FillAsync("Hi Mei, let's talk on Thursday.");
        await investor.GetByTestId("message-send").ClickAsync();
        await Assertions.Expect(Messages(founder, "theirs")).ToHaveTextAsync(["Hi Mei, let's talk on Thursday."]);
        await Assertions.Expect(Messages(investor, "mine")).ToHaveTextAsync(["Hi Mei, let's talk on Thursday."]);
        await Assertions.Expect(founder.GetByTestId("unread-total")).ToBeHiddenAsync();
        await ShotAsync(founder, "conversation-phone");
        await ShotAsync(investor, "conversation-desktop");

        // The tray holds the match notification.
        foreach (var (page, name) in new[] { (founder, "tray-phone"), (investor, "tray-desktop") })
        {
            await page.GetByTestId("bell").ClickAsync();
            await Assertions.Expect(page.GetByTestId("tray")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("notification-item").First).ToBeVisibleAsync();
            await ShotAsync(page, name);
        }

        // Served compressed, and revalidated rather than re-sent.
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/js/app.js") { Headers = { { "Accept-Encoding", "br, gzip" } } };
        using var script = await http.SendAsync(request);
        Assert.Equal("br", Assert.Single(script.Content.Headers.ContentEncoding));
        Assert.Equal("no-cache", script.Headers.CacheControl?.ToString());
        Assert.NotNull(script.Headers.ETag);
        Assert.Empty(_pageErrors);
        Console.WriteLine($"deck shown {deckReady.TotalMilliseconds:F0} ms after saving the profile");
    }

    [Fact]
    public async Task TheGraphQLExplorerRunsAQueryAsTheAppsSignedInUser()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-explorer"));
        var user = await Scenarios.Chat.SignUpAsync(new HttpClient { BaseAddress = server.Address }, "Eve Explorer");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var page = await OpenAsync(browser, server, Desktop);
        // Signed in on the web app: the explorer sends that session's token.
        await page.GotoAsync("/");
        await page.EvaluateAsync("token => localStorage.setItem('pairwise.tokens', JSON.stringify({ accessToken: token }))", Scenarios.Chat.Token(user));

        await page.GotoAsync("/graphql");
        await page.Locator(".graphiql-query-editor .CodeMirror").WaitForAsync();
        await page.EvaluateAsync("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('query Markets { me { email } markets { id } }')");
        await page.Locator(".graphiql-execute-button").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".result-window")).ToContainTextAsync(user.Email);
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".result-window")).ToContainTextAsync("marketplace");
        await ShotAsync(page, "graphql-explorer");
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task ADatingMarketAddedAsOnlyAJsonFileWorksInTheApp()
    {
        // The operator's way to add a market: a folder of market files, here just docs/examples/dating.json.
        var markets = TempFolder.Create("browser-markets");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "examples", "dating.json"), Path.Combine(markets, "dating.json"));
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-dating"), new Dictionary<string, string> { ["Pairwise__MarketsDirectory"] = markets });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var names = new[] { "Ana", "Bea" };
        var pages = new List<IPage>();
        foreach (var name in names)
        {
            var page = await OpenAsync(browser, server, Phone);
            await SignUpAsync(page, name);
            await ChooseAsync(page, "dating", "person");
            await page.GetByTestId("profile-display-name").FillAsync(name);
            await FillEveryFieldAsync(page);
            await page.GetByTestId("profile-save").ClickAsync();
            pages.Add(page);
        }
        await ExpectCardAsync(pages[0], "Bea");
        await ExpectCardAsync(pages[1], "Ana");
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task ContinueWithAProviderSignsInAndTheAccountPageRenamesListsDevicesAndDeletes()
    {
        var providerPort = ServerProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-oidc"), IdentityProvider.Settings(providerPort));
        await using var provider = await IdentityProvider.StartAsync(providerPort, server);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var page = await OpenAsync(browser, server, Phone);

        await page.GotoAsync("/#/login");
        await page.GetByTestId("continue-test").ClickAsync();
        // The provider's own login page, then back into the app, signed in.
        await page.Locator("input[name=login]").FillAsync("dora");
        await page.Locator("input[name=password]").FillAsync("anything");
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("market-option-venture")).ToBeVisibleAsync();

        await page.GotoAsync("/#/account");
        await page.GetByTestId("account-name").FillAsync("Dora Explorer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Name saved.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sessions")).ToContainTextAsync("this device");

        await page.GetByTestId("delete-account").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete for good" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        Assert.Empty(_pageErrors);
    }

    private async Task<IPage> OpenAsync(IBrowser browser, ServerProcess server, ViewportSize size)
    {
        var page = await Browsers.NewPageAsync(browser, server, size, size == Phone, _pageErrors);
        var home = await page.GotoAsync("/");
        Assert.Contains("script-src 'self';", (await home!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        return page;
    }

    private static async Task<string> SignUpAsync(IPage page, string name)
    {
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/#/signup");
        await page.GetByTestId("signup-name").FillAsync(name);
        await page.GetByTestId("signup-email").FillAsync(email);
        await page.GetByTestId("signup-password").FillAsync(Password);
        await page.GetByTestId("signup-submit").ClickAsync();
        return email;
    }

    private static async Task VerifyAsync(IPage page, string code)
    {
        await page.GotoAsync("/#/verify");
        await page.GetByTestId("verify-code").FillAsync(code);
        await page.GetByTestId("verify-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-code")).ToBeHiddenAsync();
    }

    private static async Task ChooseAsync(IPage page, string market, string side)
    {
        await page.GotoAsync("/#/onboarding");
        await page.GetByTestId($"market-option-{market}").ClickAsync();
        await page.GetByTestId($"side-option-{side}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("profile-form")).ToBeVisibleAsync();
    }

    private static ILocator Field(IPage page, string group, string name) => page.GetByTestId($"field-{group}-{name}");

    /// <summary>Fills a generated form knowing nothing of the market: a value for every field that takes one.</summary>
    private static async Task FillEveryFieldAsync(IPage page)
    {
        var fields = page.Locator("[data-testid^='field-attributes-'], [data-testid^='field-preferences-']");
        for (var i = 0; i < await fields.CountAsync(); i++)
        {
            var field = fields.Nth(i);
            if (await field.Locator("select").CountAsync() > 0)
            {
                var select = field.Locator("select").First;
                var values = await select.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value).filter(v => v)");
                await select.SelectOptionAsync(values[0]);
            }
            else if (await field.Locator("input[type=checkbox]").CountAsync() > 0)
            {
                await field.Locator("input[type=checkbox]").First.CheckAsync();
            }
            else if (await field.Locator("input[type=number]").CountAsync() is > 0 and var count)
            {
                // Every number of the field (a range's two ends, a place's latitude and longitude), 30 where allowed.
                for (var n = 0; n < count; n++)
                {
                    var input = field.Locator("input[type=number]").Nth(n);
                    var min = await input.GetAttributeAsync("min");
                    var max = await input.GetAttributeAsync("max");
                    var value = Math.Clamp(30, min is null ? 30 : double.Parse(min, System.Globalization.CultureInfo.InvariantCulture), max is null ? 30 : double.Parse(max, System.Globalization.CultureInfo.InvariantCulture));
                    await input.FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else if (await field.Locator("textarea").CountAsync() > 0)
            {
                await field.Locator("textarea").First.FillAsync("Here for good conversation.");
            }
        }
    }

    /// <summary>The deck shows the card (asking again while it is empty: the other may have saved later, or the index is applying a new profile).</summary>
    internal static async Task ExpectCardAsync(IPage page, string title)
    {
        var card = page.GetByTestId("deck-card").GetByTestId("card-title");
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
        {
            if (await card.IsVisibleAsync() && (await card.InnerTextAsync()).Contains(title, StringComparison.Ordinal))
            {
                return;
            }
            if (await page.GetByTestId("deck-empty").IsVisibleAsync())
            {
                await page.GotoAsync("/#/matches");
                await page.GotoAsync("/#/deck");
            }
        }
        await Assertions.Expect(card).ToContainTextAsync(title);
    }

    private static async Task DragRightAsync(IPage page)
    {
        var box = (await page.GetByTestId("deck-card").BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        for (var step = 1; step <= 10; step++)
        {
            await page.Mouse.MoveAsync(x + step * 30, y + step * 3);
        }
        await page.Mouse.UpAsync();
    }

    private static async Task SendAsync(IPage page, string text)
    {
        await page.GetByTestId("message-input").FillAsync(text);
        await page.GetByTestId("message-input").PressAsync("Enter");
        await Assertions.Expect(Messages(page, "mine").Last).ToHaveTextAsync(text);
    }

    private static ILocator Messages(IPage page, string whose) =>
        page.GetByTestId("message-list").Locator($"[data-testid='message'].{whose} [data-testid='message-text']");

    internal static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png") });
    }
}
