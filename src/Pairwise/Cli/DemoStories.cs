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
    MarketCatalog markets, UserStore users, ProfileStore profiles, Listings.ListingStore listingStore, SwipeService swipes, ConversationService conversations)
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
    }

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
                await SayAsync(other.UserId, offer.ConversationId, $"Hi, is the {product.Title} still available? Would you take {Math.Round((product.Price ?? 100) * 0.9m / 10) * 10}?", cancellationToken);
            }
        }
        if (buyer is not null)
        {
            var sellers = await OthersAsync("marketplace", "seller", 5, cancellationToken);
            if (sellers.Count > 0 && (await ListingsOfAsync(sellers[0], cancellationToken)).FirstOrDefault() is { } product)
            {
                var offer = await swipes.SwipeAsync(buyer.UserId, product.Id, SwipeActions.Like, "buyer", cancellationToken);
                await SayAsync(buyer.UserId, offer.ConversationId, $"Hello! I'd like the {product.Title}. When could I pick it up?", cancellationToken);
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
