using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Cli;

/// <summary>
/// What the demo accounts find on their first visit, made through the real paths (swipes,
/// matches, offers, responses, messages): the investor has matches with a word from each founder,
/// the founder is liked by investors, the seller has offers on products, the buyer an open offer,
/// the employer responses to a job. The worker is left with a fresh deck.
/// </summary>
public sealed class DemoStories(
    MarketCatalog markets, UserStore users, ProfileStore profiles, Listings.ListingStore listingStore, SwipeService swipes, ConversationService conversations,
    Deals.DealService deals)
{
    public async Task TellAsync(CancellationToken cancellationToken)
    {
        if (markets.Find("venture") is not null)
        {
            await VentureAsync(cancellationToken);
        }
        if (markets.Find("marketplace") is not null)
        {
            await MarketplaceAsync(cancellationToken);
        }
        if (markets.Find("gigs") is not null)
        {
            await GigsAsync(cancellationToken);
        }
        if (markets.Find("dating") is not null)
        {
            await DatingAsync(cancellationToken);
        }
    }

    /// <summary>People who would see the demo person liked her; she liked two back: two matches, one with a first line.</summary>
    private async Task DatingAsync(CancellationToken cancellationToken)
    {
        if (await DemoProfileAsync("person@demo.pairwise.local", "dating", "person", cancellationToken) is not { CardId: { } card } person)
        {
            return;
        }
        var admirers = new List<ProfileRecord>();
        foreach (var other in await OthersAsync("dating", "person", 120, cancellationToken))
        {
            // Hard filters hold both ways: a like from someone she could not meet is refused.
            if (admirers.Count < 5 && (await swipes.SwipeAsync(other.UserId, card, SwipeActions.Like, "person", cancellationToken)).Status == SwipeStatus.Done)
            {
                admirers.Add(other);
            }
        }
        for (var i = 0; i < Math.Min(2, admirers.Count); i++)
        {
            var match = await swipes.SwipeAsync(person.UserId, admirers[i].CardId!, SwipeActions.Like, "person", cancellationToken);
            if (i == 0)
            {
                await SayAsync(admirers[0].UserId, match.ConversationId, $"Hi Mei! I see you like {string.Join(" and ", Interests(admirers[0]).Take(2))} too. Coffee this week?", cancellationToken);
            }
        }
    }

    private static IEnumerable<string> Interests(ProfileRecord profile) =>
        profile.Attributes.GetValueOrDefault("interests") is { ValueKind: System.Text.Json.JsonValueKind.Array } list ? list.EnumerateArray().Select(v => v.GetString()!) : ["coffee"];

    private async Task VentureAsync(CancellationToken cancellationToken)
    {
        var investor = await DemoProfileAsync("investor@demo.pairwise.local", "venture", "investor", cancellationToken);
        var founder = await DemoProfileAsync("founder@demo.pairwise.local", "venture", "startup", cancellationToken);
        var startups = await OthersAsync("venture", "startup", 40, cancellationToken);
        var funds = await OthersAsync("venture", "investor", 40, cancellationToken);
        if (investor?.CardId is { } investorCard)
        {
            // Three founders liked the investor; the investor liked them back: three matches, each with a first word.
            foreach (var startup in startups.Take(3))
            {
                await swipes.SwipeAsync(startup.UserId, investorCard, SwipeActions.Like, "startup", cancellationToken);
                var match = await swipes.SwipeAsync(investor.UserId, startup.CardId!, SwipeActions.Like, "investor", cancellationToken);
                await SayAsync(startup.UserId, match.ConversationId, $"Hi! Thanks for the match. {startup.DisplayName} is raising now; happy to send our deck.", cancellationToken);
            }
            // Two more like the investor, waiting to be seen ("They liked you").
            foreach (var startup in startups.Skip(3).Take(2))
            {
                await swipes.SwipeAsync(startup.UserId, investorCard, SwipeActions.Like, "startup", cancellationToken);
            }
        }
        if (founder?.CardId is { } founderCard)
        {
            foreach (var fund in funds.Take(4))
            {
                await swipes.SwipeAsync(fund.UserId, founderCard, SwipeActions.Like, "investor", cancellationToken);
            }
            var match = await swipes.SwipeAsync(founder.UserId, funds[0].CardId!, SwipeActions.Like, "startup", cancellationToken);
            await SayAsync(funds[0].UserId, match.ConversationId, "Great to meet you. Could you walk us through your numbers next week?", cancellationToken);
        }
    }

    private async Task MarketplaceAsync(CancellationToken cancellationToken)
    {
        var buyer = await DemoProfileAsync("buyer@demo.pairwise.local", "marketplace", "buyer", cancellationToken);
        var seller = await DemoProfileAsync("seller@demo.pairwise.local", "marketplace", "seller", cancellationToken);
        var buyers = await OthersAsync("marketplace", "buyer", 10, cancellationToken);
        if (seller is not null)
        {
            var products = await ListingsOfAsync(seller, cancellationToken);
            foreach (var (other, product) in buyers.Take(3).Zip(products))
            {
                var offer = await swipes.SwipeAsync(other.UserId, product.Id, SwipeActions.Like, "buyer", cancellationToken);
                var amount = Math.Round((product.Price ?? 100) * 0.9m / 10) * 10;
                await SayAsync(other.UserId, offer.ConversationId, $"Hi, is the {product.Title} still available? Would you take {amount}?", cancellationToken);
                if (offer.MatchId is { } match)
                {
                    await deals.MakeAsync(other.UserId, match, amount, null, cancellationToken);
                }
            }
        }
        if (buyer is not null)
        {
            var sellers = await OthersAsync("marketplace", "seller", 5, cancellationToken);
            if (sellers.Count > 0 && (await ListingsOfAsync(sellers[0], cancellationToken)).FirstOrDefault() is { } product)
            {
                var offer = await swipes.SwipeAsync(buyer.UserId, product.Id, SwipeActions.Like, "buyer", cancellationToken);
                await SayAsync(buyer.UserId, offer.ConversationId, $"Hello! I'd like the {product.Title}. When could I pick it up?", cancellationToken);
                // The buyer offered less; the seller answered with a price of their own, waiting for the buyer.
                if (offer.MatchId is { } match && product.Price is { } price)
                {
                    await deals.MakeAsync(buyer.UserId, match, Math.Round(price * 0.8m / 10) * 10, null, cancellationToken);
                    await deals.MakeAsync(sellers[0].UserId, match, Math.Round(price * 0.9m / 10) * 10, "Meet me half-way?", cancellationToken);
                }
            }
        }
    }

    private async Task GigsAsync(CancellationToken cancellationToken)
    {
        if (await DemoProfileAsync("employer@demo.pairwise.local", "gigs", "employer", cancellationToken) is not { } employer
            || (await ListingsOfAsync(employer, cancellationToken)).FirstOrDefault() is not { } job)
        {
            return;
        }
        foreach (var worker in (await OthersAsync("gigs", "worker", 40, cancellationToken)).Take(4))
        {
            await swipes.SwipeAsync(worker.UserId, job.Id, SwipeActions.Like, "worker", cancellationToken);
        }
    }

    private async Task SayAsync(string userId, string? conversationId, string text, CancellationToken cancellationToken)
    {
        if (conversationId is not null)
        {
            await conversations.SendAsync(userId, conversationId, text, $"demo-{Guid.NewGuid():N}", cancellationToken);
        }
    }

    private async Task<ProfileRecord?> DemoProfileAsync(string email, string market, string side, CancellationToken cancellationToken) =>
        await users.FindByEmailAsync(email, cancellationToken) is { } user
            ? (await profiles.FindOwnAsync(user.Record.Id, market, side, cancellationToken))?.Record
            : null;

    /// <summary>Seeded members of a side (not the demo accounts), in a stable order.</summary>
    private async Task<List<ProfileRecord>> OthersAsync(string market, string side, int count, CancellationToken cancellationToken)
    {
        var found = new List<ProfileRecord>();
        await foreach (var profile in profiles.ListSideAsync(market, side, 100, cancellationToken))
        {
            if (profile.Attributes.GetValueOrDefault("status") is not { ValueKind: System.Text.Json.JsonValueKind.String } status || status.GetString() == "available")
            {
                found.Add(profile);
            }
            if (found.Count == count + 10)
            {
                break;
            }
        }
        var demo = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (email, _, _) in Demo.Accounts)
        {
            if (await users.FindByEmailAsync(email, cancellationToken) is { } user)
            {
                demo.Add(user.Record.Id);
            }
        }
        return [.. found.Where(p => !demo.Contains(p.UserId)).Take(count)];
    }

    private async Task<List<Listings.ListingRecord>> ListingsOfAsync(ProfileRecord owner, CancellationToken cancellationToken)
    {
        var found = new List<Listings.ListingRecord>();
        await foreach (var listing in listingStore.LiveInMarketAsync(owner.Market, cancellationToken))
        {
            if (listing.OwnerProfileId == owner.Id && !listing.IsCard)
            {
                found.Add(listing);
            }
        }
        return [.. found.OrderBy(l => l.Id, StringComparer.Ordinal)];
    }
}
