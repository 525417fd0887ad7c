using Microsoft.Extensions.DependencyInjection;
using Pairwise.Listings;
using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Listings;

/// <summary>Hype: what buyers do with a product (views, saves, offers, messages) becomes a decaying score the seller sees and the feed lifts, bounded and explained.</summary>
public sealed class HypeTests
{
    [Theory]
    [OnEachEngine]
    public async Task EngagementBecomesADecayingScoreThatLiftsTheProductABitAndSaysWhy(Engine engine)
    {
        // The recipe's formula alone (learning off): the hype multiplier is the only thing that moves.
        using var app = new PairwiseApp(engine, MarketFiles.WithoutLearning());
        var seller = await Marketplace.SellerAsync(app);
        var wanted = (await Marketplace.ProductAsync(seller, "Wanted bike")).GetProperty("id").GetString()!;
        var quiet = (await Marketplace.ProductAsync(seller, "Quiet bike")).GetProperty("id").GetString()!;
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = Marketplace.Central.Lat, lon = Marketplace.Central.Lon } },
            preferences = new { radiusKm = 10 },
        }), HttpStatusCode.Created);
        await SettleAsync(app);
        var before = await FeedAsync(buyer, "marketplace");

        for (var i = 0; i < 3; i++)
        {
            await Expect.Status(await buyer.Client.GetAsync($"/v1/listings/{wanted}"), HttpStatusCode.OK);
        }
        await Expect.Status(await seller.Client.GetAsync($"/v1/listings/{wanted}"), HttpStatusCode.OK); // the owner's own look is not a view
        await Expect.Status(await buyer.Client.PutAsync($"/v1/bookmarks/{wanted}", null), HttpStatusCode.Created);
        var room = (await Expect.Json(await buyer.Client.PostAsJsonAsync($"/v1/listings/{wanted}/swipe", new { action = "like" }), HttpStatusCode.OK)).GetProperty("conversationId").GetString()!;
        await Chat.SendAsync(buyer, room, "Still available?");

        Assert.True(await app.Services.GetRequiredService<Hype>().RunOnceAsync(CancellationToken.None) >= 1);
        var hype = await Expect.Json(await seller.Client.GetAsync($"/v1/listings/{wanted}/hype"), HttpStatusCode.OK);
        var parts = hype.GetProperty("parts");
        Assert.Equal(3, parts.GetProperty("view").GetInt64());
        Assert.Equal(1, parts.GetProperty("save").GetInt64());
        Assert.Equal(1, parts.GetProperty("offer").GetInt64());
        Assert.Equal(1, parts.GetProperty("message").GetInt64());
        Assert.Equal(0, parts.GetProperty("like").GetInt64()); // the like on a product was the offer
        // 3 views × 1 + a save × 4 + an offer × 6 + a message × 2 = 15 points, aged from the start of today: 100 × (1 − e^(−points/50)).
        var today = app.Clock.GetUtcNow().TimeOfDay.TotalDays;
        Assert.Equal(Math.Round(15 * Math.Pow(0.5, today / 7), 2), hype.GetProperty("points").GetDouble(), 2);
        Assert.Equal(Math.Round(100 * (1 - Math.Exp(-hype.GetProperty("points").GetDouble() / 50)), 1), hype.GetProperty("value").GetDouble(), 1);
        await Expect.Problem(await buyer.Client.GetAsync($"/v1/listings/{wanted}/hype"), HttpStatusCode.NotFound);

        // The feed lifts it by at most 10 %, and says so.
        await SettleAsync(app);
        var after = await FeedAsync(await FreshBuyerAsync(app), "marketplace");
        var lifted = Item(after, wanted);
        var multiplier = lifted.GetProperty("explanation").GetProperty("multipliers").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "hype");
        Assert.InRange(multiplier.GetProperty("value").GetDouble(), 1.01, 1.1);
        Assert.Equal(multiplier.GetProperty("value").GetDouble() * Item(before, wanted).GetProperty("score").GetDouble(), lifted.GetProperty("score").GetDouble(), 2);
        Assert.DoesNotContain(Item(after, quiet).GetProperty("explanation").GetProperty("multipliers").EnumerateArray(), m => m.GetProperty("name").GetString() == "hype");

        // A week later the same counts weigh half.
        app.Clock.Advance(TimeSpan.FromDays(7));
        var decayed = await app.Services.GetRequiredService<Hype>().ScoreAsync(wanted, CancellationToken.None);
        Assert.Equal(3, decayed.Parts["view"]);
        Assert.Equal(hype.GetProperty("points").GetDouble() / 2, decayed.Points, 1);
    }

    private static async Task<UserSession> FreshBuyerAsync(PairwiseApp app)
    {
        var buyer = await app.SignUpAsync();
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new
        {
            attributes = new { location = new { lat = Marketplace.Central.Lat, lon = Marketplace.Central.Lon } },
            preferences = new { radiusKm = 10 },
        }), HttpStatusCode.Created);
        return buyer;
    }
}
