using Microsoft.Playwright;
using static Pairwise.Tests.Scenarios.Marketplace;

namespace Pairwise.Tests.WebApp;

/// <summary>Block and report in the web app (Chromium, the real binary): what each person and an operator see.</summary>
[Trait("Category", "BinaryProcess")]
public sealed class SafetyBrowserTests
{
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task ABlockFromAChatClosesItForBothAndEmptiesTheDeckAndAReportReachesTheOperator()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var operatorEmail = $"operator-{Guid.NewGuid():N}@example.com";
        var settings = smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!);
        settings["Pairwise__Operators__0"] = operatorEmail;
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-safety"), settings);
        HttpClient NewClient() => new() { BaseAddress = server.Address };

        // A seller with two products; a buyer nearby makes an offer on one (a conversation opens) and still has the other in the deck.
        var seller = await Scenarios.Chat.SignUpAsync(NewClient(), "Sam Seller");
        await Expect.Status(await seller.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { displayName = "Bike Corner", attributes = new { shopName = "Bike Corner" } }), HttpStatusCode.Created);
        var bike = (await ProductAsync(seller, "Road bike")).GetProperty("id").GetString()!;
        await ProductAsync(seller, "Helmet", price: 40);
        var buyer = await Scenarios.Chat.SignUpAsync(NewClient(), "Bea Buyer");
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            displayName = "Bea",
            attributes = new { location = new { lat = Central.Lat, lon = Central.Lon } },
            preferences = new { radiusKm = 5 },
        }), HttpStatusCode.Created);
        var offer = await Expect.Json(await buyer.Client.PostAsJsonAsync($"/v1/listings/{bike}/swipe", new { action = "like" }), HttpStatusCode.OK);
        var conversation = offer.GetProperty("conversationId").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var buyerPage = await SignedInAsync(browser, server, buyer, phone: true);
        var sellerPage = await SignedInAsync(browser, server, seller, phone: false);
        await BrowserTests.ExpectCardAsync(buyerPage, "Helmet");

        // Both have the chat open; the buyer blocks from it.
        await sellerPage.GotoAsync($"/#/chat/{conversation}");
        await buyerPage.GotoAsync($"/#/chat/{conversation}");
        await Assertions.Expect(sellerPage.GetByTestId("message-input")).ToBeEnabledAsync();

        // The chat says what it is about (the product, its photo and price); the inbox labels the thread; an empty chat suggests a first line.
        await Assertions.Expect(buyerPage.GetByTestId("chat-context-title")).ToHaveTextAsync("Road bike");
        await Assertions.Expect(buyerPage.GetByTestId("chat-context-price")).ToContainTextAsync("300");
        await Assertions.Expect(buyerPage.GetByTestId("chat-context").Locator("img")).ToBeVisibleAsync();
        await Assertions.Expect(sellerPage.GetByTestId("thread-label").First).ToHaveTextAsync("Road bike");
        await buyerPage.GetByTestId("openers").Locator("button").First.ClickAsync();
        await Assertions.Expect(buyerPage.GetByTestId("message-input")).ToHaveValueAsync("Hi! Is it still available?");
        await buyerPage.GetByTestId("safety-menu").Locator("summary").ClickAsync();
        await buyerPage.GetByTestId("block").ClickAsync();
        await buyerPage.GetByRole(AriaRole.Button, new() { Name = "Block", Exact = true }).ClickAsync();

        // Closed for both, live on the seller's screen; the seller's product is gone from the buyer's deck.
        await Assertions.Expect(buyerPage.GetByTestId("chat-closed")).ToBeVisibleAsync();
        await Assertions.Expect(sellerPage.GetByTestId("chat-closed")).ToBeVisibleAsync();
        await Assertions.Expect(sellerPage.GetByTestId("message-input")).ToBeDisabledAsync();
        await Assertions.Expect(buyerPage.GetByTestId("message-input")).ToBeDisabledAsync();
        await buyerPage.GotoAsync("/#/deck");
        await Assertions.Expect(buyerPage.GetByTestId("deck-empty")).ToBeVisibleAsync();
        await Assertions.Expect(buyerPage.GetByTestId("deck-card")).ToHaveCountAsync(0);
        await buyerPage.GotoAsync("/#/settings");
        await Assertions.Expect(buyerPage.GetByTestId("blocked-people")).ToContainTextAsync("Sam Seller");

        // The seller reports the buyer from the closed chat, with a reason.
        await sellerPage.GetByTestId("safety-menu").Locator("summary").ClickAsync();
        await Assertions.Expect(sellerPage.GetByTestId("unmatch")).ToHaveCountAsync(0);
        await sellerPage.GetByTestId("report").ClickAsync();
        await sellerPage.GetByTestId("report-reason").SelectOptionAsync("scam");
        await sellerPage.GetByTestId("report-details").FillAsync("Asked me to pay a deposit first.");
        await sellerPage.GetByTestId("report-send").ClickAsync();
        await Assertions.Expect(sellerPage.GetByText("Our team reviews every report")).ToBeVisibleAsync();

        // An operator (a verified address in Pairwise:Operators) sees it in the app.
        var operatorSession = await Scenarios.Chat.SignUpAsync(NewClient(), "Olga Operator", operatorEmail);
        await Expect.Status(await operatorSession.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(operatorSession.Email) }), HttpStatusCode.OK);
        var me = await Expect.Json(await operatorSession.Client.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.True(me.GetProperty("isOperator").GetBoolean(), me.ToString());
        var operatorPage = await SignedInAsync(browser, server, operatorSession, phone: false);
        await operatorPage.GotoAsync("/#/account");
        await operatorPage.GetByTestId("operator-link").ClickAsync();
        var report = operatorPage.GetByTestId("report-item");
        await Assertions.Expect(report).ToHaveCountAsync(1);
        await Assertions.Expect(report).ToContainTextAsync("scam");
        await Assertions.Expect(report).ToContainTextAsync("Asked me to pay a deposit first.");
        await Assertions.Expect(report).ToContainTextAsync(buyer.UserId);
        await BrowserTests.ShotAsync(operatorPage, "operator-reports");
        Assert.Empty(_pageErrors);
    }

    private Task<IPage> SignedInAsync(IBrowser browser, ServerProcess server, UserSession user, bool phone) =>
        Browsers.SignedInAsync(browser, server, user, phone, _pageErrors);
}
