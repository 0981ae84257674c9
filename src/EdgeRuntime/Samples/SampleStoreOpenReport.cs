namespace EdgeRuntime.Samples;

/// <summary>What opening the store found and repaired.</summary>
/// <param name="SchemaVersion">Schema version after opening.</param>
/// <param name="MigratedFromVersion">Version found on disk (0 for a new store); equal to SchemaVersion if no migration ran.</param>
/// <param name="TempFilesDeleted">Half-written image temp files left by an interrupted add.</param>
/// <param name="OrphanImagesDeleted">Image files no row referenced (add interrupted between rename and insert, or a failed delete).</param>
/// <param name="RowsWithMissingImage">Rows whose image file had vanished; they were removed.</param>
public sealed record SampleStoreOpenReport(
    int SchemaVersion,
    int MigratedFromVersion,
    int TempFilesDeleted,
    int OrphanImagesDeleted,
    IReadOnlyList<Sample> RowsWithMissingImage)
{
    /// <summary>True when nothing needed repair.</summary>
    public bool IsClean => TempFilesDeleted == 0 && OrphanImagesDeleted == 0 && RowsWithMissingImage.Count == 0;
}
