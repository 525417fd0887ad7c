using Pairwise.Markets;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>
/// Fits each learning market's parameters from its swipes (the daily batch, and <c>pairwise
/// score</c>), stores them where every node reads them, and loads them into the candidate indexes
/// (at start and every few minutes, so a fit on one node reaches the others).
/// </summary>
public sealed partial class Learner(
    CandidateIndexes indexes, LearningEvaluator evaluator, MarketCatalog markets, IItemStore store, TimeProvider time, ILogger<Learner> logger)
{
    /// <summary>The share of a market's swipes (the earlier ones) the fit counts behaviour from; the rest it learns to predict.</summary>
    public const double EarlierShare = 0.7;

    public static readonly TimeSpan ReloadEvery = TimeSpan.FromMinutes(5);

    /// <summary>Fits and stores one market's parameters; null when the market does not learn or has too few swipes to fit.</summary>
    public async Task<LearnedParameters?> FitAsync(string marketId, CancellationToken cancellationToken)
    {
        if (markets.Find(marketId) is not { Scoring.Learning: true } market || indexes.For(marketId) is not { } index
            || await evaluator.PrepareAsync(marketId, EarlierShare, cancellationToken) is not { } set)
        {
            return null;
        }
        var fitted = LearningFit.Fit(set, LearnedParameters.Defaults(market.Scoring), time.GetUtcNow());
        if (fitted.FittedAt is null)
        {
            return null;
        }
        var key = RankingKeys.Learned(marketId);
        await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(fitted, RankingJson.Default.LearnedParameters), Version = 1 }, Condition.None, cancellationToken);
        index.Learned = fitted;
        LogFitted(logger, marketId, fitted.FittedOn, fitted.Bias, fitted.Appeal, fitted.Eagerness, fitted.Blend, fitted.Auc ?? double.NaN, fitted.ContentAuc ?? double.NaN);
        return fitted;
    }

    /// <summary>Loads every market's stored parameters into its index (a market never fitted keeps its defaults).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var index in indexes.All.Where(i => i.Model.Learning))
        {
            if (await store.GetAsync(RankingKeys.Learned(index.Market.Id), cancellationToken) is { } item)
            {
                var stored = ItemJson.Deserialize(item, RankingJson.Default.LearnedParameters);
                // The market file's blend is the default until a fit says otherwise.
                index.Learned = stored;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned parameters of {Market} fitted on {Rows} swipes: bias {Bias}, appeal {Appeal}, eagerness {Eagerness}, blend {Blend} (held-out AUC {Auc} against {ContentAuc} for the recipe alone)")]
    private static partial void LogFitted(ILogger logger, string market, int rows, double bias, double appeal, double eagerness, double blend, double auc, double contentAuc);
}
