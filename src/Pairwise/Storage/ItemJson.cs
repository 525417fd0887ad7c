using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pairwise.Storage;

/// <summary>Stored records are JSON in <see cref="Item.Data"/>, through each feature's source-generated context.</summary>
public static class ItemJson
{
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    public static T Deserialize<T>(Item item, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(item.Data, type) ?? throw new InvalidDataException($"Item {item.Key} holds no {typeof(T).Name}.");
}
