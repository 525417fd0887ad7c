using Bogus;
using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Social;

namespace Pairwise.Cli;

/// <summary>What was seeded, with the popular profile's owner and one reader (a member of the first hundred) to sign in as.</summary>
public sealed record SocialSeedSummary(int Follows, int Posts, string? PopularProfileId, string? PopularEmail, string? ReaderEmail);

/// <summary>
/// Following and posts for demo and load data, through the real paths (counters, fan-out): every
/// seeded member follows the market's first profile (a popular one, for fan-out at size), the first
/// hundred members also follow <c>follows</c> random profiles each, and every profile publishes
/// <c>posts</c> posts.
/// </summary>
public sealed class SocialSeeder(MarketCatalog markets, ProfileStore profiles, Accounts.UserStore users, Follows follows, Posts posts)
{
    private const int Readers = 100;

    public async Task<SocialSeedSummary> SeedAsync(string marketId, int followsEach, int postsEach, int seed, IProgress<(string Stage, int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var market = markets.Find(marketId) ?? throw new ArgumentException($"There is no market '{marketId}'.");
        var everyone = new List<ProfileRecord>();
        foreach (var side in market.Sides)
        {
            await foreach (var profile in profiles.ListSideAsync(market.Id, side.Id, 500, cancellationToken))
            {
                everyone.Add(profile);
            }
        }
        if (everyone.Count < 2)
        {
            return new SocialSeedSummary(0, 0, null, null, null);
        }
        var faker = new Faker { Random = new Randomizer(seed) };
        var popular = everyone[0];
        var made = 0;
        var planned = (everyone.Count - 1) + (Math.Min(Readers, everyone.Count) * followsEach);
        foreach (var (member, index) in everyone.Select((p, i) => (p, i)))
        {
            var targets = new HashSet<string>(StringComparer.Ordinal) { popular.Id };
            if (index < Readers)
            {
                targets.UnionWith(faker.Random.Shuffle(everyone).Take(followsEach + 1).Select(p => p.Id));
            }
            foreach (var target in targets.Where(t => t != member.Id))
            {
                if (await follows.FollowAsync(member.UserId, target, cancellationToken) == true)
                {
                    made++;
                    progress?.Report(("follows", made, planned));
                }
            }
        }
        var published = 0;
        foreach (var profile in everyone)
        {
            for (var i = 0; i < postsEach; i++)
            {
                var outcome = await posts.CreateAsync(profile.UserId, profile.Id, $"{faker.Company.CatchPhrase()}: {faker.Company.Bs()}.", null, cancellationToken);
                if (outcome.Status == PostStatus.Done)
                {
                    published++;
                    progress?.Report(("posts", published, everyone.Count * postsEach));
                }
            }
        }
        return new SocialSeedSummary(made, published, popular.Id, (await users.FindAsync(popular.UserId, cancellationToken))?.Email,
            (await users.FindAsync(everyone[1].UserId, cancellationToken))?.Email);
    }

    /// <summary>Makes the account with <paramref name="email"/> follow <paramref name="count"/> random profiles of a market (a demo account's Following tab).</summary>
    public async Task<int> FollowSomeAsync(string email, string marketId, int count, int seed, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email, cancellationToken) is not { Record.Id: var userId } || markets.Find(marketId) is not { } market)
        {
            return 0;
        }
        var everyone = new List<ProfileRecord>();
        foreach (var side in market.Sides)
        {
            await foreach (var profile in profiles.ListSideAsync(market.Id, side.Id, 500, cancellationToken))
            {
                everyone.Add(profile);
            }
        }
        var made = 0;
        foreach (var profile in new Faker { Random = new Randomizer(seed) }.Random.Shuffle(everyone).Where(p => p.UserId != userId).Take(count))
        {
            made += await follows.FollowAsync(userId, profile.Id, cancellationToken) == true ? 1 : 0;
        }
        return made;
    }
}
