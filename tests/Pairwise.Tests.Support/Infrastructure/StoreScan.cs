using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Data.Sqlite;

namespace Pairwise.Tests.Infrastructure;

/// <summary>Every item in an app's store, read behind its back (the store has no scan on purpose): keys and data as text.</summary>
public static class StoreScan
{
    public static async Task<IReadOnlyList<string>> AllItemsAsync(PairwiseApp app) =>
        app.Engine == Engine.Sqlite ? await SqliteAsync(app) : await DynamoDbAsync(app);

    private static async Task<IReadOnlyList<string>> SqliteAsync(PairwiseApp app)
    {
        var items = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "pairwise.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, data FROM items";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var keys = string.Join(" | ", Enumerable.Range(0, 6).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i)));
            items.Add($"{keys} | {Encoding.UTF8.GetString((byte[])reader.GetValue(6))}");
        }
        return items;
    }

    private static async Task<IReadOnlyList<string>> DynamoDbAsync(PairwiseApp app)
    {
        var items = new List<string>();
        using var client = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = DynamoDbLocal.Started.ToString(), AuthenticationRegion = "us-east-1" });
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = app.TableName, ExclusiveStartKey = start });
            foreach (var item in page.Items)
            {
                items.Add(string.Join(" | ", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
                    a.Value.S ?? (a.Value.B is { } bytes ? Encoding.UTF8.GetString(bytes.ToArray()) : a.Value.N ?? ""))));
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }
}
