using Microsoft.Extensions.AI;
using Pairwise.Platform;
using Pairwise.Scheduling;

namespace Pairwise.Ranking;

public static class RankingModule
{
    public static WebApplicationBuilder AddRanking(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbedder>();
        services.AddSingleton<Accounts.IPersonalData, RankingPersonalData>();
        services.AddSettings<EmbeddingOptions>(builder.Configuration, "Pairwise:Embeddings")
            .Validate(o => o.Endpoint is null or "" || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _), "Pairwise:Embeddings:Endpoint must be an absolute URL, e.g. http://127.0.0.1:11434/v1.");
        services.AddSingleton<Embeddings>();
        services.AddSingleton<CandidateIndexes>();
        services.AddSingleton<ListingSearch>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<IndexMaintainer>();
        services.AddHostedService(s => s.GetRequiredService<IndexMaintainer>());
        services.AddSettings<RankingOptions>(builder.Configuration, "Pairwise:Ranking");
        services.AddSingleton<Viewers>();
        services.AddSingleton<BatchScorer>();
        services.AddSingleton<LearningEvaluator>();
        services.AddSingleton<Learner>();
        services.AddSingleton<FilterGate>();
        services.AddSingleton<Swipes.ISwipeGate>(s => s.GetRequiredService<FilterGate>());
        services.AddSingleton<Recommendations>();
        services.AddSingleton<ViewerLists>();
        services.AddSingleton<FeedService>();
        // Seed 000's daily scoring job, at a quiet hour.
        services.AddScheduledJob<BatchScoringJob>("batch-scoring", "0 19 * * *");
        services.AddSingleton<FeedSnapshots>();
        services.AddSingleton<SeenWriter>();
        services.AddHostedService(s => s.GetRequiredService<SeenWriter>());
        services.AddHealthChecks().AddCheck<CandidateIndexHealthCheck>("candidate-index", tags: ["ready"]);
        return builder;
    }

    public static RouteGroupBuilder MapRanking(this RouteGroupBuilder v1) => SearchEndpoints.Map(FeedEndpoints.Map(v1));
}
