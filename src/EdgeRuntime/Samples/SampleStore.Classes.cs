using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Samples;

/// <summary>Class and sample maintenance: rename, merge, delete.</summary>
public sealed partial class SampleStore
{
    /// <summary>Creates a class with no samples yet, so it can be listed and captured into.</summary>
    /// <exception cref="InvalidLabelException">The label breaks a rule.</exception>
    /// <exception cref="ClassExistsException">The class exists (with samples or declared).</exception>
    public void DeclareClass(string label)
    {
        var normalized = SampleLabels.Normalize(label);
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            var (train, holdout) = CountSplits(transaction, normalized);
            using var exists = SampleRows.Command(_writer, transaction, "SELECT COUNT(*) FROM declared_classes WHERE label = $label;", ("$label", normalized));
            if (train + holdout > 0 || Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                throw new ClassExistsException(normalized, normalized);
            }

            using var insert = SampleRows.Command(_writer, transaction, "INSERT INTO declared_classes (label) VALUES ($label);", ("$label", normalized));
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>
    /// Renames a class. Renaming onto an existing class merges the two only when <paramref name="merge"/> is true.
    /// Splits do not change. Returns the number of samples relabeled.
    /// </summary>
    /// <exception cref="InvalidLabelException">Either label breaks a rule.</exception>
    /// <exception cref="ClassNotFoundException"><paramref name="from"/> has no samples.</exception>
    /// <exception cref="ClassExistsException"><paramref name="to"/> exists and <paramref name="merge"/> is false.</exception>
    public int RenameClass(string from, string to, bool merge = false)
    {
        var source = SampleLabels.Normalize(from);
        var target = SampleLabels.Normalize(to);
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            var (sourceTrain, sourceHoldout) = CountSplits(transaction, source);
            if (sourceTrain + sourceHoldout == 0 && !IsDeclared(transaction, source))
            {
                throw new ClassNotFoundException(source);
            }

            if (string.Equals(source, target, StringComparison.Ordinal))
            {
                return sourceTrain + sourceHoldout;
            }

            // A declared class with no samples yet is a class too: renaming onto it merges unless asked to.
            var (targetTrain, targetHoldout) = CountSplits(transaction, target);
            if ((targetTrain + targetHoldout > 0 || IsDeclared(transaction, target)) && !merge)
            {
                throw new ClassExistsException(source, target);
            }

            using var renameDeclared = SampleRows.Command(
                _writer, transaction, "UPDATE OR REPLACE declared_classes SET label = $to WHERE label = $from;", ("$to", target), ("$from", source));
            renameDeclared.ExecuteNonQuery();
            using var update = SampleRows.Command(
                _writer, transaction, "UPDATE samples SET label = $to WHERE label = $from;", ("$to", target), ("$from", source));
            var moved = update.ExecuteNonQuery();
            transaction.Commit();
            _logger.LogInformation("Class {From} renamed to {To} ({Count} samples, merged: {Merged})", source, target, moved, targetTrain + targetHoldout > 0);
            return moved;
        }
    }

    private bool IsDeclared(SqliteTransaction transaction, string label)
    {
        using var command = SampleRows.Command(_writer, transaction, "SELECT COUNT(*) FROM declared_classes WHERE label = $label;", ("$label", label));
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>Deletes every sample of a class, its embeddings and (after commit) its image files. Returns the count; 0 if none.</summary>
    public int DeleteClass(string label)
    {
        var normalized = SampleLabels.Normalize(label);
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            using var select = SampleRows.Command(_writer, transaction, $"SELECT {SampleRows.Columns} FROM samples WHERE label = $label;", ("$label", normalized));
            var doomed = SampleRows.ReadAll(select);
            using var delete = SampleRows.Command(_writer, transaction, "DELETE FROM samples WHERE label = $label;", ("$label", normalized));
            delete.ExecuteNonQuery();
            using var undeclare = SampleRows.Command(_writer, transaction, "DELETE FROM declared_classes WHERE label = $label;", ("$label", normalized));
            undeclare.ExecuteNonQuery();
            transaction.Commit();
            DeleteFilesOf(doomed);
            return doomed.Count;
        }
    }

    /// <summary>
    /// Deletes one sample, its embeddings and (after commit) its image file. If that leaves its class without a
    /// holdout (or train) sample, one other sample of the class changes split to restore the guarantee.
    /// </summary>
    /// <returns>False when there is no such sample.</returns>
    public bool DeleteSample(long sampleId)
    {
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            using var select = SampleRows.Command(_writer, transaction, $"SELECT {SampleRows.Columns} FROM samples WHERE id = $id;", ("$id", sampleId));
            if (SampleRows.ReadAll(select).FirstOrDefault() is not { } sample)
            {
                return false;
            }

            using var delete = SampleRows.Command(_writer, transaction, "DELETE FROM samples WHERE id = $id;", ("$id", sampleId));
            delete.ExecuteNonQuery();
            Rebalance(transaction, sample.Label);
            transaction.Commit();
            DeleteFilesOf([sample]);
            return true;
        }
    }

    private void Rebalance(SqliteTransaction transaction, string label)
    {
        var members = new List<(string, SampleSplit)>();
        using (var select = SampleRows.Command(_writer, transaction, "SELECT image_hash, split FROM samples WHERE label = $label;", ("$label", label)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                members.Add((reader.GetString(0), Enum.Parse<SampleSplit>(reader.GetString(1))));
            }
        }

        if (SplitRule.PickToRebalance(label, members) is { } move)
        {
            using var update = SampleRows.Command(
                _writer,
                transaction,
                "UPDATE samples SET split = $split WHERE image_hash = $hash;",
                ("$split", move.NewSplit.ToString()),
                ("$hash", move.ImageHash));
            update.ExecuteNonQuery();
            _logger.LogInformation("Sample {ImageHash} of class {Label} moved to {Split} so the class keeps both splits", move.ImageHash, label, move.NewSplit);
        }
    }

    // Runs after the deleting transaction committed and still under the write gate, so no add can re-reference a
    // hash between the commit and the file deletion. A file that cannot be deleted is an orphan the next open removes.
    private void DeleteFilesOf(IEnumerable<Sample> samples)
    {
        foreach (var sample in samples)
        {
            var path = _images.PathFor(sample.ImageHash, sample.Format);
            if (!Storage.AtomicFile.TryDelete(path))
            {
                _logger.LogWarning("Could not delete image {Path}; it will be removed on the next open", path);
            }
        }
    }
}
