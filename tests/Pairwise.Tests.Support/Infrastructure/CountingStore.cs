using Microsoft.Extensions.DependencyInjection;
using Pairwise.Storage;

namespace Pairwise.Tests.Infrastructure;

/// <summary>The app's real store, with a count of the calls that read it (one per round trip: a get, a batch get, a query page).</summary>
public sealed class CountingStore(IItemStore inner) : IItemStore, IInitializableStore
{
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        inner is IInitializableStore initializable ? initializable.InitializeAsync(cancellationToken) : Task.CompletedTask;

    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Wraps the store the app registers, and hands back the counter.</summary>
    public static Action<IServiceCollection> Around(Action<CountingStore> found) => services =>
    {
        var registered = services.Last(d => d.ServiceType == typeof(IItemStore));
        services.Add(ServiceDescriptor.Singleton<IItemStore>(provider =>
        {
            var inner = (IItemStore)(registered.ImplementationFactory?.Invoke(provider) ?? registered.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
            var counting = new CountingStore(inner);
            found(counting);
            return counting;
        }));
    };

    /// <summary>What each read asked for, in order (the partition, or the first key of a batch).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ReadLog { get; } = new();

    public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        ReadLog.Enqueue($"get {key}");
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<IReadOnlyList<Item>> GetManyAsync(IReadOnlyCollection<ItemKey> keys, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        ReadLog.Enqueue($"get-many {keys.Count}: {keys.FirstOrDefault()}");
        return inner.GetManyAsync(keys, cancellationToken);
    }

    public Task<Page> QueryAsync(Query query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        ReadLog.Enqueue($"query {query.Index} {query.Pk}");
        return inner.QueryAsync(query, cancellationToken);
    }

    /// <summary>Every write, in order, with the DynamoDB write units it costs by its items' billed sizes (a transaction's twice).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Write, int Units)> WriteLog { get; } = new();

    public int WriteUnits => WriteLog.Sum(w => w.Units);

    public Task<bool> PutAsync(Item item, Condition condition = default, CancellationToken cancellationToken = default)
    {
        WriteLog.Enqueue(($"put {item.Key}", DynamoDbItemStore.WriteUnits(item)));
        return inner.PutAsync(item, condition, cancellationToken);
    }

    public Task<bool> DeleteAsync(ItemKey key, Condition condition = default, CancellationToken cancellationToken = default)
    {
        WriteLog.Enqueue(($"delete {key}", 1));
        return inner.DeleteAsync(key, condition, cancellationToken);
    }

    public Task<long> AddAsync(ItemKey key, long delta, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        WriteLog.Enqueue(($"add {key}", 1));
        return inner.AddAsync(key, delta, expiresAt, cancellationToken);
    }

    public Task<TransactionResult> TransactAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken = default)
    {
        WriteLog.Enqueue(($"transaction of {operations.Count}: {(operations.Count > 0 ? operations[0].Key : default)}",
            operations.Sum(o => 2 * (o is WriteOperation.Put put ? DynamoDbItemStore.WriteUnits(put.Item) : 1))));
        return inner.TransactAsync(operations, cancellationToken);
    }

    public Task<int> PurgeExpiredAsync(int limit, CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(limit, cancellationToken);
}
