using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>
/// The item store on one DynamoDB table. Each contract operation is one DynamoDB call (a query page
/// may take a few, to skip expired items). Attributes: <c>pk</c>, <c>sk</c>, <c>data</c> (binary),
/// <c>version</c>, <c>counter</c>, <c>exp</c> (expiry in ms, for exact read-time filtering) and
/// <c>ttl</c> (the same in seconds, the table's TTL attribute: DynamoDB deletes expired items late).
/// The indexes' sort keys (<c>g1s</c>, <c>g2s</c>) append the item key to the caller's index sort
/// key, so equal index sort keys come back in item-key order, as the contract says.
/// </summary>
public sealed partial class DynamoDbItemStore(IAmazonDynamoDB client, string tableName, TimeProvider time) : IItemStore, IInitializableStore, IDisposable
{
    // Separates the caller's index sort key from the item key inside g1s/g2s; sorts below every printable character.
    private const char Separator = '\u0001';
    private const string Unexpired = "(attribute_not_exists(#exp) OR #exp > :now)";

    public string TableName => tableName;

    /// <summary>Creates the table, its two indexes and its TTL setting when they do not exist; safe to repeat.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await client.DescribeTableAsync(tableName, cancellationToken);
            return;
        }
        catch (ResourceNotFoundException)
        {
        }
        try
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = tableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions =
                [
                    new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S),
                    new("gsi1pk", ScalarAttributeType.S), new("g1s", ScalarAttributeType.S),
                    new("gsi2pk", ScalarAttributeType.S), new("g2s", ScalarAttributeType.S),
                ],
                KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                GlobalSecondaryIndexes =
                [
                    new() { IndexName = "gsi1", KeySchema = [new("gsi1pk", KeyType.HASH), new("g1s", KeyType.RANGE)], Projection = new() { ProjectionType = ProjectionType.ALL } },
                    new() { IndexName = "gsi2", KeySchema = [new("gsi2pk", KeyType.HASH), new("g2s", KeyType.RANGE)], Projection = new() { ProjectionType = ProjectionType.ALL } },
                ],
            }, cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Another node created it a moment ago.
        }
        for (var wait = 0; wait < 120; wait++)
        {
            if ((await client.DescribeTableAsync(tableName, cancellationToken)).Table.TableStatus == TableStatus.ACTIVE)
            {
                break;
            }
            await Task.Delay(500, cancellationToken);
        }
        try
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = tableName,
                TimeToLiveSpecification = new() { AttributeName = "ttl", Enabled = true },
            }, cancellationToken);
        }
        catch (AmazonDynamoDBException e) when (e.Message.Contains("already enabled", StringComparison.OrdinalIgnoreCase))
        {
            // Another node got there first.
        }
    }

    public async Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        var response = await client.GetItemAsync(new GetItemRequest { TableName = tableName, Key = Key(key), ConsistentRead = true }, cancellationToken);
        return response.IsItemSet && response.Item is { Count: > 0 } attributes && ToItem(attributes) is { } item && Live(item) ? item : null;
    }

    public async Task<IReadOnlyList<Item>> GetManyAsync(IReadOnlyCollection<ItemKey> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count > StoreRules.MaxBatchGetKeys)
        {
            throw new StoreRuleException($"At most {StoreRules.MaxBatchGetKeys} keys.", nameof(keys));
        }
        var found = new List<Item>();
        var pending = keys.Distinct().Select(k => { StoreRules.ValidateKey(k); return Key(k); }).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var response = await client.BatchGetItemAsync(new BatchGetItemRequest
            {
                RequestItems = new() { [tableName] = new KeysAndAttributes { Keys = pending, ConsistentRead = true } },
            }, cancellationToken);
            if (response.Responses?.TryGetValue(tableName, out var items) == true)
            {
                found.AddRange(items.Select(ToItem).Where(Live));
            }
            pending = response.UnprocessedKeys?.TryGetValue(tableName, out var left) == true ? left.Keys : [];
            if (pending.Count > 0)
            {
                // Throttled: back off before asking for the rest.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 << Math.Min(attempt, 5))), cancellationToken);
            }
        }
        return found;
    }

    public async Task<bool> PutAsync(Item item, Condition condition = default, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateItem(item);
        var (expression, names, values) = ConditionExpression(condition);
        return await SucceedsAsync(() => client.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = Attributes(item),
            ConditionExpression = expression,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken));
    }

    public async Task<bool> DeleteAsync(ItemKey key, Condition condition = default, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        var (expression, names, values) = ConditionExpression(condition);
        return await SucceedsAsync(() => client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = tableName,
            Key = Key(key),
            ConditionExpression = expression,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken));
    }

    /// <summary>False when the write's condition did not hold.</summary>
    private static async Task<bool> SucceedsAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<long> AddAsync(ItemKey key, long delta, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateKey(key);
        while (true)
        {
            try
            {
                // Adds to a live counter, or creates the item; an expired item fails the condition and starts again below.
                var response = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = Key(key),
                    UpdateExpression = "ADD #counter :delta SET #data = if_not_exists(#data, :empty), #version = if_not_exists(#version, :zero)"
                        + (expiresAt is null ? "" : ", #exp = if_not_exists(#exp, :exp), #ttl = if_not_exists(#ttl, :ttl)"),
                    ConditionExpression = $"attribute_not_exists(pk) OR {Unexpired}",
                    ExpressionAttributeNames = Names(expiresAt is null ? ["#counter", "#data", "#version", "#exp"] : ["#counter", "#data", "#version", "#exp", "#ttl"]),
                    ExpressionAttributeValues = Values(expiresAt, new()
                    {
                        [":delta"] = Number(delta),
                        [":empty"] = new AttributeValue { B = new MemoryStream([]) },
                        [":zero"] = Number(0),
                        [":now"] = Number(Now()),
                    }),
                    ReturnValues = ReturnValue.UPDATED_NEW,
                }, cancellationToken);
                return long.Parse(response.Attributes["counter"].N, CultureInfo.InvariantCulture);
            }
            catch (ConditionalCheckFailedException)
            {
                var fresh = new Item { Pk = key.Pk, Sk = key.Sk, Counter = delta, ExpiresAt = expiresAt };
                // Replace the expired item only if it is still expired; if someone restarted it meanwhile, add to theirs.
                if (await SucceedsAsync(() => client.PutItemAsync(new PutItemRequest
                {
                    TableName = tableName,
                    Item = Attributes(fresh),
                    ConditionExpression = "attribute_exists(#exp) AND #exp <= :now",
                    ExpressionAttributeNames = Names(["#exp"]),
                    ExpressionAttributeValues = new() { [":now"] = Number(Now()) },
                }, cancellationToken)))
                {
                    return delta;
                }
            }
        }
    }

    public async Task<TransactionResult> TransactAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateTransaction(operations);
        var items = operations.Select(TransactItem).ToList();
        try
        {
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items }, cancellationToken);
            return TransactionResult.Success;
        }
        catch (TransactionCanceledException e)
        {
            var reasons = e.CancellationReasons ?? [];
            for (var i = 0; i < reasons.Count; i++)
            {
                if (reasons[i].Code == "ConditionalCheckFailed")
                {
                    return TransactionResult.FailedAt(i);
                }
            }
            // A conflict with a concurrent transaction on the same items: as if the first condition failed, so callers re-read and retry.
            if (reasons.Any(r => r.Code == "TransactionConflict"))
            {
                return TransactionResult.FailedAt(0);
            }
            throw;
        }
    }

    public async Task<Page> QueryAsync(Query query, CancellationToken cancellationToken = default)
    {
        StoreRules.ValidateQuery(query);
        var cursor = query.Cursor is null ? null : StoreCursor.Decode(query.Cursor, query.Index);
        var (indexName, pkName, skName) = query.Index switch
        {
            ItemIndex.Gsi1 => ("gsi1", "gsi1pk", "g1s"),
            ItemIndex.Gsi2 => ("gsi2", "gsi2pk", "g2s"),
            _ => ((string?)null, "pk", "sk"),
        };
        var onIndex = indexName is not null;
        var names = new Dictionary<string, string> { ["#pk"] = pkName, ["#exp"] = "exp" };
        var values = new Dictionary<string, AttributeValue> { [":pk"] = Text(query.Pk), [":now"] = Number(Now()) };
        var keyCondition = "#pk = :pk" + SortKeyExpression(query.SortKey, onIndex, values);
        if (query.SortKey.Operator != SortKeyOperator.Any)
        {
            names["#sk"] = skName;
        }
        Dictionary<string, AttributeValue>? start = cursor is null ? null
            : onIndex ? new() { ["pk"] = Text(cursor.Pk!), ["sk"] = Text(cursor.Sk!), [pkName] = Text(query.Pk), [skName] = Text(Composite(cursor.SortKey, cursor.Pk!, cursor.Sk!)) }
            : new() { ["pk"] = Text(query.Pk), ["sk"] = Text(cursor.SortKey) };

        var items = new List<Item>();
        var bytes = 0;
        var more = false;
        while (true)
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = tableName,
                IndexName = indexName,
                KeyConditionExpression = keyCondition,
                FilterExpression = Unexpired,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ScanIndexForward = !query.Descending,
                ExclusiveStartKey = start,
                Limit = query.Limit + 1 - items.Count,
                ConsistentRead = !onIndex,
            }, cancellationToken);
            foreach (var attributes in response.Items)
            {
                var item = ToItem(attributes);
                var size = StoreRules.SizeOf(item);
                if (items.Count == query.Limit || bytes + size > StoreRules.MaxPageBytes)
                {
                    more = true;
                    break;
                }
                items.Add(item);
                bytes += size;
            }
            if (more || response.LastEvaluatedKey is not { Count: > 0 } last)
            {
                break;
            }
            start = last;
        }
        string? next = null;
        if (more && items.Count > 0)
        {
            var last = items[^1];
            next = (onIndex
                ? new StoreCursor(query.Index == ItemIndex.Gsi1 ? last.Gsi1Sk! : last.Gsi2Sk!, last.Pk, last.Sk)
                : new StoreCursor(last.Sk)).Encode();
        }
        return new Page(items, next);
    }

    /// <summary>DynamoDB's TTL deletes expired items by itself (late; reads never return them meanwhile).</summary>
    public Task<int> PurgeExpiredAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public override string ToString() => $"DynamoDB table {tableName}";

    public void Dispose() => client.Dispose();

    private TransactWriteItem TransactItem(WriteOperation operation)
    {
        switch (operation)
        {
            case WriteOperation.Put put:
                var (putCondition, putNames, putValues) = ConditionExpression(put.Condition);
                return new() { Put = new() { TableName = tableName, Item = Attributes(put.Item), ConditionExpression = putCondition, ExpressionAttributeNames = putNames, ExpressionAttributeValues = putValues } };
            case WriteOperation.Delete delete:
                var (deleteCondition, deleteNames, deleteValues) = ConditionExpression(delete.Condition);
                return new() { Delete = new() { TableName = tableName, Key = Key(delete.Key), ConditionExpression = deleteCondition, ExpressionAttributeNames = deleteNames, ExpressionAttributeValues = deleteValues } };
            case WriteOperation.Check check:
                var (checkCondition, checkNames, checkValues) = ConditionExpression(check.Condition);
                return new() { ConditionCheck = new() { TableName = tableName, Key = Key(check.Key), ConditionExpression = checkCondition ?? "attribute_exists(pk) OR attribute_not_exists(pk)", ExpressionAttributeNames = checkNames, ExpressionAttributeValues = checkValues } };
            case WriteOperation.Add add:
                return new()
                {
                    Update = new()
                    {
                        TableName = tableName,
                        Key = Key(add.Key),
                        UpdateExpression = "ADD #counter :delta SET #data = if_not_exists(#data, :empty), #version = if_not_exists(#version, :zero)",
                        ExpressionAttributeNames = Names(["#counter", "#data", "#version"]),
                        ExpressionAttributeValues = new() { [":delta"] = Number(add.Delta), [":empty"] = new AttributeValue { B = new MemoryStream([]) }, [":zero"] = Number(0) },
                    },
                };
            default:
                throw new ArgumentException($"Unknown operation {operation.GetType().Name}.", nameof(operation));
        }
    }

    /// <summary>Our conditions in DynamoDB's words; an expired item counts as absent.</summary>
    private (string? Expression, Dictionary<string, string>? Names, Dictionary<string, AttributeValue>? Values) ConditionExpression(Condition condition) => condition.Kind switch
    {
        ConditionKind.NotExists => ("attribute_not_exists(pk) OR (attribute_exists(#exp) AND #exp <= :now)", Names(["#exp"]), new() { [":now"] = Number(Now()) }),
        ConditionKind.Exists => ($"attribute_exists(pk) AND {Unexpired}", Names(["#exp"]), new() { [":now"] = Number(Now()) }),
        ConditionKind.VersionIs => ($"#version = :version AND {Unexpired}", Names(["#exp", "#version"]), new() { [":now"] = Number(Now()), [":version"] = Number(condition.Version) }),
        _ => (null, null, null),
    };

    private static string SortKeyExpression(SortKeyCondition condition, bool onIndex, Dictionary<string, AttributeValue> values)
    {
        // On an index the stored sort key is "caller's sort key + separator + item key": translate each bound.
        string Low(string v) => onIndex ? v + Separator : v;
        string AfterAll(string v) => onIndex ? v + (char)(Separator + 1) : v;
        switch (condition.Operator)
        {
            case SortKeyOperator.Equal when onIndex:
                values[":v"] = Text(Low(condition.Value));
                values[":u"] = Text(AfterAll(condition.Value));
                return " AND #sk BETWEEN :v AND :u";
            case SortKeyOperator.Equal:
                values[":v"] = Text(condition.Value);
                return " AND #sk = :v";
            case SortKeyOperator.BeginsWith:
                values[":v"] = Text(condition.Value);
                return " AND begins_with(#sk, :v)";
            case SortKeyOperator.Between:
                values[":v"] = Text(condition.Value);
                values[":u"] = Text(AfterAll(condition.UpperValue));
                return " AND #sk BETWEEN :v AND :u";
            case SortKeyOperator.LessThan:
                values[":v"] = Text(condition.Value);
                return " AND #sk < :v";
            case SortKeyOperator.LessOrEqual:
                values[":v"] = Text(AfterAll(condition.Value));
                return onIndex ? " AND #sk < :v" : " AND #sk <= :v";
            case SortKeyOperator.GreaterThan:
                values[":v"] = Text(AfterAll(condition.Value));
                return onIndex ? " AND #sk >= :v" : " AND #sk > :v";
            case SortKeyOperator.GreaterOrEqual:
                values[":v"] = Text(condition.Value);
                return " AND #sk >= :v";
            default:
                return "";
        }
    }

    private static Dictionary<string, AttributeValue> Values(DateTimeOffset? expiresAt, Dictionary<string, AttributeValue> values)
    {
        if (expiresAt is { } at)
        {
            values[":exp"] = Number(at.ToUnixTimeMilliseconds());
            values[":ttl"] = Number(at.ToUnixTimeSeconds());
        }
        return values;
    }

    private static Dictionary<string, string> Names(string[] placeholders) => placeholders.ToDictionary(p => p, p => p[1..]);

}
