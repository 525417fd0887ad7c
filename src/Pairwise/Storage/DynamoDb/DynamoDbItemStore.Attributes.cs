using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Pairwise.Storage;

/// <summary>Items to DynamoDB attributes and back.</summary>
public sealed partial class DynamoDbItemStore
{
    private static Dictionary<string, AttributeValue> Key(ItemKey key) => new() { ["pk"] = Text(key.Pk), ["sk"] = Text(key.Sk) };

    private static Dictionary<string, AttributeValue> Attributes(Item item)
    {
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["pk"] = Text(item.Pk),
            ["sk"] = Text(item.Sk),
            ["data"] = new AttributeValue { B = new MemoryStream(item.Data) },
            ["version"] = Number(item.Version),
            ["counter"] = Number(item.Counter),
        };
        if (item.Gsi1Pk is not null)
        {
            attributes["gsi1pk"] = Text(item.Gsi1Pk);
            attributes["gsi1sk"] = Text(item.Gsi1Sk!);
            attributes["g1s"] = Text(Composite(item.Gsi1Sk!, item.Pk, item.Sk));
        }
        if (item.Gsi2Pk is not null)
        {
            attributes["gsi2pk"] = Text(item.Gsi2Pk);
            attributes["gsi2sk"] = Text(item.Gsi2Sk!);
            attributes["g2s"] = Text(Composite(item.Gsi2Sk!, item.Pk, item.Sk));
        }
        if (item.ExpiresAt is { } at)
        {
            attributes["exp"] = Number(at.ToUnixTimeMilliseconds());
            attributes["ttl"] = Number(at.ToUnixTimeSeconds());
        }
        return attributes;
    }

    /// <summary>
    /// An item's size as DynamoDB bills it: each attribute's name plus its value (strings and
    /// binaries by their bytes; numbers by about one byte per two digits, plus one). A write costs
    /// one unit per KB of it (two in a transaction); a strongly consistent read one per 4 KB.
    /// </summary>
    public static int BilledSize(Item item) => Attributes(item).Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + a.Value switch
    {
        { S: { } text } => System.Text.Encoding.UTF8.GetByteCount(text),
        { N: { } number } => ((number.TrimStart('-').Length + 1) / 2) + 1,
        { B: { } bytes } => (int)bytes.Length,
        _ => 1,
    });

    /// <summary>The write units one write of the item costs, outside a transaction.</summary>
    public static int WriteUnits(Item item) => (BilledSize(item) + 1023) / 1024;

    private static Item ToItem(Dictionary<string, AttributeValue> attributes) => new()
    {
        Pk = attributes["pk"].S,
        Sk = attributes["sk"].S,
        Gsi1Pk = attributes.TryGetValue("gsi1pk", out var g1p) ? g1p.S : null,
        Gsi1Sk = attributes.TryGetValue("gsi1sk", out var g1s) ? g1s.S : null,
        Gsi2Pk = attributes.TryGetValue("gsi2pk", out var g2p) ? g2p.S : null,
        Gsi2Sk = attributes.TryGetValue("gsi2sk", out var g2s) ? g2s.S : null,
        Data = attributes.TryGetValue("data", out var data) && data.B is { } stream ? stream.ToArray() : [],
        Version = attributes.TryGetValue("version", out var version) ? long.Parse(version.N, CultureInfo.InvariantCulture) : 0,
        Counter = attributes.TryGetValue("counter", out var counter) ? long.Parse(counter.N, CultureInfo.InvariantCulture) : 0,
        ExpiresAt = attributes.TryGetValue("exp", out var exp) ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(exp.N, CultureInfo.InvariantCulture)) : null,
    };

    private static string Composite(string sortKey, string pk, string sk) => string.Concat(sortKey, Separator.ToString(), pk, Separator.ToString(), sk);

    private bool Live(Item item) => item.ExpiresAt is not { } at || at.ToUnixTimeMilliseconds() > Now();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static AttributeValue Text(string value) => new() { S = value };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
