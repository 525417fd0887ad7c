using Microsoft.Playwright;
using static Pairwise.Tests.Scenarios.Marketplace;

namespace Pairwise.Tests.WebApp;

/// <summary>
/// The marketplace beyond swiping, in Chromium against the real binary: a seller (desktop) posts a
/// product with a named place instead of coordinates; a buyer (phone) finds it in the grid by words
/// and category, makes an offer; the seller counters in the chat, the buyer accepts (reserved),
/// the seller marks it sold — each step live on the other screen — and the buyer rates the seller.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class MarketplaceBrowserTests
{
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task ABuyerFindsAProductInTheGridAndTheyAgreeOnAPriceUntilItIsSold()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-market"));
        HttpClient NewClient() => new() { BaseAddress = server.Address };
        var seller = await Scenarios.Chat.SignUpAsync(NewClient(), "Sam Seller");
        await Expect.Status(await seller.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { displayName = "Bike Corner", attributes = new { shopName = "Bike Corner" } }), HttpStatusCode.Created);
        await ProductAsync(seller, "Oak bookshelf", price: 700, category: "furniture", tags: ["furniture"]);
        var buyer = await Scenarios.Chat.SignUpAsync(NewClient(), "Bea Buyer");
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            displayName = "Bea",
            attributes = new { location = new { lat = Central.Lat, lon = Central.Lon } },
            preferences = new { radiusKm = 30 },
        }), HttpStatusCode.Created);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var shop = await Browsers.SignedInAsync(browser, server, seller, phone: false, _pageErrors);
        var bea = await Browsers.SignedInAsync(browser, server, buyer, phone: true, _pageErrors);

        // The product form asks for a place by name (no latitude or longitude) and a category from the market file.
        await shop.GotoAsync("/#/listings/new");
        await shop.GetByTestId("listing-title").FillAsync("Folding bike");
        await shop.GetByTestId("listing-description").FillAsync("Light, folds small, new tyres.");
        await shop.GetByTestId("listing-price").FillAsync("900");
        await shop.GetByTestId("listing-tags").FillAsync("bikes, commute");
        await Assertions.Expect(shop.Locator("input[max='90']")).ToHaveCountAsync(0);
        await shop.GetByTestId("listing-place").SelectOptionAsync("Mong Kok");
        await shop.GetByTestId("field-attributes-category").Locator("select").SelectOptionAsync("bikes");
        await shop.GetByTestId("field-attributes-condition").Locator("select").SelectOptionAsync("used");
        await shop.GetByTestId("listing-save").ClickAsync();
        await Assertions.Expect(shop.GetByTestId("needs-photo")).ToBeVisibleAsync();
        var id = shop.Url.Split("#/listings/")[1];
        await Expect.Status(await seller.Client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.jpg")), HttpStatusCode.Created);
        var stored = await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK);
        Assert.Equal(22.3193, stored.GetProperty("location").GetProperty("lat").GetDouble(), 4);

        // The buyer's own place is chosen by name too: Mong Kok, stored as its point.
        await bea.GotoAsync("/#/profile");
        await bea.GetByTestId("field-attributes-location").Locator("select").SelectOptionAsync("Mong Kok");
        await bea.GetByTestId("profile-save").ClickAsync();
        await Assertions.Expect(bea.Locator("#toasts")).ToContainTextAsync("saved");
        var profile = await Expect.Json(await buyer.Client.GetAsync("/v1/markets/marketplace/profiles/buyer/me"), HttpStatusCode.OK);
        Assert.Equal(114.1694, profile.GetProperty("attributes").GetProperty("location").GetProperty("lon").GetDouble(), 4);

        // The buyer switches the deck to the grid, searches by a word and the category, and opens the bike.
        await bea.GotoAsync("/#/deck");
        await bea.GetByTestId("to-grid").ClickAsync();
        await bea.GetByTestId("search-category").SelectOptionAsync("bikes");
        await bea.GetByTestId("search-q").FillAsync("fold");
        await Assertions.Expect(bea.GetByTestId("search-item")).ToHaveCountAsync(1);
        await Assertions.Expect(bea.GetByTestId("search-count")).ToHaveTextAsync("1 result");
        await bea.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        await BrowserTests.ShotAsync(bea, "search-phone");
        await bea.GetByTestId("search-item").ClickAsync();

        // An offer below the price opens the conversation with the offer in it.
        await bea.GetByTestId("make-offer").GetByTestId("offer-amount").FillAsync("800");
        await bea.GetByTestId("make-offer").GetByTestId("offer-send").ClickAsync();
        await Assertions.Expect(bea.GetByTestId("deal-status")).ToContainTextAsync("You offered");
        await Assertions.Expect(bea.GetByTestId("deal-status")).ToContainTextAsync("800");
        var conversation = bea.Url.Split("#/chat/")[1];

        // The seller counters in the chat; the buyer sees it live and accepts; the bike is reserved.
        await shop.GotoAsync($"/#/chat/{conversation}");
        await Assertions.Expect(shop.GetByTestId("deal-status")).ToContainTextAsync("offers");
        await shop.GetByTestId("offer-counter").ClickAsync();
        await shop.GetByTestId("deal-bar").GetByTestId("offer-amount").FillAsync("850");
        await shop.GetByTestId("deal-bar").GetByTestId("offer-send").ClickAsync();
        await Assertions.Expect(shop.GetByTestId("deal-status")).ToContainTextAsync("You offered");
        await Assertions.Expect(bea.GetByTestId("deal-status")).ToContainTextAsync("850");
        await bea.GetByTestId("offer-accept").ClickAsync();
        await Assertions.Expect(bea.GetByTestId("deal-status")).ToContainTextAsync("Deal agreed");
        await Assertions.Expect(shop.GetByTestId("deal-status")).ToContainTextAsync("Deal agreed");
        Assert.Equal("reserved", (await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK)).GetProperty("status").GetString());

        // Handed over: the seller marks it sold, and both see the price it sold for.
        await shop.GetByTestId("deal-complete").ClickAsync();
        await Assertions.Expect(shop.GetByTestId("deal-status")).ToContainTextAsync("Sold for");
        await Assertions.Expect(bea.GetByTestId("deal-status")).ToContainTextAsync("Sold for");
        Assert.Equal("sold", (await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{id}"), HttpStatusCode.OK)).GetProperty("status").GetString());
        await Assertions.Expect(bea.Locator("#toasts > *")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await BrowserTests.ShotAsync(bea, "deal-phone");

        // The sale is reason enough to rate each other, from the deal itself.
        await bea.GetByTestId("deal-rate").ClickAsync();
        await bea.GetByTestId("review-text").FillAsync("Bike as described, easy pick-up.");
        await bea.GetByTestId("review-send").ClickAsync();
        await Assertions.Expect(bea.GetByTestId("review-dialog")).ToBeHiddenAsync();
        var reviews = await Expect.Json(await buyer.Client.GetAsync($"/v1/users/{seller.UserId}/reviews"), HttpStatusCode.OK);
        Assert.Equal("Bike as described, easy pick-up.", Assert.Single(reviews.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        Assert.Empty(_pageErrors);
    }
}
