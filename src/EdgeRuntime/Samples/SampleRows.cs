using EdgeRuntime.Imaging;
using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>Mapping between <see cref="Sample"/> and the <c>samples</c> table.</summary>
internal static class SampleRows
{
    public const string Columns = "id, label, source, captured_at_ticks, image_hash, image_format, split, image_length";

    public static Sample Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        Enum.Parse<SampleSource>(reader.GetString(2)),
        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
        reader.GetString(4),
        Enum.Parse<ImageFormat>(reader.GetString(5)),
        Enum.Parse<SampleSplit>(reader.GetString(6)),
        reader.GetInt64(7));

    public static List<Sample> ReadAll(SqliteCommand command)
    {
        var samples = new List<Sample>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            samples.Add(Read(reader));
        }

        return samples;
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
