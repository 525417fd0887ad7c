namespace Pairwise.Storage;

/// <summary>
/// The one storage contract of Pairwise: DynamoDB's single-table model in our own terms.
/// Every operation maps onto exactly one DynamoDB call, so each engine can implement it
/// without emulation:
/// <list type="bullet">
/// <item>Get → GetItem (strongly consistent); GetMany → BatchGetItem (≤ 100 keys).</item>
/// <item>Put / Delete with a <see cref="Condition"/> → PutItem / DeleteItem with a condition expression.</item>
/// <item>Add → UpdateItem ADD (an atomic counter).</item>
/// <item>Transact → TransactWriteItems (≤ 100 operations, all or nothing, one operation per key).</item>
/// <item>Query → Query on the table or a global secondary index, with the paging key in an opaque cursor.</item>
/// </list>
/// Semantics every engine honours (pinned by the contract tests):
/// items are ordered by sort key as UTF-8 bytes; index queries order by the index sort key and
/// then by the item key, and may lag the table by a moment (DynamoDB indexes are eventually
/// consistent); an item whose <see cref="Item.ExpiresAt"/> has passed is never returned and
/// counts as absent for conditions, and is purged later.
/// </summary>
public interface IItemStore
{
    Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default);

    /// <summary>Returns the items that exist among <paramref name="keys"/> (at most 100), in no particular order.</summary>
    Task<IReadOnlyList<Item>> GetManyAsync(IReadOnlyCollection<ItemKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes the whole item (replacing any previous one) if the condition holds; false if it did not.</summary>
    Task<bool> PutAsync(Item item, Condition condition = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes the item if the condition holds; false if it did not. Deleting an absent item with no condition succeeds.</summary>
    Task<bool> DeleteAsync(ItemKey key, Condition condition = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="delta"/> to the item's counter atomically, creating the item (with
    /// <paramref name="expiresAt"/>) when it is absent, and returns the new value.
    /// </summary>
    Task<long> AddAsync(ItemKey key, long delta, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    /// <summary>Applies every operation or none. At most 100 operations, at most one per key.</summary>
    Task<TransactionResult> TransactAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken = default);

    Task<Page> QueryAsync(Query query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> expired items and returns how many it deleted.
    /// Engines whose storage expires items by itself (DynamoDB TTL) return 0.
    /// </summary>
    Task<int> PurgeExpiredAsync(int limit, CancellationToken cancellationToken = default);
}

public readonly record struct ItemKey(string Pk, string Sk)
{
    public override string ToString() => $"{Pk} / {Sk}";
}

/// <summary>
/// A stored item. <see cref="Data"/> is opaque to the store (each feature keeps its own JSON);
/// the key and index attributes are what the store can find it by.
/// </summary>
public sealed record Item
{
    public required string Pk { get; init; }
    public required string Sk { get; init; }

    /// <summary>Index attributes. An item appears in an index only when that index's partition key is set (a sparse index).</summary>
    public string? Gsi1Pk { get; init; }
    public string? Gsi1Sk { get; init; }
    public string? Gsi2Pk { get; init; }
    public string? Gsi2Sk { get; init; }

#pragma warning disable CA1819 // The payload is handed to and from the engine as is.
    public byte[] Data { get; init; } = [];
#pragma warning restore CA1819

    /// <summary>Chosen by the writer; <see cref="Condition.VersionIs"/> makes optimistic concurrency.</summary>
    public long Version { get; init; }

    /// <summary>The atomic counter that <see cref="IItemStore.AddAsync"/> changes.</summary>
    public long Counter { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public ItemKey Key => new(Pk, Sk);
}

public enum ConditionKind
{
    None,
    NotExists,
    Exists,
    VersionIs,
}

/// <summary>A condition on the current item at a key, checked atomically with the write.</summary>
public readonly record struct Condition(ConditionKind Kind, long Version = 0)
{
    public static Condition None => default;
    public static Condition NotExists => new(ConditionKind.NotExists);
    public static Condition Exists => new(ConditionKind.Exists);
    public static Condition VersionIs(long version) => new(ConditionKind.VersionIs, version);

    public bool IsSatisfiedBy(Item? current) => Kind switch
    {
        ConditionKind.None => true,
        ConditionKind.NotExists => current is null,
        ConditionKind.Exists => current is not null,
        ConditionKind.VersionIs => current is not null && current.Version == Version,
        _ => false,
    };
}

/// <summary>One operation of a transaction.</summary>
public abstract record WriteOperation(ItemKey Key)
{
    public sealed record Put(Item Item, Condition Condition = default) : WriteOperation(Item.Key);

    public sealed record Delete(ItemKey ItemKey, Condition Condition = default) : WriteOperation(ItemKey);

    /// <summary>Writes nothing; fails the transaction when the condition does not hold.</summary>
    public sealed record Check(ItemKey ItemKey, Condition Condition) : WriteOperation(ItemKey);

    public sealed record Add(ItemKey ItemKey, long Delta) : WriteOperation(ItemKey);
}

/// <summary>Whether a transaction committed; if not, the index of the first operation whose condition failed.</summary>
public readonly record struct TransactionResult(bool Committed, int FailedOperation)
{
    public static TransactionResult Success => new(true, -1);
    public static TransactionResult FailedAt(int index) => new(false, index);
}

public enum ItemIndex
{
    Table,
    Gsi1,
    Gsi2,
}

public enum SortKeyOperator
{
    Any,
    Equal,
    BeginsWith,
    Between,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
}

/// <summary>A key condition on the sort key of the table or index being queried.</summary>
public readonly record struct SortKeyCondition(SortKeyOperator Operator, string Value = "", string UpperValue = "")
{
    public static SortKeyCondition Any => default;
    public static SortKeyCondition EqualTo(string value) => new(SortKeyOperator.Equal, value);
    public static SortKeyCondition BeginsWith(string prefix) => new(SortKeyOperator.BeginsWith, prefix);
    public static SortKeyCondition Between(string low, string high) => new(SortKeyOperator.Between, low, high);
    public static SortKeyCondition LessThan(string value) => new(SortKeyOperator.LessThan, value);
    public static SortKeyCondition LessOrEqual(string value) => new(SortKeyOperator.LessOrEqual, value);
    public static SortKeyCondition GreaterThan(string value) => new(SortKeyOperator.GreaterThan, value);
    public static SortKeyCondition GreaterOrEqual(string value) => new(SortKeyOperator.GreaterOrEqual, value);
}

public sealed record Query
{
    public ItemIndex Index { get; init; } = ItemIndex.Table;

    /// <summary>The partition key of the table or of the chosen index.</summary>
    public required string Pk { get; init; }

    public SortKeyCondition SortKey { get; init; }

    public bool Descending { get; init; }

    /// <summary>Items per page, 1–1000. A page also ends at 1 MB of item data, as in DynamoDB.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The <see cref="Page.Cursor"/> of the previous page of the same query.</summary>
    public string? Cursor { get; init; }
}

/// <summary>One page of a query. <see cref="Cursor"/> is null on the last page.</summary>
public sealed record Page(IReadOnlyList<Item> Items, string? Cursor);
