using System.Numerics.Tensors;
using Pairwise.Ranking;

namespace Pairwise.Tests.Ranking;

/// <summary>The seeds' worked numbers, computed by the recipes themselves.</summary>
public sealed class ScoringTests
{
    [Theory]
    [InlineData(120, 80, 150, 11.43)]
    [InlineData(150, 80, 150, 20)]
    [InlineData(200, 80, 150, 20)]
    [InlineData(80, 80, 150, 0)]
    public void GigsRateCompatibilityFollowsTheSeed(float rate, float min, float max, double points) =>
        Assert.Equal(points, Math.Round(20 * GigsRecipe.RateScore(rate, min, max)!.Value, 2));

    // The explanation's words follow the same numbers: a rate above the range is never "within" it.
    [Theory]
    [InlineData(120, 80, 150, "pays 120 an hour, within your 80–150 range")]
    [InlineData(150, 80, 150, "pays 150 an hour, within your 80–150 range")]
    [InlineData(1981, 80, 150, "pays 1981 an hour, above your 80–150 range")]
    [InlineData(90, 80, float.NaN, "pays 90 an hour, at least your minimum of 80")]
    [InlineData(90, float.NaN, float.NaN, "pays 90 an hour; your range is not stated")]
    public void TheRateReasonSaysWhereTheRateIs(float rate, float min, float max, string words) =>
        Assert.Equal(words, GigsRecipe.RateWords(rate, min, max, "your"));

    // The marketplace's words: where the price sits in the range the price score rewards, and which interests are shared.
    [Theory]
    [InlineData(300, 0, 4000, "300, at the low end of your 0–4000 range")]
    [InlineData(2000, 0, 4000, "2000, at the middle of your 0–4000 range")]
    [InlineData(3900, 0, 4000, "3900, at the high end of your 0–4000 range")]
    [InlineData(300, float.NaN, 500, "300, within your highest price 500")]
    [InlineData(300, float.NaN, float.NaN, "300; you set no price range")]
    [InlineData(float.NaN, 0, 500, "no price given")]
    public void ThePriceReasonSaysWhereThePriceSits(float price, float min, float max, string words) =>
        Assert.Equal(words, MarketplaceRecipe.PriceWords(price, min, max));

    [Theory]
    [InlineData("bikes,books", "bikes,outdoor", "1 of your 2 interests: #bikes")]
    [InlineData("bikes,books", "books,bikes", "all your interests: #bikes, #books")]
    [InlineData("bikes", "bikes", "your interest: #bikes")]
    [InlineData("plants", "bikes", "none of your interests")]
    [InlineData("", "bikes", "you named no interests")]
    public void TheInterestsReasonNamesTheSharedTags(string wanted, string tags, string words) =>
        Assert.Equal(words, MarketplaceRecipe.TagWords(wanted.Split(',', StringSplitOptions.RemoveEmptyEntries), tags.Split(',')));

    [Theory]
    [InlineData(5, 4, 6, 1)]        // within the preferred hours
    [InlineData(4, 4, 6, 1)]
    [InlineData(8, 4, 6, 0.75)]     // 2 h past, the shorter preference is 4 h: half-way to the floor
    [InlineData(12, 4, 6, 0.5)]     // as far as the preference is long, or farther: the floor
    [InlineData(2, 4, 6, 0.75)]
    [InlineData(9, float.NaN, 6, 0.75)] // only a maximum: measured against it
    public void AShiftFarFromThePreferredHoursKeepsLessOfItsScore(float hours, float min, float max, double fit) =>
        Assert.Equal(fit, GigsRecipe.HoursFit(hours, min, max, 0.5f)!.Value, 3);

    [Fact]
    public void HoursSayNothingWhenEitherSideIsSilent()
    {
        Assert.Null(GigsRecipe.HoursFit(float.NaN, 4, 6, 0.5f));
        Assert.Null(GigsRecipe.HoursFit(5, float.NaN, float.NaN, 0.5f));
    }

    [Fact]
    public void AGigBelowTheWorkersMinimumIsFilteredOut() => Assert.Null(GigsRecipe.RateScore(70, 80, 150));

    [Theory]
    [InlineData("急需侍應，晚市 18:00-22:00", "餐廳侍應，晚市經驗，識做樓面服務", 0.6, 1.0)]
    [InlineData("Barista needed for weekend brunch shifts", "Experienced barista, latte art, weekend shifts", 0.6, 1.0)]
    [InlineData("急需侍應，晚市 18:00-22:00", "Senior C# programmer, backend APIs", 0.0, 0.45)]
    [InlineData("Barista needed for weekend brunch shifts", "Senior C# programmer, backend APIs", 0.0, 0.45)]
    public void TheLocalEmbedderScoresSharedWordingInEitherScript(string a, string b, double low, double high)
    {
        var similarity = LocalEmbedder.Calibrate(TensorPrimitives.Dot(LocalEmbedder.Embed(a), LocalEmbedder.Embed(b)));
        Assert.InRange(similarity, low, high);
    }

    [Fact]
    public void EmbeddingsAreNormalisedAndDeterministic()
    {
        var first = LocalEmbedder.Embed("繁忙餐廳需要有經驗服務員");
        Assert.Equal(1.0, TensorPrimitives.Norm(first), 4);
        Assert.Equal(first, LocalEmbedder.Embed("繁忙餐廳需要有經驗服務員"));
    }

    [Fact]
    public void TheSimdKernelAgreesWithTheScalarLoop()
    {
        var random = new Random(7);
        var matrix = new float[100 * LocalEmbedder.Dimensions];
        for (var i = 0; i < matrix.Length; i++)
        {
            matrix[i] = (float)random.NextDouble() - 0.5f;
        }
        var query = LocalEmbedder.Embed("query text");
        var fast = new float[100];
        var slow = new float[100];

        SimilarityKernel.Similarities(matrix, LocalEmbedder.Dimensions, query, fast);
        SimilarityKernel.SimilaritiesScalar(matrix, LocalEmbedder.Dimensions, query, slow);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(slow[i], fast[i], 4);
        }
    }
}
