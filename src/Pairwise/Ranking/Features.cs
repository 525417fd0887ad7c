using System.Text.Json;
using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>
/// How one side of a market lays its fields out in a card's feature arrays: each category field
/// a code slot, each multi-valued field a 64-bit set slot, each number (and each end of a range,
/// each coordinate of a point) a float slot. Computed once per market side.
/// </summary>
public sealed class FieldLayout
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int First, int Count)> _ratings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldDefinition> _fields = new(StringComparer.Ordinal);

    public FieldLayout(MarketDefinition market, IEnumerable<FieldDefinition> fields)
    {
        foreach (var field in fields)
        {
            _fields[field.Name] = field;
            switch (field.Type)
            {
                case FieldType.Category:
                    _codes[field.Name] = _codes.Count;
                    _values[field.Name] = market.AllowedValues(field);
                    break;
                case FieldType.Categories or FieldType.RankedCategories:
                    _sets[field.Name] = _sets.Count;
                    _values[field.Name] = market.AllowedValues(field);
                    if (field.Type == FieldType.RankedCategories)
                    {
                        // A ranked list keeps as many places as it may hold (a set holds at most 64 values).
                        RankedLength = Math.Max(RankedLength, Math.Min(64, Math.Min(field.MaxItems ?? int.MaxValue, market.AllowedValues(field).Count)));
                    }
                    break;
                case FieldType.Ratings:
                    _values[field.Name] = market.AllowedValues(field);
                    _ratings[field.Name] = (_numbers.Count, Math.Min(64, _values[field.Name].Count));
                    for (var i = 0; i < _ratings[field.Name].Count; i++)
                    {
                        _numbers[$"{field.Name}#{i}"] = _numbers.Count;
                    }
                    break;
                case FieldType.Number or FieldType.Integer or FieldType.Boolean:
                    _numbers[field.Name] = _numbers.Count;
                    break;
                case FieldType.Range:
                    _numbers[field.Name + ".min"] = _numbers.Count;
                    _numbers[field.Name + ".max"] = _numbers.Count;
                    break;
                case FieldType.Geo:
                    // Latitude, then longitude in the next slot (distance criteria read both).
                    _numbers[field.Name + ".lat"] = _numbers.Count;
                    _numbers[field.Name + ".lon"] = _numbers.Count;
                    break;
                default:
                    break;
            }
        }
    }

    public int CodeCount => _codes.Count;
    public int SetCount => _sets.Count;
    public int NumberCount => _numbers.Count;

    /// <summary>The longest ranked list a field of this layout may hold: the places each card keeps for one.</summary>
    public int RankedLength { get; }

    public FieldDefinition? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The first number slot and the count of a rated list (one slot per value), or (−1, 0).</summary>
    public (int First, int Count) Ratings(string field) => _ratings.GetValueOrDefault(field, (-1, 0));

    public int Code(string field) => _codes.GetValueOrDefault(field, -1);
    public int Set(string field) => _sets.GetValueOrDefault(field, -1);
    public int Number(string field) => _numbers.GetValueOrDefault(field, -1);

    /// <summary>The position of a value in a field's list (its code), or −1.</summary>
    public int ValueCode(string field, string? value) =>
        value is not null && _values.TryGetValue(field, out var values) ? IndexOf(values, value) : -1;

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count && i < 64; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Encodes attribute values (and, under "pref.", preferences) into flat arrays.</summary>
    public Encoded Encode(IReadOnlyDictionary<string, JsonElement> attributes, IReadOnlyDictionary<string, JsonElement>? preferences = null)
    {
        var codes = new int[_codes.Count];
        Array.Fill(codes, -1);
        var sets = new ulong[_sets.Count];
        var orders = new byte[_sets.Count][];
        var numbers = new float[_numbers.Count];
        Array.Fill(numbers, float.NaN);
        IEnumerable<KeyValuePair<string, JsonElement>> all = preferences is null
            ? attributes
            : attributes.Concat(preferences.Select(p => KeyValuePair.Create("pref." + p.Key, p.Value)));
        foreach (var (name, value) in all)
        {
            if (_codes.TryGetValue(name, out var code) && value.ValueKind == JsonValueKind.String)
            {
                codes[code] = ValueCode(name, value.GetString());
            }
            else if (_sets.TryGetValue(name, out var set) && value.ValueKind == JsonValueKind.Array)
            {
                var order = new List<byte>();
                foreach (var item in value.EnumerateArray())
                {
                    if (ValueCode(name, item.GetString()) is var bit and >= 0)
                    {
                        sets[set] |= 1UL << bit;
                        order.Add((byte)bit);
                    }
                }
                orders[set] = [.. order];
            }
            else if (_ratings.TryGetValue(name, out var rated) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var rating in value.EnumerateObject())
                {
                    if (ValueCode(name, rating.Name) is var index and >= 0 && index < rated.Count && rating.Value.ValueKind == JsonValueKind.Number)
                    {
                        numbers[rated.First + index] = rating.Value.GetSingle();
                    }
                }
            }
            else if (_numbers.TryGetValue(name, out var number))
            {
                numbers[number] = value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetSingle(),
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => float.NaN,
                };
            }
            else if (value.ValueKind == JsonValueKind.Object && _numbers.TryGetValue(name + ".lat", out var lat)
                && value.TryGetProperty("lat", out var latitude) && value.TryGetProperty("lon", out var longitude))
            {
                numbers[lat] = latitude.GetSingle();
                numbers[_numbers[name + ".lon"]] = longitude.GetSingle();
            }
            else if (value.ValueKind == JsonValueKind.Object && _numbers.TryGetValue(name + ".min", out var min))
            {
                numbers[min] = value.GetProperty("min").GetSingle();
                numbers[_numbers[name + ".max"]] = value.GetProperty("max").GetSingle();
            }
        }
        return new Encoded(codes, sets, orders, numbers);
    }
}

