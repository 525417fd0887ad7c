using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.AI;

namespace Pairwise.Ranking;

/// <summary>
/// The built-in embedder: no model, no download, deterministic. Text becomes hashed features —
/// Chinese/Japanese/Korean characters and their bigrams, Latin words and their character
/// trigrams, numbers — summed into a signed 256-dimension vector and normalised, so cosine
/// similarity measures shared wording in either script. A remote model (any OpenAI-compatible
/// endpoint) understands meaning better; this one keeps matching working without one.
/// </summary>
public sealed class LocalEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 256;
    public const string ModelId = "pairwise-local-v1";

    private static readonly EmbeddingGeneratorMetadata Metadata = new("pairwise", null, ModelId, Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)) { ModelId = ModelId })));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>
    /// Puts a cosine of these vectors on the scale of large embedding models, where the seeds' 0.6
    /// threshold was chosen: shared wording without synonyms gives cosines of 0.35–0.5 here for texts
    /// a person calls related, so the similarity is reported as √cos (0.36 → 0.6).
    /// </summary>
    public static float Calibrate(float cosine) => MathF.Sqrt(MathF.Max(0, cosine));

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var normalised = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var word = new StringBuilder();
        var previousCjk = '\0';
        foreach (var c in normalised)
        {
            if (IsCjk(c))
            {
                Flush(word, vector);
                Add(vector, c.ToString(), 1.0f);
                if (previousCjk != '\0')
                {
                    Add(vector, string.Concat(previousCjk, c), 1.5f);
                }
                previousCjk = c;
            }
            else if (char.IsLetterOrDigit(c))
            {
                previousCjk = '\0';
                word.Append(c);
            }
            else
            {
                previousCjk = '\0';
                Flush(word, vector);
            }
        }
        Flush(word, vector);
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    private static void Flush(StringBuilder word, float[] vector)
    {
        if (word.Length == 0)
        {
            return;
        }
        var token = word.ToString();
        word.Clear();
        if (token.All(char.IsDigit))
        {
            Add(vector, "#" + token, 0.5f);
            return;
        }
        Add(vector, token, 1.0f);
        var padded = $"<{token}>";
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            Add(vector, padded.Substring(i, 3), 0.4f);
        }
    }

    private static void Add(float[] vector, string feature, float weight)
    {
        // FNV-1a: stable across processes and runs, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var c in feature)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var index = (int)(hash % Dimensions);
        vector[index] += (hash >> 63) == 0 ? weight : -weight;
    }

    private static bool IsCjk(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c >= '\u2E80';
}
