using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>
/// Embeddings keyed by (image hash, backbone hash, view), stored as little-endian float32 blobs with their dimension.
/// All embeddings of one backbone share one dimension.
/// </summary>
public sealed partial class SampleStore
{
    /// <summary>Longest accepted backbone hash.</summary>
    public const int MaxBackboneHashLength = 128;

    /// <summary>Stores (or replaces) the embedding of one view of a stored image.</summary>
    /// <param name="imageHash">The sample's <see cref="Sample.ImageHash"/>.</param>
    /// <param name="backboneHash">Identifies the backbone model that produced the vector.</param>
    /// <param name="view">0 for the original image, &gt; 0 for an augmentation index.</param>
    /// <param name="vector">The embedding; every value must be finite.</param>
    /// <exception cref="InvalidEmbeddingException">Empty, non-finite, bad key, or a dimension other than this backbone's.</exception>
    /// <exception cref="SampleNotFoundException">No stored image has this hash.</exception>
    public void PutEmbedding(string imageHash, string backboneHash, int view, ReadOnlySpan<float> vector) =>
        PutEmbeddings(backboneHash, [new EmbeddingEntry(imageHash, view, vector.ToArray())]);

    /// <summary>
    /// Stores (or replaces) several embeddings of one backbone in one transaction: all or none. One commit (one
    /// fsync) for a batch is what makes re-embedding a whole store after a backbone change quick.
    /// </summary>
    /// <exception cref="InvalidEmbeddingException">Any entry is empty, non-finite, badly keyed, or of another dimension.</exception>
    /// <exception cref="SampleNotFoundException">Any entry's image is not stored (unless <paramref name="skipDeletedImages"/>).</exception>
    /// <param name="backboneHash">The backbone that made the embeddings.</param>
    /// <param name="entries">The embeddings.</param>
    /// <param name="skipDeletedImages">
    /// Leave out entries whose sample was deleted meanwhile instead of refusing all: for background work (training's
    /// augmented views, re-embedding) that a technician deleting a sample must not fail.
    /// </param>
    public void PutEmbeddings(string backboneHash, IReadOnlyList<EmbeddingEntry> entries, bool skipDeletedImages = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var dimension = entries[0].Vector.Length;
        foreach (var entry in entries)
        {
            CheckEntry(entry, backboneHash, dimension);
        }

        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            if (DimensionOf(_writer, transaction, backboneHash) is { } stored && stored != dimension)
            {
                throw new InvalidEmbeddingException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Embeddings for backbone {backboneHash} have {dimension} values, but that backbone's stored embeddings have {stored}."));
            }

            using var upsert = SampleRows.Command(
                _writer,
                transaction,
                "INSERT OR REPLACE INTO embeddings (image_hash, backbone_hash, view, dimension, vector) VALUES ($hash, $backbone, $view, $dimension, $vector);",
                ("$hash", string.Empty),
                ("$backbone", backboneHash),
                ("$view", 0),
                ("$dimension", dimension),
                ("$vector", Array.Empty<byte>()));
            foreach (var entry in entries)
            {
                if (FindByHash(_writer, transaction, entry.ImageHash) is null)
                {
                    if (skipDeletedImages)
                    {
                        continue;
                    }

                    throw new SampleNotFoundException($"No stored image has SHA-256 {entry.ImageHash}; store the sample before its embedding.");
                }

                upsert.Parameters["$hash"].Value = entry.ImageHash;
                upsert.Parameters["$view"].Value = entry.View;
                upsert.Parameters["$vector"].Value = MemoryMarshal.AsBytes(entry.Vector.Span).ToArray();
                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>Copies a stored embedding into <paramref name="destination"/>; false when there is none.</summary>
    /// <exception cref="InvalidEmbeddingException"><paramref name="destination"/> length differs from the stored dimension.</exception>
    public bool TryGetEmbedding(string imageHash, string backboneHash, int view, Span<float> destination)
    {
        CheckKey(imageHash, backboneHash, view);
        using var connection = OpenReader();
        using var command = SampleRows.Command(
            connection,
            null,
            "SELECT dimension, vector FROM embeddings WHERE image_hash = $hash AND backbone_hash = $backbone AND view = $view;",
            ("$hash", imageHash),
            ("$backbone", backboneHash),
            ("$view", view));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        var dimension = reader.GetInt32(0);
        if (destination.Length != dimension)
        {
            throw new InvalidEmbeddingException(string.Create(
                CultureInfo.InvariantCulture,
                $"The embedding of image {imageHash} for backbone {backboneHash} has {dimension} values; the destination holds {destination.Length}."));
        }

        ReadVector(reader, 1, destination);
        return true;
    }

    /// <summary>The dimension of a backbone's stored embeddings, or null when it has none.</summary>
    public int? GetEmbeddingDimension(string backboneHash)
    {
        using var connection = OpenReader();
        return DimensionOf(connection, null, backboneHash);
    }

    /// <summary>Samples with no original-view (view 0) embedding for this backbone, oldest first: what to (re-)embed.</summary>
    public IReadOnlyList<Sample> ListSamplesMissingEmbedding(string backboneHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneHash);
        using var connection = OpenReader();
        using var command = SampleRows.Command(
            connection,
            null,
            $"SELECT {SampleRows.Columns} FROM samples s WHERE NOT EXISTS "
            + "(SELECT 1 FROM embeddings e WHERE e.image_hash = s.image_hash AND e.backbone_hash = $backbone AND e.view = 0) ORDER BY id;",
            ("$backbone", backboneHash));
        return SampleRows.ReadAll(command);
    }

    /// <summary>Deletes embeddings of every backbone except the given one (after a backbone change). Returns rows deleted.</summary>
    public int DeleteEmbeddingsExcept(string backboneHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneHash);
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var delete = SampleRows.Command(_writer, null, "DELETE FROM embeddings WHERE backbone_hash <> $backbone;", ("$backbone", backboneHash));
            return delete.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Reads every embedding of a backbone with labels and splits from one snapshot, for training and evaluation.
    /// Samples lacking an original-view embedding are left out and counted.
    /// </summary>
    /// <param name="backboneHash">The backbone whose embeddings to read.</param>
    /// <param name="includeAugmentedViews">Add the augmented views (view &gt; 0) of every sample to its split's rows (trainers keep them out of what they score).</param>
    public TrainingSet LoadTrainingSet(string backboneHash, bool includeAugmentedViews = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneHash);
        using var connection = OpenReader();

        // A deferred transaction pins one WAL snapshot for all the queries below while captures keep committing.
        using var transaction = connection.BeginTransaction(deferred: true);
        return TrainingSetReader.Read(connection, transaction, backboneHash, includeAugmentedViews, DimensionOf(connection, transaction, backboneHash));
    }

