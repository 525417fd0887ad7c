using Bogus;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Cli;

/// <summary>
/// Swipe history for demo data, made through the real swipe path (counters, pairs, matches,
/// conversations and notices as a member's swipe makes them): each seeded member gets a hidden
/// appeal and choosiness, and decides on random cards of the other side with the chance those
/// give — so a market's learned term and <c>pairwise evaluate</c> have behaviour to work on. The
/// swipes come from the most active twentieth of the members, about twenty each.
/// Card markets only (a side whose members are shown as cards).
/// </summary>
public sealed class SwipeSeeder(MarketCatalog markets, ProfileStore profiles, SwipeService swipes)
{
    public async Task<int> SeedAsync(string marketId, int count, int seed, IProgress<(string Stage, int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var market = markets.Find(marketId) ?? throw new ArgumentException($"There is no market '{marketId}'.");
        if (count <= 0)
        {
            return 0;
        }
        var faker = new Faker { Random = new Randomizer(seed) };
        var members = new Dictionary<string, List<ProfileRecord>>(StringComparer.Ordinal);
        foreach (var side in market.Sides)
        {
            var list = new List<ProfileRecord>();
            await foreach (var profile in profiles.ListSideAsync(market.Id, side.Id, 500, cancellationToken))
            {
                list.Add(profile);
            }
            members[side.Id] = list;
        }
        var latent = members.Values.SelectMany(m => m).ToDictionary(p => p.Id, _ => (Appeal: Normal(faker), Choosiness: Normal(faker)), StringComparer.Ordinal);
        // As on a real platform, some members swipe a lot and most little: about twenty swipes each for a twentieth of them.
        var everyone = market.Sides.Where(s => market.CounterpartOf(s).Presentation == Presentation.Card).SelectMany(s => members[s.Id].Select(p => (Profile: p, Side: s))).ToList();
        var swipers = faker.Random.Shuffle(everyone).Take(Math.Max(10, count / 20)).ToList();
        if (swipers.Count == 0)
        {
            throw new ArgumentException($"'{marketId}' shows no member as a card: --swipes seeds card markets only.");
        }
        var made = 0;
        for (var attempt = 0; made < count && attempt < count * 3; attempt++)
        {
            var (swiper, side) = faker.PickRandom(swipers);
            var cards = members[market.CounterpartOf(side).Id];
            var owner = faker.PickRandom(cards);
            if (owner.CardId is not { } cardId || owner.UserId == swiper.UserId)
            {
                continue;
            }
            var chance = 1 / (1 + Math.Exp(-(-0.4 + (1.2 * latent[owner.Id].Appeal) - (1.2 * latent[swiper.Id].Choosiness))));
            var outcome = await swipes.SwipeAsync(swiper.UserId, cardId, faker.Random.Double() < chance ? SwipeActions.Like : SwipeActions.Pass, side.Id, cancellationToken);
            if (outcome.Status == SwipeStatus.Done)
            {
                made++;
                progress?.Report(("swipes", made, count));
            }
        }
        return made;
    }

    private static double Normal(Faker faker) => Math.Sqrt(-2 * Math.Log(1 - faker.Random.Double())) * Math.Cos(2 * Math.PI * faker.Random.Double());
}
