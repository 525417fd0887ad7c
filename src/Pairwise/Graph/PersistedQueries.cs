using System.Security.Cryptography;
using System.Text;
using GraphQL;
using Microsoft.Extensions.Caching.Hybrid;

namespace Pairwise.Graph;

/// <summary>
/// Automatic persisted queries (Apollo's protocol): a client sends only the SHA-256 of a document
/// in <c>extensions.persistedQuery</c>; when this platform does not know it yet the answer is
/// <c>PERSISTED_QUERY_NOT_FOUND</c>, and the client sends the document with its hash once. The
/// documents are kept in the shared cache, so every node knows what any node learned.
/// </summary>
public sealed class PersistedQueries(HybridCache cache)
{
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private static readonly HybridCacheEntryOptions Keep = new() { Expiration = TimeSpan.FromDays(7), LocalCacheExpiration = TimeSpan.FromHours(1) };

    /// <summary>The document to run (the one sent, or the one its hash names), or the error to answer with.</summary>
    public async ValueTask<(string? Query, ExecutionError? Error)> ResolveAsync(string? query, Inputs? extensions, CancellationToken cancellationToken)
    {
        if (extensions?.TryGetValue("persistedQuery", out var value) != true)
        {
            return (query, null);
        }
        if (value is not IDictionary<string, object?> persisted || !persisted.TryGetValue("sha256Hash", out var given) || given is not string hash
            || hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            return (null, GraphErrors.Invalid("extensions.persistedQuery", "Must be {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}."));
        }
        if (!persisted.TryGetValue("version", out var version) || version is not (1 or 1L))
        {
            return (null, GraphErrors.Coded("PERSISTED_QUERY_NOT_SUPPORTED", "Only version 1 of persisted queries is supported."));
        }
        hash = hash.ToLowerInvariant();
        var key = "graphql:apq:" + hash;
        if (query is null)
        {
            var known = await cache.GetOrCreateAsync(key, static _ => ValueTask.FromResult<string?>(null), ReadOnly, cancellationToken: cancellationToken);
            return known is null ? (null, GraphErrors.Coded(GraphErrors.PersistedQueryNotFound, "PersistedQueryNotFound")) : (known, null);
        }
        if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query))) != hash)
        {
            return (null, GraphErrors.Invalid("extensions.persistedQuery.sha256Hash", "provided sha does not match query"));
        }
        await cache.SetAsync<string?>(key, query, Keep, cancellationToken: cancellationToken);
        return (query, null);
    }
}
