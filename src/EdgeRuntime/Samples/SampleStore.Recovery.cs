using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Samples;

/// <summary>Recovery on open: runs before the store serves anyone, so no add can be in flight.</summary>
public sealed partial class SampleStore
{
    private SampleStoreOpenReport Recover(int schemaVersion, int foundVersion)
    {
        var temps = _images.DeleteTempFiles();

        List<Sample> rows;
        using (var command = SampleRows.Command(_writer, null, $"SELECT {SampleRows.Columns} FROM samples;"))
        {
            rows = SampleRows.ReadAll(command);
        }

        var missing = rows.Where(s => !File.Exists(_images.PathFor(s.ImageHash, s.Format))).ToList();
        if (missing.Count > 0)
        {
            using var transaction = _writer.BeginTransaction();
            foreach (var sample in missing)
            {
                using var delete = SampleRows.Command(_writer, transaction, "DELETE FROM samples WHERE id = $id;", ("$id", sample.Id));
                delete.ExecuteNonQuery();
                _logger.LogWarning(
                    "Sample {SampleId} ({Label}) lost its image file {ImageHash}; its row was removed",
                    sample.Id,
                    sample.Label,
                    sample.ImageHash);
            }

            foreach (var label in missing.Select(s => s.Label).Distinct(StringComparer.Ordinal))
            {
                Rebalance(transaction, label);
            }

            transaction.Commit();
        }

        var kept = rows.Except(missing).Select(s => _images.PathFor(s.ImageHash, s.Format)).ToHashSet(StringComparer.Ordinal);
        var orphans = 0;
        foreach (var (path, _, _) in _images.EnumerateImages().ToList())
        {
            if (!kept.Contains(path))
            {
                File.Delete(path);
                orphans++;
            }
        }

        var report = new SampleStoreOpenReport(schemaVersion, foundVersion, temps, orphans, missing);
        if (!report.IsClean)
        {
            _logger.LogWarning(
                "Sample store {DataDirectory} recovered from an interrupted run: {TempFiles} temp files and {OrphanImages} orphan images deleted, {MissingImageRows} rows without an image removed",
                DataDirectory,
                temps,
                orphans,
                missing.Count);
        }

        if (foundVersion != schemaVersion)
        {
            _logger.LogInformation("Sample database {DatabasePath} migrated from schema {From} to {To}", DatabasePath, foundVersion, schemaVersion);
        }

        return report;
    }
}