    internal static void ReadVector(SqliteDataReader reader, int ordinal, Span<float> destination)
    {
        // GetFieldValue copies the column once; GetStream would open an incremental-blob handle per row, which is
        // several times slower for a few-KB vector.
        var bytes = reader.GetFieldValue<byte[]>(ordinal);
        if (bytes.Length != destination.Length * sizeof(float))
        {
            throw new SampleStoreException(string.Create(
                CultureInfo.InvariantCulture, $"A stored embedding has {bytes.Length} bytes where {destination.Length} floats were expected; the database is damaged."));
        }

        bytes.CopyTo(MemoryMarshal.AsBytes(destination));
    }

    private static int? DimensionOf(SqliteConnection connection, SqliteTransaction? transaction, string backboneHash)
    {
        using var command = SampleRows.Command(connection, transaction, "SELECT dimension FROM embeddings WHERE backbone_hash = $backbone LIMIT 1;", ("$backbone", backboneHash));
        return command.ExecuteScalar() is long dimension ? (int)dimension : null;
    }

    private static void CheckEntry(EmbeddingEntry entry, string backboneHash, int dimension)
    {
        CheckKey(entry.ImageHash, backboneHash, entry.View);
        var vector = entry.Vector.Span;
        if (vector.IsEmpty || vector.Length != dimension)
        {
            throw new InvalidEmbeddingException(string.Create(
                CultureInfo.InvariantCulture,
                $"The embedding of image {entry.ImageHash} for backbone {backboneHash} has {vector.Length} values; expected {dimension} and at least one."));
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new InvalidEmbeddingException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The embedding of image {entry.ImageHash} (view {entry.View}) for backbone {backboneHash} has {vector[i]} at index {i}; embeddings must be finite."));
            }
        }
    }

    private static void CheckKey(string imageHash, string backboneHash, int view)
    {
        if (!ContentHash.IsWellFormed(imageHash))
        {
            throw new InvalidEmbeddingException($"'{imageHash}' is not an image hash (64 lower-case hex digits).");
        }

        if (string.IsNullOrWhiteSpace(backboneHash) || backboneHash.Length > MaxBackboneHashLength)
        {
            throw new InvalidEmbeddingException(string.Create(
                CultureInfo.InvariantCulture, $"The backbone hash '{backboneHash}' must be non-empty and at most {MaxBackboneHashLength} characters."));
        }

        if (view < 0)
        {
            throw new InvalidEmbeddingException(string.Create(CultureInfo.InvariantCulture, $"The view {view} is negative; 0 is the original image, > 0 an augmentation."));
        }
    }
}
