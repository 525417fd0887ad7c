using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>
/// The first run a new user sees: the real binary with <c>--demo</c>, every demo account walked in
/// Chromium at phone and desktop widths — a full deck with photos, values in words (never the
/// market file's raw values where it names a label), no "NaN"/"undefined"/"null", nothing over the
/// deck's buttons, no console errors — with a screenshot of each.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed partial class DemoBrowserTests
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    [Fact]
    public async Task EveryDemoAccountOpensOnAFullDeckWithPhotosInWordsAndNothingInTheWay()
    {
        // With the dating example loaded beside the presets, as the README says, so a person is walked too.
        var withDating = new Dictionary<string, string> { ["Pairwise__MarketsDirectory"] = Path.Combine(AppContext.BaseDirectory, "examples") };
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-demo"), withDating, "--demo");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var problems = new List<string>();

        foreach (var (email, market, side) in new[]
        {
            ("investor@demo.pairwise.local", "venture", "investor"), ("founder@demo.pairwise.local", "venture", "startup"),
            ("worker@demo.pairwise.local", "gigs", "worker"), ("employer@demo.pairwise.local", "gigs", "employer"),
            ("buyer@demo.pairwise.local", "marketplace", "buyer"), ("seller@demo.pairwise.local", "marketplace", "seller"),
            ("person@demo.pairwise.local", "dating", "person"),
        })
        {
            var user = await LogInAsync(server, email);
            var definition = await Expect.Json(await user.Client.GetAsync($"/v1/markets/{market}"), HttpStatusCode.OK);
            var slugs = definition.GetProperty("valueLabels").EnumerateObject().Where(l => l.Name != l.Value.GetString()).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            var name = email.Split('@')[0];
            foreach (var (size, width) in new[] { (Phone, "phone"), (Desktop, "desktop") })
            {
                var errors = new List<string>();
                var page = await Browsers.SignedInAsync(browser, server, user, size == Phone, errors);
                page.Console += (_, message) =>
                {
                    if (message.Type == "error")
                    {
                        errors.Add(message.Text);
                    }
                };
                if (side == "seller")
                {
                    // Buyers are not shown as cards: the seller's first screen is their products, each with a photo.
                    await page.GotoAsync("/#/listings");
                    var products = page.Locator("[data-testid='listing-item']");
                    await Assertions.Expect(products.First).ToBeVisibleAsync();
                    Assert.True(await products.CountAsync() >= 8, $"{name}: {await products.CountAsync()} products");
                    Assert.Equal(await products.CountAsync(), await page.Locator("[data-testid='listing-item'] img").CountAsync());
                }
                else
                {
                    var feed = await Expect.Json(await user.Client.GetAsync($"/v1/markets/{market}/feed?limit=50"), HttpStatusCode.OK);
                    Assert.True(feed.GetProperty("items").GetArrayLength() == 50, $"{name}: a deck of {feed.GetProperty("items").GetArrayLength()} cards, not a full one");
                    await page.GotoAsync("/#/deck");
                    var card = page.GetByTestId("deck-card");
                    await Assertions.Expect(card.Locator(".card-media img")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                    await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
                    foreach (var fact in await card.Locator(".facts dd").AllInnerTextsAsync())
                    {
                        problems.AddRange(fact.Split(", ").Where(slugs.Contains).Select(v => $"{name} ({width}): the raw value '{v}' on the card"));
                    }
                    // Nothing (a toast, the next card) lies over the deck's buttons.
                    var actions = (await page.Locator(".deck-actions").BoundingBoxAsync())!;
                    foreach (var other in new[] { page.Locator("#toasts > *"), card })
                    {
                        for (var i = 0; i < await other.CountAsync(); i++)
                        {
                            if (await other.Nth(i).BoundingBoxAsync() is { } box && Overlap(box, actions))
                            {
                                problems.Add($"{name} ({width}): {await other.Nth(i).GetAttributeAsync("class")} covers the deck's buttons");
                            }
                        }
                    }
                }
                var text = await page.Locator("body").InnerTextAsync();
                problems.AddRange(Broken().Matches(text).Select(m => $"{name} ({width}): '{m.Value}' on screen"));
                problems.AddRange(errors.Select(e => $"{name} ({width}): {e}"));
                await BrowserTests.ShotAsync(page, $"demo-{name}-{width}");
                await page.Context.CloseAsync();
            }
        }
        Assert.Empty(problems);
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width - 1 && b.X < a.X + a.Width - 1 && a.Y < b.Y + b.Height - 1 && b.Y < a.Y + a.Height - 1;

    private static async Task<UserSession> LogInAsync(ServerProcess server, string email)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        var tokens = await Expect.Json(await client.PostAsJsonAsync("/v1/auth/login", new { email, password = "pairwise demo" }), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return new UserSession(client, email, "pairwise demo", tokens.GetProperty("userId").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    [GeneratedRegex(@"\b(NaN|undefined|null)\b")]
    private static partial Regex Broken();
}
