using Microsoft.Extensions.Options;
using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>The daily batch of seed 000: each learning market's parameters fitted, then every market's profiles ranked against every card, once a day.</summary>
public sealed class BatchScoringJob(BatchScorer batches, Learner learner, MarketCatalog markets, CandidateIndexes indexes, IOptions<RankingOptions> ranking) : Scheduling.IScheduledJob
{
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var scored = 0;
        foreach (var market in markets.All)
        {
            if (indexes.For(market.Id) is not { } index)
            {
                continue;
            }
            await index.Loaded.Task.WaitAsync(cancellationToken);
            // The learned parameters first (ADR 19), so the batch ranks with them.
            await learner.FitAsync(market.Id, cancellationToken);
            // Markets in instant mode rank every card per feed; a batch would never be read.
            if (index.LiveCount > ranking.Value.InstantModeMaxCards)
            {
                scored += await batches.ScoreBatchAsync(market.Id, cancellationToken);
            }
        }
        return scored;
    }
}
