using Microsoft.Extensions.DependencyInjection;
using Pairwise.Ranking;
using static Pairwise.Tests.Scenarios.Venture;

namespace Pairwise.Tests.Ranking;

/// <summary>
/// The learned term on a simulated dating market with planted structure: each person has a latent
/// appeal and selectivity and a city they prefer, and every decision is drawn from them. Half of
/// the pairs decide through the API; the feed must then predict the other half's mutual matches
/// better than the recipe alone, and recover who is appealing.
/// </summary>
public sealed class LearningTests
{
    private sealed record Person(UserSession User, string CardId, string Gender, string City, string WantsCity, double Appeal, double Selectivity);

    [Theory]
    [OnEachEngine]
    public async Task AfterHalfTheDecisionsTheFeedPredictsTheOtherHalfsMatchesAndRecoversAppeal(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating());
        var random = new Random(2026);
        var people = new List<Person>();
        string[] cities = ["Hong Kong", "Singapore"];
        for (var i = 0; i < 48; i++)
        {
            var gender = i % 2 == 0 ? "woman" : "man";
            var (city, wants) = (cities[random.Next(2)], cities[random.Next(2)]);
            var user = await app.SignUpAsync();
            var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/dating/profiles/person", new
            {
                displayName = $"Person {i}",
                attributes = new { age = 26 + random.Next(8), gender, city },
                preferences = new { genders = new[] { gender == "woman" ? "man" : "woman" }, cities = new[] { wants } },
            }), HttpStatusCode.Created);
            people.Add(new Person(user, profile.GetProperty("cardId").GetString()!, gender, city, wants, Normal(random), Normal(random)));
        }
        bool Decide(Person who, Person about) =>
            random.NextDouble() < 1 / (1 + Math.Exp(-(-0.3 + (2 * about.Appeal) - (2 * who.Selectivity) + (about.City == who.WantsCity ? 1 : 0))));

        // Every woman–man pair decides both ways, in a random order; a random half of the pairs goes through the API.
        var pairs = people.Where(p => p.Gender == "woman").SelectMany(w => people.Where(p => p.Gender == "man").Select(m => (Woman: w, Man: m))).ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs));
        var held = new Dictionary<(string, string), bool>();
        foreach (var (woman, man) in pairs)
        {
            var (herYes, hisYes) = (Decide(woman, man), Decide(man, woman));
            if (random.NextDouble() < 0.5)
            {
                held[(woman.CardId, man.CardId)] = held[(man.CardId, woman.CardId)] = herYes && hisYes;
                continue;
            }
            foreach (var (who, card, yes) in new[] { (woman, man.CardId, herYes), (man, woman.CardId, hisYes) })
            {
                await SwipeAsync(who.User, card, yes ? "like" : "pass");
                app.Clock.Advance(TimeSpan.FromMilliseconds(200));
            }
        }
        await SettleAsync(app);

        var (learned, content, appeal) = await MeasureAsync(people, held);
        TestContext.Current.TestOutputHelper?.WriteLine($"{engine}: mutual-match AUC {learned:0.000} learned, {content:0.000} recipe alone");
        Assert.True(learned - content >= 0.15, $"mutual-match AUC {learned:0.000} with learning, {content:0.000} for the recipe alone");
        var planted = people.Where(p => appeal.ContainsKey(p.CardId)).ToList();
        Assert.True(planted.Count >= 40, $"appeal shown for {planted.Count} people");
        var correlation = Spearman([.. planted.Select(p => p.Appeal)], [.. planted.Select(p => appeal[p.CardId])]);
        Assert.True(correlation >= 0.7, $"rank correlation of the learned appeal with the planted one: {correlation:0.000}");

        // The batch fits the market's parameters from the same swipes: appeal and eagerness both count, and the feed still predicts.
        var fitted = await app.Services.GetRequiredService<Learner>().FitAsync("dating", TestContext.Current.CancellationToken);
        Assert.NotNull(fitted);
        Assert.True(fitted.Appeal > 0.3 && fitted.Eagerness > 0.3, $"fitted {fitted}");
        var (refitted, recipeAlone, _) = await MeasureAsync(people, held);
        TestContext.Current.TestOutputHelper?.WriteLine($"{engine}: after the fit ({fitted}): {refitted:0.000} learned, {recipeAlone:0.000} recipe alone; appeal rank correlation {correlation:0.000}");
        Assert.True(refitted - recipeAlone >= 0.15, $"after the fit: {refitted:0.000} against {recipeAlone:0.000}");
        // What `pairwise evaluate --market dating` prints for this market: the learned order beats the recipe's, and random is near ½.
        var set = await app.Services.GetRequiredService<LearningEvaluator>().PrepareAsync("dating", Learner.EarlierShare, TestContext.Current.CancellationToken);
        var table = Cli.EvaluationTable.Render(set!, fitted, 5);
        TestContext.Current.TestOutputHelper?.WriteLine(table);
        var orders = LearningFit.Compare(set!, fitted, 5);
        Assert.Equal(["learned", "content only", "random"], orders.Select(o => o.Order));
        Assert.True(orders[0].LikeAuc.Value >= orders[1].LikeAuc.Value + 0.1, table);
        Assert.InRange(orders[2].LikeAuc.Value, 0.3, 0.7);
        var explanation = (await FeedAsync(people[0].User, "dating", "limit=1")).GetProperty("items")[0].GetProperty("explanation");
        Assert.Contains("fitted on", explanation.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "learned").GetProperty("basis").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task AMarketThatTurnsLearningOffKeepsTheRecipesScore(Engine engine)
    {
        using var app = new PairwiseApp(engine, MarketFiles.Dating(market => market["scoring"]!["learning"] = false));
        var (viewer, _) = await PersonAsync(app, "woman", 30);
        var (liker, likerCard) = await PersonAsync(app, "man", 31);
        var (_, other) = await PersonAsync(app, "man", 32);
        await SwipeAsync(viewer, likerCard, "pass");
        await SwipeAsync(liker, other, "pass");
        await SettleAsync(app);

        var feed = await FeedAsync(viewer, "dating");

        var explanation = Item(feed, other).GetProperty("explanation");
        Assert.DoesNotContain(explanation.GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "learned");
        Assert.Equal(JsonValueKind.Null, explanation.GetProperty("behaviour").ValueKind);
    }

    internal static async Task<(UserSession User, string CardId)> PersonAsync(PairwiseApp app, string gender, int age, object? preferences = null, string city = "Hong Kong")
    {
        var user = await app.SignUpAsync();
        var profile = await Expect.Json(await user.Client.PutAsJsonAsync("/v1/markets/dating/profiles/person", new
        {
            displayName = $"{gender} {age}",
            attributes = new { age, gender, city },
            preferences = preferences ?? new { },
        }), HttpStatusCode.Created);
        return (user, profile.GetProperty("cardId").GetString()!);
    }

    /// <summary>The mean per-person AUC of the held-out mutual matches for the feed's order and for the recipe's part of it, and the appeal the feed explains for each card.</summary>
    private static async Task<(double Learned, double Content, Dictionary<string, double> Appeal)> MeasureAsync(List<Person> people, Dictionary<(string, string), bool> held)
    {
        var learned = new List<double>();
        var content = new List<double>();
        var appeal = new Dictionary<string, double>();
        foreach (var person in people)
        {
            var items = (await FeedAsync(person.User, "dating", "limit=50")).GetProperty("items").EnumerateArray().ToList();
            var rows = new List<(double Score, double Content, bool Match)>();
            foreach (var item in items)
            {
                var card = item.GetProperty("listing").GetProperty("id").GetString()!;
                Assert.True(held.ContainsKey((person.CardId, card)), "the feed shows only people this person has not decided about, of the gender they want");
                var explanation = item.GetProperty("explanation");
                var recipe = explanation.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("name").GetString() != "learned").Sum(f => f.GetProperty("points").GetDouble());
                rows.Add((item.GetProperty("score").GetDouble(), recipe, held[(person.CardId, card)]));
                appeal[card] = explanation.GetProperty("behaviour").GetProperty("appeal").GetDouble();
            }
            if (rows.Any(r => r.Match) && rows.Any(r => !r.Match))
            {
                learned.Add(Auc(rows, r => r.Score));
                content.Add(Auc(rows, r => r.Content));
            }
        }
        Assert.True(learned.Count >= 20, $"{learned.Count} people with both outcomes held out");
        return (learned.Average(), content.Average(), appeal);
    }

    private static double Auc(List<(double Score, double Content, bool Match)> rows, Func<(double Score, double Content, bool Match), double> score)
    {
        double right = 0, pairs = 0;
        foreach (var positive in rows.Where(r => r.Match))
        {
            foreach (var negative in rows.Where(r => !r.Match))
            {
                right += score(positive) > score(negative) ? 1 : score(positive) == score(negative) ? 0.5 : 0;
                pairs++;
            }
        }
        return right / pairs;
    }

    private static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] values)
        {
            var order = values.Select((v, i) => (v, i)).OrderBy(x => x.v).ToArray();
            var ranks = new double[values.Length];
            for (var i = 0; i < order.Length; i++)
            {
                ranks[order[i].i] = i;
            }
            return ranks;
        }
        var (x, y) = (Ranks(a), Ranks(b));
        var (mx, my) = (x.Average(), y.Average());
        return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
