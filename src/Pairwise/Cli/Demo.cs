using Pairwise.Markets;
using Pairwise.Storage;

namespace Pairwise.Cli;

/// <summary>
/// `pairwise --demo`: on an empty store, a populated platform to look around in — seeded members
/// and listings in each preset market, venture members who follow and post, and one known account
/// per side to log in as.
/// </summary>
public static class Demo
{
    public static readonly IReadOnlyList<(string Email, string Market, string Side)> Accounts =
    [
        ("investor@demo.pairwise.local", "venture", "investor"),
        ("founder@demo.pairwise.local", "venture", "startup"),
        ("worker@demo.pairwise.local", "gigs", "worker"),
        ("employer@demo.pairwise.local", "gigs", "employer"),
        ("buyer@demo.pairwise.local", "marketplace", "buyer"),
        ("seller@demo.pairwise.local", "marketplace", "seller"),
        // Only where the dating example is loaded (docs/examples).
        ("person@demo.pairwise.local", "dating", "person"),
    ];

    private static readonly ItemKey Marker = new("SYSTEM", "DEMO");

    /// <summary>Seeds once per store; returns false when the store already had its demo (or other) data.</summary>
    public static async Task<bool> SeedIfEmptyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IItemStore>();
        var markets = services.GetRequiredService<MarketCatalog>();
        if (await store.GetAsync(Marker, cancellationToken) is not null)
        {
            return false;
        }
        var seeder = services.GetRequiredService<Seeder>();
        // Gigs: waiting work is the commonest kind, so 300 jobs give the demo worker (a waiter) a full deck.
        foreach (var (market, profiles, listings) in new[] { ("venture", 300, 0), ("gigs", 240, 300), ("marketplace", 150, 300), ("dating", 500, 0) })
        {
            if (markets.Find(market) is not null)
            {
                await seeder.SeedAsync(market, profiles, listings, null, 7, null, cancellationToken, cardPhotos: true);
            }
        }
        // A swipe history, so the venture feed has behaviour to learn from (and `pairwise evaluate` something to show).
        if (markets.Find("venture") is not null)
        {
            await services.GetRequiredService<SwipeSeeder>().SeedAsync("venture", 3000, 7, null, cancellationToken);
        }
        foreach (var (email, market, side) in Accounts.Where(a => markets.Find(a.Market) is not null))
        {
            await seeder.DemoAccountAsync(email, market, side, cancellationToken);
        }
        // The seller's products and the employer's open jobs, then what others did with them (offers, responses, matches).
        if (markets.Find("marketplace") is not null)
        {
            await seeder.DemoListingsAsync("seller@demo.pairwise.local", "marketplace", "seller", 8, cancellationToken);
        }
        if (markets.Find("gigs") is not null)
        {
            await seeder.DemoListingsAsync("employer@demo.pairwise.local", "gigs", "employer", 3, cancellationToken);
        }
        await services.GetRequiredService<DemoStories>().TellAsync(cancellationToken);
        // Following: venture members follow and post, and the venture demo accounts follow a dozen of them.
        if (markets.Find("venture") is not null)
        {
            var social = services.GetRequiredService<SocialSeeder>();
            await social.SeedAsync("venture", 5, 1, 7, null, cancellationToken);
            foreach (var (email, _, _) in Accounts.Where(a => a.Market == "venture"))
            {
                await social.FollowSomeAsync(email, "venture", 12, 7, cancellationToken);
            }
        }
        await store.PutAsync(new Item { Pk = Marker.Pk, Sk = Marker.Sk, Version = 1 }, Condition.NotExists, cancellationToken);
        Console.WriteLine($"Demo data is ready. Log in as any of these, with the password \"{Seeder.Password}\":");
        foreach (var (email, market, side) in Accounts.Where(a => markets.Find(a.Market) is not null))
        {
            Console.WriteLine($"  {email,-32} {market} / {side}");
        }
        return true;
    }
}
