using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>
/// SHA-256 over "imageHash\tlabel\tsplit\n" per sample, sorted by image hash. Labels cannot contain tabs or newlines
/// (control characters are refused), so the encoding is unambiguous.
/// </summary>
internal static class DatasetFingerprint
{
    public static string Compute(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var command = SampleRows.Command(connection, transaction, "SELECT image_hash, label, split FROM samples ORDER BY image_hash;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hasher.AppendData(Encoding.UTF8.GetBytes(reader.GetString(0) + "\t" + reader.GetString(1) + "\t" + reader.GetString(2) + "\n"));
        }

        return Convert.ToHexStringLower(hasher.GetHashAndReset());
    }
}
