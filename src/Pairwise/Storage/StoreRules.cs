using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>DynamoDB's limits, enforced by every engine so that code that works on one works on all.</summary>
public static class StoreRules
{
    public const int MaxItemBytes = 400 * 1024;
    public const int MaxPartitionKeyBytes = 2048;
    public const int MaxSortKeyBytes = 1024;
    public const int MaxTransactionOperations = 100;
    public const int MaxBatchGetKeys = 100;
    public const int MaxPageItems = 1000;
    public const int MaxPageBytes = 1024 * 1024;

    // Attribute names and number encodings count towards DynamoDB's 400 KB; this is a safe margin.
    private const int AttributeOverheadBytes = 64;

    public static int SizeOf(Item item) =>
        Encoding.UTF8.GetByteCount(item.Pk) + Encoding.UTF8.GetByteCount(item.Sk)
        + Bytes(item.Gsi1Pk) + Bytes(item.Gsi1Sk) + Bytes(item.Gsi2Pk) + Bytes(item.Gsi2Sk)
        + item.Data.Length + AttributeOverheadBytes;

    public static void ValidateKey(ItemKey key)
    {
        if (string.IsNullOrEmpty(key.Pk) || Encoding.UTF8.GetByteCount(key.Pk) > MaxPartitionKeyBytes)
        {
            throw new StoreRuleException($"Partition key must be 1–{MaxPartitionKeyBytes} bytes.", nameof(key));
        }
        if (string.IsNullOrEmpty(key.Sk) || Encoding.UTF8.GetByteCount(key.Sk) > MaxSortKeyBytes)
        {
            throw new StoreRuleException($"Sort key must be 1–{MaxSortKeyBytes} bytes.", nameof(key));
        }
    }

    public static void ValidateItem(Item item)
    {
        ValidateKey(item.Key);
        if ((item.Gsi1Pk is null) != (item.Gsi1Sk is null) || (item.Gsi2Pk is null) != (item.Gsi2Sk is null))
        {
            throw new StoreRuleException("An index partition key and sort key are set together or not at all.", nameof(item));
        }
        if (item.Gsi1Pk == "" || item.Gsi1Sk == "" || item.Gsi2Pk == "" || item.Gsi2Sk == "")
        {
            throw new StoreRuleException("Index keys may not be empty strings.", nameof(item));
        }
        var size = SizeOf(item);
        if (size > MaxItemBytes)
        {
            throw new StoreRuleException($"Item {item.Key} is {size} bytes; the limit is {MaxItemBytes}.", nameof(item));
        }
    }

    public static void ValidateTransaction(IReadOnlyList<WriteOperation> operations)
    {
        if (operations.Count is 0 or > MaxTransactionOperations)
        {
            throw new StoreRuleException($"A transaction has 1–{MaxTransactionOperations} operations.", nameof(operations));
        }
        var keys = new HashSet<ItemKey>();
        foreach (var operation in operations)
        {
            if (operation is WriteOperation.Put put)
            {
                ValidateItem(put.Item);
            }
            else
            {
                ValidateKey(operation.Key);
            }
            if (!keys.Add(operation.Key))
            {
                throw new StoreRuleException($"A transaction touches {operation.Key} twice.", nameof(operations));
            }
        }
    }

    public static void ValidateQuery(Query query)
    {
        if (string.IsNullOrEmpty(query.Pk))
        {
            throw new StoreRuleException("A query needs a partition key.", nameof(query));
        }
        if (query.Limit is < 1 or > MaxPageItems)
        {
            throw new StoreRuleException($"A query limit is 1–{MaxPageItems}.", nameof(query));
        }
    }

    private static int Bytes(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}

/// <summary>
/// The position after the last item of a page: the sort key of the table or index, and for index
/// queries the item key too (index sort keys need not be unique). Opaque to callers.
/// </summary>
public sealed record StoreCursor(string SortKey, string? Pk = null, string? Sk = null)
{
    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, StorageJsonContext.Default.StoreCursor);
        return Base64Url.EncodeToString(json);
    }

    public static StoreCursor Decode(string cursor, ItemIndex index)
    {
        StoreCursor? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(cursor), StorageJsonContext.Default.StoreCursor);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidCursorException("The cursor is not one this API issued.");
        }
        if (decoded is null || string.IsNullOrEmpty(decoded.SortKey)
            || (index != ItemIndex.Table && (string.IsNullOrEmpty(decoded.Pk) || string.IsNullOrEmpty(decoded.Sk))))
        {
            throw new InvalidCursorException("The cursor is not one this API issued.");
        }
        return decoded;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(StoreCursor))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class StorageJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

public static class ItemStoreExtensions
{
    /// <summary>Every item a query matches, page after page (for partitions known to be small, or for background work).</summary>
    public static async IAsyncEnumerable<Item> QueryAllAsync(
        this IItemStore store, Query query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = query.Cursor;
        do
        {
            var page = await store.QueryAsync(query with { Cursor = cursor }, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }
            cursor = page.Cursor;
        }
        while (cursor is not null);
    }

    /// <summary>Deletes every item a query matches (collected first, so paging is not disturbed); how many it deleted.</summary>
    public static async Task<int> DeleteAllAsync(this IItemStore store, Query query, CancellationToken cancellationToken = default)
    {
        var keys = new List<ItemKey>();
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            keys.Add(item.Key);
        }
        foreach (var key in keys)
        {
            await store.DeleteAsync(key, Condition.None, cancellationToken);
        }
        return keys.Count;
    }

    /// <summary>Every item in one partition.</summary>
    public static Task<int> DeletePartitionAsync(this IItemStore store, string pk, CancellationToken cancellationToken = default) =>
        store.DeleteAllAsync(new Query { Pk = pk, Limit = 1000 }, cancellationToken);
}
