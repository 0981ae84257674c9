using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>
/// Schema versions, tracked in <c>PRAGMA user_version</c>. Migration i takes version i to i + 1 and runs in its own
/// transaction together with the version bump, so an interrupted migration leaves the previous version intact.
/// To change the schema, append a step; never edit a shipped one.
/// </summary>
internal static class SampleStoreSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: samples (one row per distinct image) and per-(image, backbone, view) embeddings.
        """
        CREATE TABLE samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            label TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('Camera', 'Upload', 'Import', 'Gpio')),
            captured_at_ticks INTEGER NOT NULL,
            image_hash TEXT NOT NULL UNIQUE,
            image_format TEXT NOT NULL CHECK (image_format IN ('Jpeg', 'Png', 'Bmp', 'Webp', 'Tiff')),
            image_length INTEGER NOT NULL,
            split TEXT NOT NULL CHECK (split IN ('Train', 'Holdout'))
        );
        CREATE INDEX samples_by_label ON samples (label, split);
        CREATE INDEX samples_by_time ON samples (captured_at_ticks DESC, id DESC);
        CREATE TABLE embeddings (
            image_hash TEXT NOT NULL REFERENCES samples (image_hash) ON DELETE CASCADE,
            backbone_hash TEXT NOT NULL,
            view INTEGER NOT NULL CHECK (view >= 0),
            dimension INTEGER NOT NULL CHECK (dimension > 0),
            vector BLOB NOT NULL CHECK (length(vector) = 4 * dimension),
            PRIMARY KEY (image_hash, backbone_hash, view)
        ) WITHOUT ROWID;
        CREATE INDEX embeddings_by_backbone ON embeddings (backbone_hash, view);
        """,

        // 2: classes a technician created before capturing their first sample.
        """
        CREATE TABLE declared_classes (label TEXT PRIMARY KEY) WITHOUT ROWID;
        """,

        // 3: source 'Review' (frames labelled from the hard-sample queue). SQLite cannot alter a CHECK, so both tables
        // are rebuilt; the child table first, so that no cascade ever deletes an embedding.
        """
        CREATE TABLE samples_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            label TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('Camera', 'Upload', 'Import', 'Gpio', 'Review')),
            captured_at_ticks INTEGER NOT NULL,
            image_hash TEXT NOT NULL UNIQUE,
            image_format TEXT NOT NULL CHECK (image_format IN ('Jpeg', 'Png', 'Bmp', 'Webp', 'Tiff')),
            image_length INTEGER NOT NULL,
            split TEXT NOT NULL CHECK (split IN ('Train', 'Holdout'))
        );
        INSERT INTO samples_v3 SELECT id, label, source, captured_at_ticks, image_hash, image_format, image_length, split FROM samples;
        CREATE TABLE embeddings_v3 (
            image_hash TEXT NOT NULL REFERENCES samples_v3 (image_hash) ON DELETE CASCADE,
            backbone_hash TEXT NOT NULL,
            view INTEGER NOT NULL CHECK (view >= 0),
            dimension INTEGER NOT NULL CHECK (dimension > 0),
            vector BLOB NOT NULL CHECK (length(vector) = 4 * dimension),
            PRIMARY KEY (image_hash, backbone_hash, view)
        ) WITHOUT ROWID;
        INSERT INTO embeddings_v3 SELECT image_hash, backbone_hash, view, dimension, vector FROM embeddings;
        DROP TABLE embeddings;
        DROP TABLE samples;
        ALTER TABLE samples_v3 RENAME TO samples;
        ALTER TABLE embeddings_v3 RENAME TO embeddings;
        CREATE INDEX samples_by_label ON samples (label, split);
        CREATE INDEX samples_by_time ON samples (captured_at_ticks DESC, id DESC);
        CREATE INDEX embeddings_by_backbone ON embeddings (backbone_hash, view);
        """,
    ];

    public static int CurrentVersion => Migrations.Count;

    /// <summary>Brings the database to the last version of <paramref name="migrations"/>; returns the version found.</summary>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<string> migrations, string databasePath)
    {
        var found = ReadVersion(connection);
        if (found > migrations.Count)
        {
            throw new SampleStoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"The sample database '{databasePath}' has schema version {found}, newer than this build understands ({migrations.Count}). Upgrade EdgeRuntime or restore a backup."));
        }

        for (var version = found; version < migrations.Count; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migrations[version] + string.Create(CultureInfo.InvariantCulture, $";\nPRAGMA user_version = {version + 1};");
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return found;
    }

    public static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
