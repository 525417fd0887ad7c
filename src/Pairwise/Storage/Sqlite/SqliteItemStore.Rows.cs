using Microsoft.Data.Sqlite;

namespace Pairwise.Storage;

/// <summary>Rows to items and back, and the small SQL helpers.</summary>
public sealed partial class SqliteItemStore
{
    private const string SelectOne = $"SELECT {Columns} FROM items WHERE pk = $pk AND sk = $sk AND {Live}";

    private static Item? ReadItem(Reader connection, ItemKey key, long now)
    {
        var command = connection.Command(SelectOne);
        command.Parameters.AddWithValue("$pk", key.Pk);
        command.Parameters.AddWithValue("$sk", key.Sk);
        command.Parameters.AddWithValue("$now", now);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToItem(reader) : null;
    }

    private static Item ToItem(SqliteDataReader reader) => new()
    {
        Pk = reader.GetString(0),
        Sk = reader.GetString(1),
        Gsi1Pk = reader.IsDBNull(2) ? null : reader.GetString(2),
        Gsi1Sk = reader.IsDBNull(3) ? null : reader.GetString(3),
        Gsi2Pk = reader.IsDBNull(4) ? null : reader.GetString(4),
        Gsi2Sk = reader.IsDBNull(5) ? null : reader.GetString(5),
        Data = (byte[])reader.GetValue(6),
        Version = reader.GetInt64(7),
        Counter = reader.GetInt64(8),
        ExpiresAt = reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
    };

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
