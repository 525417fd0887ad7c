using System.Numerics.Tensors;
using Pairwise.Ranking;

namespace Pairwise.Tests.Ranking;

/// <summary>The built-in embedder: the sentence model for Latin script, hashed features for CJK, one vector.</summary>
public sealed class LocalEmbedderTests
{
    private static float Similarity(string a, string b) => LocalEmbedder.Calibrate(LocalEmbedder.Similarity(LocalEmbedder.Embed(a), LocalEmbedder.Embed(b)));

    [Fact]
    public void RelatedJobsWithoutASharedWordPassTheFloorAndUnrelatedOnesDoNot()
    {
        var coffee = Similarity("barista, latte art, Mong Kok", "coffee shop assistant");
        var warehouse = Similarity("barista, latte art, Mong Kok", "warehouse packer");

        Assert.True(coffee > warehouse, $"{coffee} should beat {warehouse}");
        Assert.InRange(coffee, 0.6, 1);
        Assert.InRange(warehouse, 0, 0.6);
    }

    [Theory]
    [InlineData("Waiter with evening shift experience", "Restaurant server for dinner service")]
    [InlineData("Delivery rider with motorcycle licence", "Food courier on a scooter")]
    [InlineData("Cashier, POS systems", "Checkout clerk at the till")]
    public void TheModelSeesSynonyms(string a, string b) => Assert.InRange(Similarity(a, b), 0.6, 1);

    [Theory]
    [InlineData("晚市侍應", "餐廳侍應，晚市經驗", 0.6, 1)]
    [InlineData("急需咖啡師", "咖啡師，識拉花", 0.6, 1)]
    [InlineData("餐廳侍應，晚市經驗，識做樓面服務", "倉務員，包裝及搬運", 0, 0.6)]
    public void ChineseTextIsMatchedByItsCharacters(string a, string b, double low, double high) => Assert.InRange(Similarity(a, b), low, high);

    [Fact]
    public void ChineseTextHasNoModelPart()
    {
        var vector = LocalEmbedder.Embed("餐廳侍應，晚市經驗");

        Assert.All(vector[..LocalEmbedder.ModelDimensions], x => Assert.Equal(0, x));
        Assert.Equal(1.0, TensorPrimitives.Norm(vector), 4);
    }

    [Theory]
    [InlineData("barista, latte art, Mong Kok", "咖啡師，識拉花")]
    [InlineData("Waiter with evening shift experience", "急需侍應 晚市 18:00-22:00")]
    public void ALatinTextAndAChineseTextShareNothing(string latin, string chinese) =>
        Assert.Equal(0, LocalEmbedder.Similarity(LocalEmbedder.Embed(latin), LocalEmbedder.Embed(chinese)), 3);

    [Fact]
    public void ABilingualAdMatchesAProfileInEitherLanguage()
    {
        const string ad = "水吧師傅 咖啡師，識拉花。Barista, latte art.";

        Assert.InRange(Similarity(ad, "Barista, latte art"), 0.6, 1);
        Assert.InRange(Similarity(ad, "咖啡師"), 0.6, 1);
        Assert.InRange(Similarity(ad, "Delivery rider with motorcycle licence"), 0, 0.6);
    }

    [Fact]
    public void TheRankingLoopAgreesWithOnePair()
    {
        string[] cards = ["Coffee shop assistant", "急需侍應", "水吧師傅 咖啡師，識拉花。Barista, latte art.", ""];
        var matrix = cards.SelectMany(c => LocalEmbedder.Embed(c)).ToArray();
        var query = LocalEmbedder.Embed("barista, latte art, Mong Kok");
        var all = new float[cards.Length];

        LocalEmbedder.Similarities(matrix, query, all);
        var calibrated = all.ToArray();
        LocalEmbedder.Calibrate(calibrated);

        for (var i = 0; i < cards.Length; i++)
        {
            var one = LocalEmbedder.Similarity(LocalEmbedder.Embed(cards[i]), query);
            Assert.Equal(one, all[i], 4);
            Assert.Equal(LocalEmbedder.Calibrate(one), calibrated[i], 4);
        }
    }

    [Fact]
    public void TheFloorCosineCalibratesToTheSeedsThreshold()
    {
        Assert.Equal(0.6, LocalEmbedder.Calibrate(LocalEmbedder.FloorCosine), 3);
        Assert.Equal(1, LocalEmbedder.Calibrate(1), 3);
        Assert.Equal(0, LocalEmbedder.Calibrate(-0.2f));
    }

    [Fact]
    public void TheSameTextGivesTheSameVector() =>
        Assert.Equal(LocalEmbedder.Embed("Barista, latte art"), LocalEmbedder.Embed("Barista, latte art"));
}
