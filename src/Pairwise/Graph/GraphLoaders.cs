using GraphQL.DataLoader;
using Pairwise.Listings;
using Pairwise.Profiles;

namespace Pairwise.Graph;

/// <summary>
/// One operation's batch loaders. A field asks for a record by id and gets a pending result; the
/// executor resolves every field of a level first, then the pending results, so a page of 50
/// listings asking for their owners costs one batch read of the distinct owners, not 50 reads.
/// Each record is read at most once per operation.
/// </summary>
public sealed class GraphLoaders(IServiceProvider services)
{
    private BatchLoader<ProfileRecord>? _profiles;
    private BatchLoader<ListingRecord>? _listings;

    public BatchLoader<ProfileRecord> Profiles => _profiles ??= new(async (ids, ct) =>
        (await services.GetRequiredService<ProfileStore>().GetManyAsync(ids, ct)).ToDictionary(p => p.Id, StringComparer.Ordinal));

    public BatchLoader<ListingRecord> Listings => _listings ??= new(async (ids, ct) =>
        (await services.GetRequiredService<ListingStore>().GetManyAsync(ids, ct)).ToDictionary(l => l.Id, StringComparer.Ordinal));
}

/// <summary>Collects the keys asked for until the first result is awaited, then reads them all in batches of the store's limit.</summary>
public sealed class BatchLoader<T>(Func<IReadOnlyCollection<string>, CancellationToken, Task<Dictionary<string, T>>> fetch) where T : class
{
    private const int MaxBatch = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task<Dictionary<string, T>>> _batches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public IDataLoaderResult<T?> Load(string id)
    {
        lock (_lock)
        {
            if (!_batches.ContainsKey(id))
            {
                _pending.Add(id);
            }
        }
        return new Pending(this, id);
    }

    private Task<Dictionary<string, T>> BatchOf(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_batches.TryGetValue(id, out var batch))
            {
                return batch;
            }
            _pending.Add(id);
            var ids = _pending.ToList();
            _pending.Clear();
            batch = FetchAsync(ids, cancellationToken);
            foreach (var key in ids)
            {
                _batches[key] = batch;
            }
            return batch;
        }
    }

    private async Task<Dictionary<string, T>> FetchAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(MaxBatch))
        {
            foreach (var (key, value) in await fetch(chunk, cancellationToken))
            {
                found[key] = value;
            }
        }
        return found;
    }

    private sealed class Pending(BatchLoader<T> loader, string id) : IDataLoaderResult<T?>
    {
        public async Task<T?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await loader.BatchOf(id, cancellationToken)).GetValueOrDefault(id);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

public static class LoadedExtensions
{
    /// <summary>The loaded value, transformed once it is there (still batched with the rest of the level).</summary>
    public static IDataLoaderResult<TOut> Then<T, TOut>(this IDataLoaderResult<T> result, Func<T, TOut> map) => new Mapped<T, TOut>(result, map);

    private sealed class Mapped<T, TOut>(IDataLoaderResult<T> inner, Func<T, TOut> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
