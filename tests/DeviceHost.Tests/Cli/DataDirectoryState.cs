using EdgeRuntime.Samples;

namespace DeviceHost.Tests.Cli;

/// <summary>What <see cref="DataDirectoryCheck"/> found: counts, the active head, and what opening had to repair.</summary>
public sealed record DataDirectoryState(int Samples, int? ActiveVersion, int Heads, int ReEmbedded, SampleStoreOpenReport Repairs)
{
    public override string ToString() =>
        $"{Samples} samples ({ReEmbedded} re-embedded), {Heads} heads, active {(ActiveVersion is { } v ? "v" + v : "none")}; " +
        $"repairs: {Repairs.TempFilesDeleted} temp files, {Repairs.OrphanImagesQuarantined} orphan images quarantined, {Repairs.RowsWithMissingImage.Count} rows without image";
}
