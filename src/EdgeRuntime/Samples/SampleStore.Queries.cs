using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>Read-only queries; each runs on its own pooled connection, concurrently with writes.</summary>
public sealed partial class SampleStore
{
    /// <summary>The sample with this id, or null.</summary>
    public Sample? GetSample(long sampleId)
    {
        using var connection = OpenReader();
        using var command = SampleRows.Command(connection, null, $"SELECT {SampleRows.Columns} FROM samples WHERE id = $id;", ("$id", sampleId));
        return SampleRows.ReadAll(command).FirstOrDefault();
    }

    /// <summary>The sample whose image has this SHA-256 (lower-case hex), or null.</summary>
    public Sample? FindByImageHash(string imageHash)
    {
        using var connection = OpenReader();
        return FindByHash(connection, null, imageHash);
    }

    /// <summary>Full path of a sample's image file.</summary>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public string GetImagePath(long sampleId) => GetImagePath(Require(sampleId));

    /// <summary>Full path of a sample's image file.</summary>
    public string GetImagePath(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return _images.PathFor(sample.ImageHash, sample.Format);
    }

    /// <summary>A sample's image bytes.</summary>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public byte[] ReadImage(long sampleId) => File.ReadAllBytes(GetImagePath(Require(sampleId)));

    /// <summary>Samples newest first (by capture time, then id), optionally of one class.</summary>
    /// <param name="offset">Rows to skip.</param>
    /// <param name="limit">Page size, 1 to 1000.</param>
    /// <param name="label">Only this class, when given.</param>
    public IReadOnlyList<Sample> ListRecent(int offset, int limit, string? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var connection = OpenReader();
        var filter = label is null ? string.Empty : "WHERE label = $label ";
        using var command = SampleRows.Command(
            connection,
            null,
            $"SELECT {SampleRows.Columns} FROM samples {filter}ORDER BY captured_at_ticks DESC, id DESC LIMIT $limit OFFSET $offset;",
            ("$limit", limit),
            ("$offset", offset));
        if (label is not null)
        {
            command.Parameters.AddWithValue("$label", label.Trim());
        }

        return SampleRows.ReadAll(command);
    }

    /// <summary>Samples per class and split, classes in ordinal order.</summary>
    public IReadOnlyList<ClassCount> GetClassCounts()
    {
        using var connection = OpenReader();
        using var command = SampleRows.Command(
            connection,
            null,
            "SELECT label, SUM(split = 'Train'), SUM(split = 'Holdout') FROM samples GROUP BY label "
            + "UNION ALL SELECT label, 0, 0 FROM declared_classes WHERE label NOT IN (SELECT label FROM samples);");
        var counts = new List<ClassCount>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts.Add(new ClassCount(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return [.. counts.OrderBy(c => c.Label, StringComparer.Ordinal)];
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over every sample's "imageHash\tlabel\tsplit\n", ordered by image hash. Changes when
    /// any sample is added, removed, relabeled or moves split; the registry records it with each head.
    /// </summary>
    public string ComputeDatasetFingerprint()
    {
        using var connection = OpenReader();
        return DatasetFingerprint.Compute(connection, null);
    }

    private Sample Require(long sampleId) =>
        GetSample(sampleId) ?? throw new SampleNotFoundException(string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"There is no sample with id {sampleId}."));

    private static Sample? FindByHash(SqliteConnection connection, SqliteTransaction? transaction, string imageHash)
    {
        using var command = SampleRows.Command(connection, transaction, $"SELECT {SampleRows.Columns} FROM samples WHERE image_hash = $hash;", ("$hash", imageHash));
        return SampleRows.ReadAll(command).FirstOrDefault();
    }
}
