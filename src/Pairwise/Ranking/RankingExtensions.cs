using Microsoft.Extensions.AI;
using Pairwise.Platform;
using Pairwise.Scheduling;

namespace Pairwise.Ranking;

public static class RankingExtensions
{
    public static WebApplicationBuilder AddRanking(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbedder>();
        services.AddOptions<EmbeddingOptions>().Bind(builder.Configuration.GetSection("Pairwise:Embeddings"));
        services.AddSingleton<Embeddings>();
        services.AddSingleton<CandidateIndexes>();
        services.AddSingleton<IndexMaintainer>();
        services.AddHostedService(s => s.GetRequiredService<IndexMaintainer>());
        services.AddOptions<RankingOptions>().Bind(builder.Configuration.GetSection("Pairwise:Ranking"));
        services.AddSingleton<Viewers>();
        services.AddSingleton<BatchScorer>();
        services.AddSingleton<Recommendations>();
        services.AddSingleton<FeedService>();
        services.AddHybridCache().AddSerializer(new SourceGeneratedSerializer<FeedSnapshotRecord>(RankingJson.Default.FeedSnapshotRecord));
        // Seed 000's daily scoring job, at a quiet hour.
        services.AddScheduledJob<BatchScoringJob>("batch-scoring", "0 19 * * *");
        services.AddSingleton<FeedSnapshots>();
        services.AddSingleton<SeenWriter>();
        services.AddHostedService(s => s.GetRequiredService<SeenWriter>());
        services.AddHealthChecks().AddCheck<CandidateIndexHealthCheck>("candidate-index", tags: ["ready"]);
        return builder;
    }
}
