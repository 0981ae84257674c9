namespace EdgeRuntime.Samples;

/// <summary>What opening the store found and repaired. Nothing it acts on is deleted except proven temp files.</summary>
/// <param name="SchemaVersion">Schema version after opening.</param>
/// <param name="MigratedFromVersion">Version found on disk (0 for a new store); equal to SchemaVersion if no migration ran.</param>
/// <param name="TempFilesDeleted">Half-written image temp files left by an interrupted add (named so only the writer makes them).</param>
/// <param name="OrphanImagesQuarantined">Image files no row referenced (add interrupted between rename and insert, or a failed delete), moved to <see cref="QuarantineDirectory"/>.</param>
/// <param name="RowsWithMissingImage">Rows whose image file does not exist (ENOENT); their rows were saved to <see cref="QuarantineDirectory"/> and removed.</param>
/// <param name="UnverifiedImages">Rows whose image could not be checked (permissions, I/O error); kept untouched.</param>
/// <param name="QuarantineDirectory">Where this open put what it took out of the store, or null when it took nothing.</param>
public sealed record SampleStoreOpenReport(
    int SchemaVersion,
    int MigratedFromVersion,
    int TempFilesDeleted,
    int OrphanImagesQuarantined,
    IReadOnlyList<Sample> RowsWithMissingImage,
    int UnverifiedImages = 0,
    string? QuarantineDirectory = null)
{
    /// <summary>True when nothing needed repair.</summary>
    public bool IsClean => TempFilesDeleted == 0 && OrphanImagesQuarantined == 0 && RowsWithMissingImage.Count == 0 && UnverifiedImages == 0;
}
