namespace Pairwise.Storage;

// What some engines can do beyond the item contract. Callers ask for a capability
// (`store is IBulkLoadingStore bulk`), never for an engine.

/// <summary>An engine that must create its table or schema before first use; safe to repeat.</summary>
public interface IInitializableStore
{
    Task InitializeAsync(CancellationToken cancellationToken = default);
}

/// <summary>An engine that loads many items faster outside the transactional path (seeding).</summary>
public interface IBulkLoadingStore
{
    /// <summary>How many operations one bulk batch may hold.</summary>
    int MaxBulkBatch { get; }

    /// <summary>Relaxes durability until disposed (a bulk load is repeated from scratch if it fails).</summary>
    IDisposable BulkLoad();

    Task BulkPutAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default);
}

/// <summary>An engine that copies itself to a file and back while serving.</summary>
public interface IBackupStore
{
    Task BackupAsync(string file, CancellationToken cancellationToken = default);

    Task RestoreAsync(string file, CancellationToken cancellationToken = default);
}
