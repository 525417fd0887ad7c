using Pairwise.Markets;
using Pairwise.Ranking;

namespace Pairwise.Tests.Ranking;

/// <summary>How one criterion scores a pair of values, on the encodings the ranker reads.</summary>
public sealed class CriteriaTests
{
    private static FeatureView View(float[] numbers, byte[]? order = null, int rankedLength = 10)
    {
        var orders = new byte[rankedLength];
        Array.Fill(orders, FeatureView.End);
        order?.CopyTo(orders, 0);
        ulong set = 0;
        foreach (var code in order ?? [])
        {
            set |= 1UL << code;
        }
        return new FeatureView([3], 0, [set], 0, orders, rankedLength, numbers, 0);
    }

    [Theory]
    [InlineData(0, 10, Falloff.Linear, 1)]
    [InlineData(1, 3, Falloff.Linear, 0.6667)]
    [InlineData(3, 3, Falloff.Linear, 0)]
    [InlineData(20, 3, Falloff.Linear, 0)]
    [InlineData(1, 0, Falloff.Linear, 0)]
    [InlineData(3, 3, Falloff.Gaussian, 0.60653)]
    [InlineData(10, 3, Falloff.Gaussian, 0)]
    public void NumbersOutsideARangeFallOffOverTheTolerance(float distance, float tolerance, Falloff falloff, double expected)
    {
        var criterion = new CompiledCriterion("age", CriterionKind.NumberWithin, 0, 1, 0, 1) { Tolerance = tolerance, Falloff = falloff };
        Assert.Equal(expected, criterion.Closeness(distance), 3);
    }

    [Fact]
    public void ARankedListOfTenScoresRankTwoAsNineTenthsAndRankTenAsOneTenth()
    {
        var wants = View([], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var criterion = new CompiledCriterion("industries", CriterionKind.RankOfCode, 0, -1, 0, 1);
        float Score(int code) => criterion.Score(wants, new FeatureView([code], 0, [0], 0, [FeatureView.End], 1, [], 0), criterion.TableFor(wants));
        Assert.Equal(0.9f, Score(1), 4);
        Assert.Equal(0.1f, Score(9), 4);
        Assert.Equal(0f, Score(12));
    }

    [Fact]
    public void AValueMissingOnEitherSideIsLeftOut()
    {
        var criterion = new CompiledCriterion("age", CriterionKind.NumberWithin, 0, 1, 0, 1);
        Assert.True(float.IsNaN(criterion.Score(View([float.NaN, float.NaN]), View([30]))));
        Assert.True(float.IsNaN(criterion.Score(View([25, 30]), View([float.NaN]))));
        Assert.Equal(1, criterion.Score(View([25, 30]), View([27])));
    }

    [Fact]
    public void RatedListsCompareAsCentredVectorsOverWhatBothRated()
    {
        var criterion = new CompiledCriterion("interestRatings", CriterionKind.RatingsCosine, 0, -1, 0, 1) { Count = 4 };
        var hiker = View([9, 2, 8, float.NaN]);
        Assert.Equal(1, criterion.Score(hiker, View([8, 1, 7, 5])), 3);           // the same tastes, a point lower
        Assert.InRange(criterion.Score(hiker, View([2, 9, 1, 5])), 0, 0.05);     // the opposite tastes
        Assert.True(float.IsNaN(criterion.Score(hiker, View([float.NaN, float.NaN, 3, 4]))));  // one value in common
    }

    [Theory]
    [InlineData(CriterionKind.OwnWithin, 5, 30, 34, 1)]
    [InlineData(CriterionKind.OwnWithin, 5, 30, 37, 0)]
    [InlineData(CriterionKind.OwnAtLeast, 0, 30, 31, 1)]
    [InlineData(CriterionKind.OwnAtLeast, 0, 30, 29, 0)]
    [InlineData(CriterionKind.OwnAtMost, 2, 30, 32, 1)]
    [InlineData(CriterionKind.NumberTarget, 0, 30, 30, 1)]
    public void MyValueAgainstYours(CriterionKind kind, float by, float mine, float theirs, float expected)
    {
        var criterion = new CompiledCriterion("age", kind, 0, -1, 0, 1) { By = by };
        Assert.Equal(expected, criterion.Score(View([mine]), View([theirs])));
    }

    [Fact]
    public void ImportanceMultipliesTheWeightAndAnEmptyOneStandsInTheMiddle()
    {
        var criterion = new CompiledCriterion("city", CriterionKind.SameCode, 0, -1, 0, 10) { Importance = 0, ImportanceDefault = 5 };
        Assert.Equal(80, criterion.WeightFor(View([8])));
        Assert.Equal(0, criterion.WeightFor(View([0])));
        Assert.Equal(50, criterion.WeightFor(View([float.NaN])));
    }
}

/// <summary>The learned term: the ranking loop's SIMD pass over every row and the explanation's one-card formula agree.</summary>
public sealed class LearnedTermTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheWholeIndexAtOnceAgreesWithOneCardAtATime(bool mutual)
    {
        var columns = new Columns(300, 0, 0, 0, 1, withEmbeddings: false, remoteDimensions: 0);
        var random = new Random(3);
        for (var row = 0; row < 300; row++)
        {
            columns.SwipesIn[row] = random.Next(0, 50);
            columns.LikesIn[row] = random.Next(0, (int)columns.SwipesIn[row] + 1);
            columns.SwipesOut[row] = row % 7 == 0 ? 0 : random.Next(0, 50);
            columns.LikesOut[row] = random.Next(0, (int)columns.SwipesOut[row] + 1);
        }
        var view = new LearnedView
        {
            Parameters = new LearnedParameters(0.2, 1.3, 0.8, 0.8),
            Weight = 0.7f, PriorSwipes = 5, CardRate = 0.35f, ViewerRate = 0.45f, ViewerEagerness = 0.3f, ViewerAppeal = -0.2f, Mutual = mutual,
        };
        var (all, scratch, work) = (new float[300], new float[300], new float[300]);

        view.ScoreAll(columns, 300, all, scratch, work);

        for (var row = 0; row < 300; row++)
        {
            Assert.Equal(view.Score(columns, row).Q, all[row], 0.0001f);
        }
        // Unknown cards sit in the middle; a much-liked card of a choosy owner ranks by both.
        Assert.InRange(all.Max(), 0.5f, 1f);
        Assert.InRange(all.Min(), 0f, 0.5f);
    }
}
