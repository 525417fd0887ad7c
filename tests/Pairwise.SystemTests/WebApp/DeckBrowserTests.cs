using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>The deck in Chromium against the real binary: what a reload shows.</summary>
[Trait("Category", "BinaryProcess")]
public sealed class DeckBrowserTests
{
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task ReloadingTheDeckShowsTheSameFirstCardUntilItIsSwiped()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-deck"));
        HttpClient NewClient() => new() { BaseAddress = server.Address };
        foreach (var name in new[] { "Lantern Pay", "Harbour Ledger", "Junk Boat Labs", "Night Market Cloud" })
        {
            var founder = await Scenarios.Chat.SignUpAsync(NewClient(), name);
            await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
            {
                displayName = name,
                attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", fundingAmount = 1_000_000, description = $"{name} builds payments." },
                preferences = new { industries = new[] { "fintech" } },
            }), HttpStatusCode.Created);
        }
        var investor = await Scenarios.Chat.SignUpAsync(NewClient(), "Ian Investor");
        await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
        {
            displayName = "Harbour Ventures",
            attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" }, locations = new[] { "Hong Kong" }, minCheck = 100_000, maxCheck = 2_000_000 },
            preferences = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } },
        }), HttpStatusCode.Created);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var page = await Browsers.SignedInAsync(browser, server, investor, phone: true, _pageErrors);
        var title = page.GetByTestId("deck-card").GetByTestId("card-title");

        // The first card is reported as shown (and accepted); three reloads later it is still first.
        await page.GotoAsync("/#/deck");
        var reported = page.WaitForResponseAsync(r => r.Url.Contains("/feed/seen", StringComparison.Ordinal));
        await page.ReloadAsync();
        await Assertions.Expect(title).ToBeVisibleAsync();
        var first = await title.InnerTextAsync();
        Assert.Equal(204, (await reported).Status);
        for (var reload = 0; reload < 3; reload++)
        {
            await page.ReloadAsync();
            await Assertions.Expect(title).ToHaveTextAsync(first);
        }

        // Swiped: the next card takes its place, and stays there across a reload.
        await page.GetByTestId("swipe-pass").ClickAsync();
        await Assertions.Expect(title).Not.ToHaveTextAsync(first);
        var second = await title.InnerTextAsync();
        await page.WaitForTimeoutAsync(300);
        await page.ReloadAsync();
        await Assertions.Expect(title).ToHaveTextAsync(second);
        Assert.Empty(_pageErrors);
    }
}