/// <summary>
/// Field values as flat arrays: category codes (−1 when missing), value sets as bit masks with
/// their order (for ranked lists: first is most wanted), numbers (NaN when missing).
/// </summary>
public sealed record Encoded(int[] Codes, ulong[] Sets, byte[]?[] Orders, float[] Numbers);

/// <summary>
/// A card's (or a viewer's) features inside flat arrays at a base offset: codes, 64-bit sets,
/// ranked-list orders (<paramref name="rankedLength"/> places a list, as long as the market's
/// longest ranked field; 255 ends a shorter one) and numbers. A view, not a copy: scoring reads
/// the index's columns in place.
/// </summary>
public readonly struct FeatureView(int[] codes, int codeBase, ulong[] sets, int setBase, byte[] orders, int rankedLength, float[] numbers, int numberBase)
{
    public const byte End = 255;

    private int MaxRanked => rankedLength;

    public int Code(int slot) => codes[codeBase + slot];
    public ulong Set(int slot) => sets[setBase + slot];
    public float Number(int slot) => numbers[numberBase + slot];

    /// <summary>A ranked list's places (its codes, then <see cref="End"/> where it is shorter than the longest).</summary>
    public ReadOnlySpan<byte> Order(int slot) => orders.AsSpan((setBase + slot) * MaxRanked, MaxRanked);

    /// <summary>How many values a ranked list holds (0 when not stated).</summary>
    public int OrderLength(int slot) => LengthOf(Order(slot));

    /// <summary>How many codes a ranked list's places hold.</summary>
    public static int LengthOf(ReadOnlySpan<byte> order)
    {
        // Lists are a few places long: a plain loop beats a vectorised search's setup.
        var length = 0;
        while (length < order.Length && order[length] != End)
        {
            length++;
        }
        return length;
    }

    public int OrderAt(int slot, int index) => orders[((setBase + slot) * MaxRanked) + index];

    /// <summary>Rank weights of every code of a ranked list (first = 1, last of n = 1/n), or null when the list is empty.</summary>
    public float[]? RankTable(int slot)
    {
        var length = OrderLength(slot);
        if (length == 0)
        {
            return null;
        }
        var table = new float[64];
        for (var i = length - 1; i >= 0; i--)
        {
            table[OrderAt(slot, i)] = (float)(length - i) / length;
        }
        return table;
    }

    /// <summary>A view over a single encoding (the viewer's), with the market's ranked-list length.</summary>
    public static FeatureView Of(Encoded encoded, int rankedLength)
    {
        var orders = new byte[Math.Max(1, encoded.Sets.Length * rankedLength)];
        WriteOrders(encoded, orders, 0, rankedLength);
        return new FeatureView(encoded.Codes, 0, encoded.Sets, 0, orders, rankedLength, encoded.Numbers, 0);
    }

    public static void WriteOrders(Encoded encoded, byte[] orders, int setBase, int rankedLength)
    {
        for (var slot = 0; slot < encoded.Sets.Length; slot++)
        {
            var start = (setBase + slot) * rankedLength;
            Array.Fill(orders, End, start, rankedLength);
            var order = encoded.Orders[slot] ?? [];
            for (var i = 0; i < order.Length && i < rankedLength; i++)
            {
                orders[start + i] = order[i];
            }
        }
    }
}
