using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace EdgeRuntime.Samples;

/// <summary>
/// Recovery on open: runs before the store serves anyone, so no add can be in flight. It deletes only temp files
/// (which only the writer names so); what it cannot prove is garbage goes to <c>quarantine/</c>, and when much of the
/// store would be affected (a missing samples.db, one restored without its WAL, an unmounted image folder) it refuses
/// to open instead of guessing.
/// </summary>
public sealed partial class SampleStore
{
    /// <summary>Folder inside the data directory where recovery moves what it takes out of the store.</summary>
    public const string QuarantineFolderName = "quarantine";

    /// <summary>Recovery may always act on this many items; above it, only on <see cref="SampleStoreOptions.MaxRecoveryShare"/>.</summary>
    public const int RecoveryAllowance = 3;

    private SampleStoreOpenReport Recover(int schemaVersion, int foundVersion)
    {
        var temps = _images.DeleteTempFiles();

        List<Sample> rows;
        using (var command = SampleRows.Command(_writer, null, $"SELECT {SampleRows.Columns} FROM samples;"))
        {
            rows = SampleRows.ReadAll(command);
        }

        var missing = new List<Sample>();
        int unverified = 0;
        foreach (var sample in rows)
        {
            switch (Probe(_images.PathFor(sample.ImageHash, sample.Format)))
            {
                case ImageProbe.Missing:
                    missing.Add(sample);
                    break;
                case ImageProbe.Unreadable:
                    unverified++;
                    _logger.LogWarning("Sample {SampleId} ({Label}): its image {ImageHash} cannot be checked; the sample is kept", sample.Id, sample.Label, sample.ImageHash);
                    break;
            }
        }

        var referenced = rows.Select(s => _images.PathFor(s.ImageHash, s.Format)).ToHashSet(StringComparer.Ordinal);
        var orphans = _images.EnumerateImages().Select(i => i.Path).Where(p => !referenced.Contains(p)).ToList();

        int affected = missing.Count + orphans.Count;
        int total = rows.Count + orphans.Count;
        if (affected > RecoveryAllowance && affected > _options.MaxRecoveryShare * total)
        {
            throw new SampleStoreException(string.Create(CultureInfo.InvariantCulture,
                $"The sample store in '{DataDirectory}' does not match its images: {missing.Count} of {rows.Count} samples have no image file and {orphans.Count} image files have no sample. "
                + $"That is more than recovery repairs on its own ({_options.MaxRecoveryShare:P0}); samples.db may be missing, replaced, or restored without its -wal file, or the images folder not mounted. "
                + $"Nothing was changed. Restore samples.db together with samples.db-wal, or move '{_images.Root}' aside to start with an empty store."));
        }

        string? quarantine = affected == 0 ? null : Path.Combine(DataDirectory, QuarantineFolderName, _options.TimeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        if (missing.Count > 0)
        {
            // The rows are saved before they are removed, so a technician can still see what those samples were.
            Directory.CreateDirectory(quarantine!);
            Storage.AtomicFile.Replace(_options.FileSystem, Path.Combine(quarantine!, "rows-without-image.json"), JsonSerializer.SerializeToUtf8Bytes(missing));
            using var transaction = _writer.BeginTransaction();
            foreach (var sample in missing)
            {
                using var delete = SampleRows.Command(_writer, transaction, "DELETE FROM samples WHERE id = $id;", ("$id", sample.Id));
                delete.ExecuteNonQuery();
                _logger.LogWarning("Sample {SampleId} ({Label}) lost its image file {ImageHash}; its row was moved to {Quarantine}", sample.Id, sample.Label, sample.ImageHash, quarantine);
            }

            foreach (var label in missing.Select(s => s.Label).Distinct(StringComparer.Ordinal))
            {
                Rebalance(transaction, label);
            }

            transaction.Commit();
        }

        foreach (var path in orphans)
        {
            var target = Path.Combine(quarantine!, ImagesFolderName, Path.GetRelativePath(_images.Root, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(path, target, overwrite: true);
        }

        var report = new SampleStoreOpenReport(schemaVersion, foundVersion, temps, orphans.Count, missing, unverified, quarantine);
        if (!report.IsClean)
        {
            _logger.LogWarning(
                "Sample store {DataDirectory} recovered from an interrupted run: {TempFiles} temp files deleted, {OrphanImages} orphan images and {MissingImageRows} rows without an image moved to {Quarantine}, {Unverified} images could not be checked",
                DataDirectory,
                temps,
                orphans.Count,
                missing.Count,
                quarantine,
                unverified);
        }

        if (foundVersion != schemaVersion)
        {
            _logger.LogInformation("Sample database {DatabasePath} migrated from schema {From} to {To}", DatabasePath, foundVersion, schemaVersion);
        }

        return report;
    }

    /// <summary>Only "no such file" (ENOENT) counts as missing; permissions or I/O errors say nothing about the file.</summary>
    private static ImageProbe Probe(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ImageProbe.Present;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return ImageProbe.Missing;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ImageProbe.Unreadable;
        }
    }

    private enum ImageProbe
    {
        Present,
        Missing,
        Unreadable,
    }
}
