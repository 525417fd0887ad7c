using System.ClientModel;
using System.ClientModel.Primitives;
using System.ComponentModel.DataAnnotations;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenAI;
using Pairwise.Storage;

namespace Pairwise.Ranking;

/// <summary>The <c>Pairwise:Embeddings</c> section: an OpenAI-compatible embeddings endpoint (DeepSeek, OpenAI, Ollama).</summary>
public sealed class EmbeddingOptions
{
    /// <summary>Base address, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. Empty: the built-in embedder only.</summary>
    public string? Endpoint { get; set; }

    public string Model { get; set; } = "text-embedding-3-small";

    public string? ApiKey { get; set; }

    /// <summary>The model's vector length (text-embedding-3-small: 1536).</summary>
    [Range(1, 65536, ErrorMessage = "Pairwise:Embeddings:Dimensions must be 1–65536.")]
    public int Dimensions { get; set; } = 1536;

    /// <summary>How long a call may take before the built-in embedder stands in.</summary>
    [Range(0.05, 600, ErrorMessage = "Pairwise:Embeddings:TimeoutSeconds must be 0.05–600.")]
    public double TimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// Text embeddings for similarity ranking. The built-in <see cref="LocalEmbedder"/> always answers
/// and is used for every card; its sentence model costs 5–130 ms a text, so its vectors are cached by
/// the MD5 of the text in memory (bounded) and in the store, and re-indexing an unchanged card
/// does not run it again. When a remote model is configured it is asked too: its vectors are
/// cached the same way in the store (seed 001: 30 days for profile text, 7 for job text) so the
/// same text is never sent twice, and when it fails or is slow the local vector stands in — the
/// feed never fails because of it.
/// </summary>
public sealed partial class Embeddings(
    IEmbeddingGenerator<string, Embedding<float>> local, IItemStore store, IOptions<EmbeddingOptions> options, TimeProvider time, ILogger<Embeddings> logger)
    : IDisposable
{
    public static readonly TimeSpan ProfileText = TimeSpan.FromDays(30);
    public static readonly TimeSpan ListingText = TimeSpan.FromDays(7);

    private readonly IEmbeddingGenerator<string, Embedding<float>>? _remote = CreateRemote(options.Value);

    /// <summary>The remote model's name and vector length, or null when none is configured.</summary>
    public (string Model, int Dimensions)? Remote => _remote is null ? null : (options.Value.Model, options.Value.Dimensions);

    /// <summary>Calls made to the remote model (cache misses), for tests and metrics.</summary>
    public int RemoteCalls => _remoteCalls;

    private int _remoteCalls;

    // ~2.5 KB a vector: 10,000 texts keep ~25 MB.
    private readonly MemoryCache _localCache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>Texts the built-in embedder's model embedded (cache misses), for tests and metrics.</summary>
    public int LocalModelCalls => _localModelCalls;

    private int _localModelCalls;

    /// <summary>
    /// The built-in embedder's normalised vector: from memory, else from the store, else computed
    /// and kept in both (in the store for <paramref name="lifetime"/>). Text the model does not
    /// read (CJK, numbers) is hashed at once: cheaper than a look-up.
    /// </summary>
    public async Task<float[]> LocalAsync(string text, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!LocalEmbedder.UsesModel(text))
        {
            return await GenerateLocalAsync(text, cancellationToken);
        }
        var key = CacheKey(text, LocalEmbedder.ModelId);
        if (_localCache.TryGetValue(key.Pk, out float[]? remembered) && remembered is not null)
        {
            return remembered;
        }
        if (await store.GetAsync(key, cancellationToken) is { Data.Length: LocalEmbedder.Dimensions * sizeof(float) } cached)
        {
            return Remember(key, FromBytes(cached.Data));
        }
        Interlocked.Increment(ref _localModelCalls);
        var vector = await GenerateLocalAsync(text, cancellationToken);
        await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ToBytes(vector), Version = 1, ExpiresAt = time.GetUtcNow() + lifetime }, Condition.None, cancellationToken);
        return Remember(key, vector);
    }

    private async Task<float[]> GenerateLocalAsync(string text, CancellationToken cancellationToken) =>
        (await local.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector.ToArray();

    private float[] Remember(ItemKey key, float[] vector) =>
        _localCache.Set(key.Pk, vector, new MemoryCacheEntryOptions { Size = 1 });

    /// <summary>The remote model's normalised vector, from the cache when it holds one; null when there is no remote model or it failed.</summary>
    public async Task<float[]?> RemoteAsync(string text, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (_remote is null || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var key = CacheKey(text, options.Value.Model);
        if (await store.GetAsync(key, cancellationToken) is { Data.Length: > 0 } cached)
        {
            return FromBytes(cached.Data);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            Interlocked.Increment(ref _remoteCalls);
            var vector = (await _remote.GenerateAsync([text], cancellationToken: timeout.Token))[0].Vector.ToArray();
            if (vector.Length != options.Value.Dimensions)
            {
                LogWrongLength(logger, vector.Length, options.Value.Dimensions);
                return null;
            }
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }
            await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ToBytes(vector), Version = 1, ExpiresAt = time.GetUtcNow() + lifetime }, Condition.None, cancellationToken);
            return vector;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRemoteFailed(logger, e, options.Value.Model);
            return null;
        }
    }

#pragma warning disable CA5351 // MD5 names cache entries (seed 001); nothing here depends on it resisting collisions.
    public static ItemKey CacheKey(string text, string model) =>
        new($"EMBED#{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)))}", model);
#pragma warning restore CA5351

    public void Dispose()
    {
        _remote?.Dispose();
        _localCache.Dispose();
    }

    private static IEmbeddingGenerator<string, Embedding<float>>? CreateRemote(EmbeddingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            return null;
        }
        var client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? "none"), new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint),
            // We fall back at once instead of retrying: ranking must not wait on a struggling provider.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        });
        return client.GetEmbeddingClient(options.Model).AsIEmbeddingGenerator();
    }

    private static byte[] ToBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static float[] FromBytes(byte[] bytes)
    {
        var vector = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, vector, 0, bytes.Length);
        return vector;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embeddings model {Model} failed; the built-in embedder stands in")]
    private static partial void LogRemoteFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embeddings model returned {Length} dimensions, not the configured {Expected}; the built-in embedder stands in")]
    private static partial void LogWrongLength(ILogger logger, int length, int expected);
}
