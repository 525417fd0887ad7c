using Microsoft.Extensions.AI;

namespace Pairwise.Ranking;

/// <summary>
/// Text embeddings for similarity ranking, through the registered
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (the built-in <see cref="LocalEmbedder"/>).
/// </summary>
public sealed class Embeddings(IEmbeddingGenerator<string, Embedding<float>> generator)
{
    /// <summary>A normalised vector for the text.</summary>
    public async Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await generator.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector.ToArray();
}
